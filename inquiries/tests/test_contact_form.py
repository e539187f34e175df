"""The public contact form: what a citizen can send, what is refused and why, the confirmation."""

import re
import time
import uuid
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries.models import InboxMessage, Inquiry, ReplyMethod
from inquiries.services.inbox import reference_for_token
from inquiries.views.contact_form import THANKS_SALT
from knowledgebase import services as kb_services
from knowledgebase.models import Status
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

QUESTION = "粗大ごみの収集日を変更したいのですが、どうすればよいですか。"
# A reference standing on its own: not digits inside the form's UUID token (…1943-8779-44…).
REFERENCE = re.compile(
    r"(?<![0-9A-Za-z-])[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}(?![0-9A-Za-z-])"
)


def form_data(**changes):
    data = {
        "question": QUESTION,
        "age_band": "40s",
        "gender": "unknown",
        "reply_by": "email",
        "name": "山田花子",
        "email": "hanako@example.jp",
        "phone": "",
        "fax": "",
        "postal_address": "",
        "article": "",
        "form_token": str(uuid.uuid4()),
        "website": "",
    }
    data.update(changes)
    return data


def send(client, prefix="", **changes):
    return client.post(f"{prefix}/contact/", form_data(**changes))


def thanks_page(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def test_the_form_page_shows_every_field_and_is_never_cached_for_another_visitor(client):
    response = client.get("/contact/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "question",
        "age_band",
        "gender",
        "reply_by",
        "name",
        "email",
        "phone",
        "fax",
        "postal_address",
    ):
        assert f'name="{name}"' in html
    assert 'name="csrfmiddlewaretoken"' in html and 'name="form_token"' in html
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    assert "public" not in cache_control


def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order(client):
    html = client.get("/contact/").content.decode()
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true">.*?</div>', html, re.S).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot and "<label" in honeypot


def test_a_question_with_an_e_mail_reply_is_stored_in_the_inbox_and_shows_its_reference(client):
    token = uuid.uuid4()
    page = thanks_page(client, send(client, form_token=str(token)))
    message = InboxMessage.objects.get()
    assert message.question == QUESTION and message.email == "hanako@example.jp"
    assert message.reply_by == ReplyMethod.EMAIL and message.age_band == "40s" and message.language == "ja"
    assert message.reference == reference_for_token(token)
    assert page.status_code == 200 and message.reference in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert not Inquiry.objects.exists()  # the staff side takes it in


def test_the_public_side_only_inserts_into_the_inbox_and_never_reads_it_or_an_inquiry(client):
    with CaptureQueriesContext(connection) as queries:
        send(client)
    touched = [q["sql"] for q in queries if "inquiries_" in q["sql"]]
    assert touched and all(
        sql.lstrip().upper().startswith(("INSERT", "SAVEPOINT", "RELEASE")) for sql in touched
    )


def test_references_are_not_sequential_and_depend_on_the_secret_key(settings):
    token = uuid.uuid4()
    first = reference_for_token(token)
    assert REFERENCE.fullmatch(first)
    assert reference_for_token(uuid.uuid4()) != first
    settings.SECRET_KEY = "another-secret-key-" * 4
    assert reference_for_token(token) != first


@pytest.mark.parametrize(
    ("reply_by", "field", "value"),
    [
        ("email", "email", "hanako@example.jp"),
        ("phone", "phone", "011-222-3333"),
        ("fax", "fax", "011-222-4444"),
        ("post", "postal_address", "〒060-0001 札幌市中央区北1条西1丁目"),
    ],
)
def test_each_way_of_replying_needs_its_own_contact_and_only_that(client, reply_by, field, value):
    blank = {"email": "", "phone": "", "fax": "", "postal_address": ""}
    missing = send(client, reply_by=reply_by, **blank)
    assert missing.status_code == 400
    assert missing.context["form"].errors[field]
    assert f'id="id_{field}_error"' in missing.content.decode()
    assert not InboxMessage.objects.exists()
    assert send(client, reply_by=reply_by, **{**blank, field: value}).status_code == 302
    assert getattr(InboxMessage.objects.get(), field) == value


def test_no_reply_needed_takes_no_contact_at_all(client):
    response = send(client, reply_by="none", email="", name="")
    assert response.status_code == 302
    assert InboxMessage.objects.get().reply_by == ReplyMethod.NONE
    assert not mail.outbox


def test_full_width_phone_numbers_are_accepted_as_typed_and_words_are_refused(client):
    assert send(client, reply_by="phone", phone="０１１－２２２－３３３３").status_code == 302
    assert InboxMessage.objects.get().phone == "011-222-3333"
    refused = send(client, reply_by="phone", phone="call me maybe")
    assert refused.status_code == 400 and "phone" in refused.context["form"].errors


def test_errors_are_summarised_with_links_and_marked_on_the_fields_and_nothing_typed_is_lost(client):
    response = send(client, question="", reply_by="post", postal_address="", name="山田花子", email="bad")
    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="form-errors error-summary".*?</div>', html, re.S).group(0)
    assert 'href="#id_question"' in summary and 'href="#id_postal_address"' in summary
    assert 'href="#id_email"' in summary
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="id_question"', html)
    assert 'aria-describedby="id_question_helptext id_question_error"' in html
    assert 'value="山田花子"' in html and 'value="bad"' in html
    assert 'value="post" id="id_reply_by_3" checked' in html or re.search(r'value="post"[^>]*checked', html)


def test_a_question_over_four_thousand_characters_is_refused_with_its_length_and_kept(client):
    long_question = "あ" * 4001
    response = send(client, question=long_question)
    html = response.content.decode()
    assert response.status_code == 400
    assert "4001" in html and "4000" in html
    assert long_question in html
    assert "4,001" in html  # the count under the field
    assert not InboxMessage.objects.exists()


def test_a_post_larger_than_the_limit_is_refused_saying_why_and_keeps_the_text(client, settings):
    settings.CONTACT_FORM_MAX_BYTES = 2000
    response = send(client, question="長い質問です。" * 100)
    html = response.content.decode()
    assert response.status_code == 413
    assert "長い質問です。" * 100 in html and settings.CENTRE_PHONE in html
    assert not InboxMessage.objects.exists()


def test_a_filled_honeypot_stores_nothing_and_says_so_with_the_phone_number(client, settings):
    response = send(client, website="http://spam.example/")
    html = response.content.decode()
    assert response.status_code == 400
    assert not InboxMessage.objects.exists() and not mail.outbox
    assert settings.CENTRE_PHONE in html and settings.CENTRE_FAX in html
    assert QUESTION in html and "http://spam.example/" not in html  # a person can send again
    assert not REFERENCE.search(html)


def test_a_visitor_past_the_hourly_limit_is_refused_with_what_to_do_and_keeps_the_text(client, settings):
    settings.CONTACT_FORM_LIMIT_PER_HOUR = 2
    assert send(client).status_code == 302
    assert send(client).status_code == 302
    refused = send(client, question="三通目の質問")
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "三通目の質問" in html and settings.CENTRE_PHONE in html
    assert InboxMessage.objects.count() == 2


def test_the_limit_holds_per_visitor_address(client, settings):
    settings.CONTACT_FORM_LIMIT_PER_HOUR = 1
    assert send(client).status_code == 302
    assert client.post("/contact/", form_data(), REMOTE_ADDR="192.0.2.7").status_code == 302
    assert send(client).status_code == 429


def test_a_form_posted_twice_stores_one_message_shows_the_same_reference_and_mails_once(client, settings):
    settings.CONTACT_FORM_LIMIT_PER_HOUR = 1  # the second post is not counted as a new message
    token = str(uuid.uuid4())
    first = thanks_page(client, send(client, form_token=token))
    second = thanks_page(client, send(client, form_token=token))
    assert InboxMessage.objects.count() == 1 and len(mail.outbox) == 1
    reference = InboxMessage.objects.get().reference
    assert reference in first.content.decode() and reference in second.content.decode()


def test_two_messages_whose_references_happen_to_be_equal_are_never_taken_for_a_double_post(client):
    send(client)
    stored = InboxMessage.objects.get()
    with mock.patch("inquiries.services.inbox.reference_for_token", return_value=stored.reference):
        response = send(client, question="別の質問")
    assert response.status_code == 409
    assert "別の質問" in response.content.decode()
    assert response.context["form"]["form_token"].value() != response.wsgi_request.POST["form_token"]
    assert InboxMessage.objects.count() == 1
    assert thanks_page(client, client.post("/contact/", response.context["form"].data)).status_code == 200
    assert InboxMessage.objects.count() == 2


def test_a_lost_form_token_does_not_bother_the_citizen(client):
    assert send(client, form_token="not-a-token").status_code == 302
    assert InboxMessage.objects.count() == 1


def test_the_thanks_page_shows_the_reference_and_what_happens_next(client, settings):
    page = thanks_page(client, send(client, reply_by="phone", phone="011-222-3333", email=""))
    html = page.content.decode()
    reference = InboxMessage.objects.get().reference
    assert f'<strong id="reference-number" lang="en" translate="no">{reference}</strong>' in html
    assert f"{settings.CONTACT_FORM_REPLY_DAYS}" in html and settings.CENTRE_PHONE in html
    assert 'name="robots" content="noindex"' in html


@pytest.mark.parametrize(
    "query",
    ["", "?r=", "?r=garbage", "?r=ABCD-EFGH-JK"],
)
def test_a_thanks_link_that_is_missing_or_made_up_gives_a_clear_message_not_an_error(client, query):
    response = client.get(f"/contact/thanks/{query}")
    assert response.status_code == 400
    assert "このリンクでは受付番号を表示できません" in response.content.decode()


def test_a_tampered_or_expired_thanks_link_shows_no_reference(client):
    page = send(client)
    signed = page["Location"].split("r=", 1)[1]
    assert client.get(f"/contact/thanks/?r={signed[:-2]}xx").status_code == 400
    forged = signing.dumps({"r": "0000-0000-00", "m": "email", "e": True}, salt="another-salt")
    assert client.get(f"/contact/thanks/?r={forged}").status_code == 400
    odd = signing.dumps({"r": ["x"], "m": "owl"}, salt=THANKS_SALT)
    assert client.get(f"/contact/thanks/?r={odd}").status_code == 400
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 2 * 24 * 3600):
        old = signing.dumps({"r": "0000-0000-00", "m": "email", "e": True}, salt=THANKS_SALT)
    assert client.get(f"/contact/thanks/?r={old}").status_code == 400
    assert client.get(page["Location"]).status_code == 200


