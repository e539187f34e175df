"""One inquiry: every field with its label, the Q&As used in order, its history; changing it
without losing a word; its caller's contact read and saved only on its own page, audited."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from contactcenter.accounts.audit import events_for
from contactcenter.accounts.models import AuditEvent
from inquiries import audit, services
from inquiries.forms_edit import TEXT_MAX_LENGTH
from inquiries.models import CallerContact, Inquiry, InquiryStatus, Outcome
from inquiries.tests.factories import CallerContactFactory, InquiryArticleFactory
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)


def detail(inquiry):
    return reverse("inquiries:detail", args=[inquiry.pk])


def edit(inquiry):
    return reverse("inquiries:edit", args=[inquiry.pk])


def contact_page(inquiry):
    return reverse("inquiries:contact", args=[inquiry.pk])


def form_fields(inquiry, **changes):
    """What the edit page posts when nothing is changed, then `changes`."""

    def shown(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S") if moment else ""

    values = {
        "version": inquiry.version,
        "received_at": shown(inquiry.received_at),
        "ended_at": shown(inquiry.ended_at),
        "channel": inquiry.channel,
        "language": inquiry.language,
        "kind": inquiry.kind,
        "category": "",
        "summary": inquiry.summary,
        "answer": inquiry.answer,
        "outcome": inquiry.outcome,
        "age_band": inquiry.age_band,
        "gender": inquiry.gender,
        "caller_type": inquiry.caller_type,
        "area": inquiry.area,
        "satisfaction": "",
    }
    return {**values, **changes}


def test_the_detail_shows_every_field_with_its_label_and_the_qas_in_order(operator, inquiry):
    second, first = ArticleFactory(question="粗大ごみの料金"), ArticleFactory(question="粗大ごみの出し方")
    InquiryArticleFactory(inquiry=inquiry, article=first, position=0)
    InquiryArticleFactory(inquiry=inquiry, article=second, position=1)
    response = client_for(operator).get(detail(inquiry), headers={"accept-language": "en"})
    page = response.content.decode()
    for label in (
        "Received at",
        "Channel",
        "Kind",
        "What was asked",
        "Outcome",
        "Status",
        "Area",
        "Taken by",
    ):
        assert f"<dt>{label}</dt>" in page
    assert page.index("粗大ごみの出し方") < page.index("粗大ごみの料金")
    # An operator cannot open the editors' Q&A page: the question without a link.
    assert reverse("kb:detail", args=[first.pk]) not in page


def test_a_supervisor_gets_links_to_the_qas_they_may_open(supervisor, inquiry):
    article = ArticleFactory()
    InquiryArticleFactory(inquiry=inquiry, article=article)
    page = client_for(supervisor).get(detail(inquiry)).content.decode()
    assert reverse("kb:detail", args=[article.pk]) in page


def test_the_history_says_when_who_and_which_fields_changed(operator, leader):
    inquiry, _ = services.log_inquiry(
        operator=operator,
        data=services.InquiryData(
            fields={"summary": "犬の登録", "answer": "区役所", "outcome": Outcome.RESOLVED}
        ),
    )
    client_for(leader).post(edit(inquiry), form_fields(inquiry, summary="犬の登録と鑑札", kind="request"))
    response = client_for(leader).get(detail(inquiry), headers={"accept-language": "en"})
    newest, first = response.context["history"]
    assert newest["who"] == leader and first["who"] == operator
    assert set(newest["changed"]) == {"What was asked", "Kind"}
    assert first["changed"] == ["Recorded"]


def test_the_detail_offers_the_contact_only_as_a_link_and_reads_none(operator):
    contact = CallerContactFactory(inquiry__operator=operator)
    page = client_for(operator).get(detail(contact.inquiry)).content.decode()
    assert contact_page(contact.inquiry) in page
    assert contact.phone not in page and contact.name not in page
    assert not AuditEvent.objects.filter(action=audit.CONTACT_VIEWED).exists()


def test_an_edit_is_saved_with_its_history_and_the_qas_used_stay(operator, inquiry):
    article = ArticleFactory()
    InquiryArticleFactory(inquiry=inquiry, article=article)
    response = client_for(operator).post(
        edit(inquiry), form_fields(inquiry, outcome="", callback_needed="on", area="kita", satisfaction="4")
    )
    assert response.status_code == 302 and response["Location"] == detail(inquiry)
    saved = Inquiry.objects.get(pk=inquiry.pk)
    assert (saved.status, saved.area, saved.satisfaction, saved.version) == (
        InquiryStatus.WAITING,
        "kita",
        4,
        2,
    )
    assert saved.history.latest().history_user == operator
    assert list(saved.articles.all()) == [article]


def test_opening_and_saving_without_a_change_changes_nothing(operator, inquiry):
    received = Inquiry.objects.get(pk=inquiry.pk).received_at
    client_for(operator).post(edit(inquiry), form_fields(inquiry))
    assert Inquiry.objects.get(pk=inquiry.pk).received_at == received  # fractions of a second kept


def test_the_second_editor_is_refused_and_keeps_what_they_typed(operator, leader, inquiry):
    opened = form_fields(inquiry)
    client_for(leader).post(edit(inquiry), {**opened, "summary": "リーダーの修正"})
    response = client_for(operator).post(edit(inquiry), {**opened, "summary": "オペレーターの修正"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "オペレーターの修正" in page  # what they typed is still in the form
    assert "リーダーの修正" in page  # beside the version saved meanwhile
    assert Inquiry.objects.get(pk=inquiry.pk).summary == "リーダーの修正"
    seen = response.context["form"]["version"].value()
    assert seen == Inquiry.objects.get(pk=inquiry.pk).version
    client_for(operator).post(edit(inquiry), {**opened, "summary": "オペレーターの修正", "version": seen})
    assert Inquiry.objects.get(pk=inquiry.pk).summary == "オペレーターの修正"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_at": "yesterday"}, "received_at"),
        ({"received_at": ""}, "received_at"),
        ({"ended_at": "2000-01-01T00:00:00"}, "ended_at"),
        ({"channel": "pigeon"}, "channel"),
        ({"area": "atlantis"}, "area"),
        ({"satisfaction": "6"}, "satisfaction"),
        ({"satisfaction": "3", "survey_declined": "on"}, "survey_declined"),
        ({"category": "999999"}, "category"),
        ({"summary": "あ" * (TEXT_MAX_LENGTH + 1)}, "summary"),
    ],
)
def test_a_bad_value_gets_a_message_and_nothing_typed_is_lost(operator, inquiry, changes, field):
    typed = "オペレーターが書いた回答"
    response = client_for(operator).post(edit(inquiry), form_fields(inquiry, answer=typed, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert typed in response.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).version == inquiry.version


def test_a_too_long_summary_is_refused_with_its_length_and_kept_whole(operator, inquiry):
    text = "あ" * (TEXT_MAX_LENGTH + 1)
    response = client_for(operator).post(
        edit(inquiry), form_fields(inquiry, summary=text), headers={"accept-language": "en"}
    )
    message = " ".join(response.context["form"].errors["summary"])
    assert "at most" in message and str(TEXT_MAX_LENGTH) in message and str(TEXT_MAX_LENGTH + 1) in message
    assert text in response.content.decode()
    assert 'maxlength="' not in response.content.decode().split('name="summary"')[1].split(">")[0]


def test_a_ten_thousand_character_summary_with_emoji_is_kept_and_control_characters_go(operator, inquiry):
    long = "粗大ごみ🗑️" * 2000  # 10,000 characters
    client_for(operator).post(
        edit(inquiry), form_fields(inquiry, summary=long, answer="一行目\r\n\t二行目\x00\x07\x1b[31m\u0085")
    )
    saved = Inquiry.objects.get(pk=inquiry.pk)
    assert saved.summary == long
    assert saved.answer == "一行目\n\t二行目[31m"


def test_closing_without_a_summary_is_refused_with_the_reason(operator, inquiry):
    response = client_for(operator).post(
        edit(inquiry),
        form_fields(inquiry, summary="", outcome=Outcome.RESOLVED),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert "Write what was asked before closing" in response.content.decode()


def test_times_are_read_as_tokyo_time(operator, inquiry):
    client_for(operator).post(
        edit(inquiry),
        form_fields(
            inquiry, received_at="2027-04-01T09:15:00", ended_at="2027-04-01T09:20:30", channel="phone"
        ),
    )
    saved = Inquiry.objects.get(pk=inquiry.pk)
    assert saved.received_at == datetime(2027, 4, 1, 9, 15, tzinfo=TOKYO)
    assert saved.handling_time.total_seconds() == 330


def test_reading_a_contact_is_audited_by_ids_and_sent_uncached(operator):
    contact = CallerContactFactory(inquiry__operator=operator)
    response = client_for(operator).get(contact_page(contact.inquiry))
    assert response.status_code == 200
    assert contact.phone in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = events_for(contact).get()
    assert (event.action, event.actor) == (audit.CONTACT_VIEWED, operator)
    assert contact.phone not in event.object_repr + event.note and contact.name not in event.object_repr


def test_a_leader_reads_any_contact_and_is_audited(leader, operator):
    contact = CallerContactFactory(inquiry__operator=operator)
    assert client_for(leader).get(contact_page(contact.inquiry)).status_code == 200
    assert events_for(contact).get().actor == leader


@pytest.mark.parametrize("persona", ["administrator", "department_editor", "other_operator"])
def test_a_contact_is_refused_and_nothing_is_read_or_written(request, operator, persona):
    contact = CallerContactFactory(inquiry__operator=operator)
    visitor = client_for(request.getfixturevalue(persona))
    assert visitor.get(contact_page(contact.inquiry)).status_code == 404
    assert visitor.post(contact_page(contact.inquiry), {"phone": "000"}).status_code == 404
    assert CallerContact.objects.get(pk=contact.pk).phone == contact.phone
    assert not events_for(contact).exists()


def test_saving_a_contact_is_audited_by_ids_only(operator, inquiry):
    response = client_for(operator).post(
        contact_page(inquiry), {"name": "川崎 一郎", "phone": "044-200-0000\x00", "purpose": "折り返し"}
    )
    assert response.status_code == 302 and response["Location"] == detail(inquiry)
    contact = CallerContact.objects.get(inquiry=inquiry)
    assert (contact.name, contact.phone) == ("川崎 一郎", "044-200-0000")
    event = events_for(contact).get()
    assert event.action == audit.CONTACT_SAVED and event.actor == operator
    assert "川崎" not in event.object_repr and "044" not in event.object_repr + event.note


def test_a_bad_email_keeps_the_rest_of_the_contact_typed(operator, inquiry):
    response = client_for(operator).post(
        contact_page(inquiry), {"name": "川崎 一郎", "email": "not-an-address"}
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "川崎 一郎" in response.content.decode()
    assert not CallerContact.objects.exists()