def test_the_confirmation_e_mail_has_the_reference_and_never_the_question(client):
    send(client)
    reference = InboxMessage.objects.get().reference
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["hanako@example.jp"]
    assert reference in sent.subject and reference in sent.body
    assert QUESTION not in sent.body and "粗大ごみ" not in sent.body and "山田" not in sent.body


def test_the_confirmation_e_mail_is_in_the_citizens_interface_language(client):
    send(client, prefix="/en")
    assert InboxMessage.objects.get().language == "en"
    assert "Your reference number" in mail.outbox[0].body
    assert "We received your message" in mail.outbox[0].subject


def test_one_address_gets_at_most_three_confirmations_a_day_whatever_its_spelling(client, settings):
    settings.CONTACT_FORM_LIMIT_PER_HOUR = 10
    pages = [
        thanks_page(client, send(client, email=email)).content.decode()
        for email in ("hanako@example.jp", "Hanako@Example.jp", " HANAKO@example.jp", "hanako@example.jp")
    ]
    assert InboxMessage.objects.count() == 4
    assert len(mail.outbox) == 3
    promise = "入力されたメールアドレスにも受付番号をお送りします"
    assert promise in pages[2] and promise not in pages[3]  # the page promises no mail it did not send


def test_a_mail_server_failure_never_loses_the_message(client):
    with mock.patch("inquiries.services.inbox.send_mail", side_effect=OSError("mail server down")):
        response = send(client)
    assert response.status_code == 302
    assert InboxMessage.objects.count() == 1


def test_the_qa_the_citizen_came_from_is_kept_and_a_made_up_one_is_dropped(client):
    article = kb_services.save_article(article=ArticleFactory.build(status=Status.PUBLISHED))
    draft = kb_services.save_article(article=ArticleFactory.build(status=Status.DRAFT))
    page = client.get(f"/contact/?article={article.pk}").content.decode()
    assert f'name="article" value="{article.pk}"' in page
    send(client, article=str(article.pk))
    send(client, article=str(draft.pk))
    send(client, article="99999999999999999999999")
    assert [m.article_id for m in InboxMessage.objects.order_by("pk")] == [article.pk, None, None]


@pytest.mark.parametrize(
    ("prefix", "heading", "language"),
    [
        ("", "コールセンターへの問い合わせ", "ja"),
        ("/en", "Write to the call centre", "en"),
        ("/zh-hans", None, "zh-hans"),
        ("/ko", None, "ko"),
    ],
)
def test_the_form_works_in_all_four_interface_languages(client, prefix, heading, language):
    page = client.get(f"{prefix}/contact/")
    html = page.content.decode()
    assert page.status_code == 200 and f'<html lang="{language}"' in html
    if heading:
        assert heading in html
    assert "Write to the call centre" not in html or language == "en"
    response = send(client, prefix=prefix)
    assert response["Location"].startswith(f"{prefix}/contact/thanks/")
    assert InboxMessage.objects.get().language == language


def test_search_with_no_answer_and_every_qa_link_to_the_form(client, search_index):
    article = kb_services.save_article(
        article=ArticleFactory.build(
            status=Status.PUBLISHED, question="犬の登録", answer="区役所で登録します。"
        )
    )
    search_index.sync()
    assert f'href="/contact/?article={article.pk}"' in client.get(f"/faq/{article.pk}/").content.decode()
    assert (
        f'href="/en/contact/?article={article.pk}"' in client.get(f"/en/faq/{article.pk}/").content.decode()
    )
    nothing = client.get("/search/", {"q": "宝くじの当選番号"}).content.decode()
    assert 'href="/contact/"' in nothing


def test_a_city_with_its_own_form_elsewhere_can_send_the_links_there(client, settings, search_index):
    settings.CENTRE_CONTACT_FORM_URL = "https://www.city.example.jp/form/"
    article = kb_services.save_article(article=ArticleFactory.build(status=Status.PUBLISHED))
    html = client.get(f"/faq/{article.pk}/").content.decode()
    assert 'href="https://www.city.example.jp/form/"' in html and "/contact/" not in html
