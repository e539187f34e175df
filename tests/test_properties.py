"""Whatever a visitor or a mail server sends, the answer is a clear 4xx or a normal page, never a
500, and nothing is half-written. Hypothesis makes the input: any text, control characters,
lone surrogates' UTF-8 stand-ins, huge numbers, wrong types, broken MIME.

Bounded for CI (it runs the suite twice): a fixed number of examples per property, no deadline
(a slow machine is not a failure), derandomised so a run is repeatable.
"""

import uuid

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import THIS_SITE
from inquiries.models import InboxMessage, Inquiry
from inquiries.services.email import ingest_email
from knowledgebase.importing import ImportFailed, decode, import_rows, read_rows
from knowledgebase.models import Article, Feedback
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text a browser can send in a query string or a form (no NUL: HTTP clients drop it, and the
# forms strip control characters anyway; a NUL case is below).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
# What can arrive in a Cookie header: HTTP carries it as Latin-1 bytes (WSGI servers decode it so).
COOKIE = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters=";"), max_size=100
)
NUMBERISH = st.one_of(st.integers(min_value=-(10**20), max_value=10**20).map(str), TEXT)


@pytest.fixture
def published(db):
    return ArticleFactory(
        question="粗大ごみの出し方を教えてください",
        answer="受付センターに申し込みます。",
        category=CategoryFactory(),
    )


def not_server_error(response) -> None:
    assert response.status_code < 500, response.status_code


@BOUNDED
@given(query=TEXT, page=NUMBERISH, language=st.sampled_from(["", "/en", "/zh-hans", "/ko"]))
def test_public_search_answers_any_query_and_page(published, query, page, language):
    not_server_error(Client().get(f"{language}/search/", {"q": query, "page": page}))


@BOUNDED
@given(query=TEXT, lang=TEXT, page=NUMBERISH, per_page=NUMBERISH, category=NUMBERISH)
def test_the_api_answers_any_parameters(published, query, lang, page, per_page, category):
    client = Client()
    params = {"q": query, "lang": lang, "page": page, "per_page": per_page, "category": category}
    not_server_error(client.get("/api/v1/faq/search", params))
    not_server_error(client.get("/api/v1/faq/suggest", {"q": query, "lang": lang}))


@BOUNDED
@given(page=NUMBERISH, shown=TEXT, cookie_text=COOKIE, cookie_language=COOKIE)
def test_qa_and_category_pages_answer_any_parameters_and_cookies(
    published, page, shown, cookie_text, cookie_language
):
    client = Client()
    client.cookies["display"] = cookie_text
    client.cookies["django_language"] = cookie_language
    not_server_error(client.get(f"/faq/{published.pk}/", {"lang": shown}, follow=True))
    not_server_error(client.get(f"/category/{published.category_id}/", {"page": page}))
    not_server_error(client.get("/display/", {"text": shown, "next": cookie_text}))


@BOUNDED
@given(helpful=TEXT, comment=TEXT)
def test_feedback_answers_any_form_and_writes_at_most_one_row(published, helpful, comment):
    before = Feedback.objects.count()
    not_server_error(
        Client().post(
            f"/faq/{published.pk}/feedback/", {"helpful": helpful, "comment": comment}, HTTP_ORIGIN=THIS_SITE
        )
    )
    assert Feedback.objects.count() - before in (0, 1)


@BOUNDED
@given(
    question=TEXT,
    reply_by=st.one_of(st.sampled_from(["email", "phone", "fax", "post", "none"]), TEXT),
    email=TEXT,
    phone=TEXT,
    age=TEXT,
    token=st.one_of(st.uuids().map(str), TEXT),
)
def test_the_contact_form_answers_any_form_and_stores_whole_messages_only(
    db, question, reply_by, email, phone, age, token
):
    before = InboxMessage.objects.count()
    response = Client(REMOTE_ADDR=f"192.0.2.{uuid.uuid4().int % 250}").post(
        "/contact/",
        {
            "question": question,
            "reply_by": reply_by,
            "email": email,
            "phone": phone,
            "age_band": age,
            "form_token": token,
        },
    )
    not_server_error(response)
    added = InboxMessage.objects.count() - before
    assert added in (0, 1)
    if added:
        row = InboxMessage.objects.latest("pk")
        assert row.question.strip() and row.reference


def test_a_nul_in_a_query_or_form_is_no_error(published):
    client = Client()
    not_server_error(client.get("/search/", {"q": "粗大\x00ごみ"}))
    not_server_error(
        client.post(
            "/contact/", {"question": "質問\x00です", "reply_by": "none", "form_token": str(uuid.uuid4())}
        )
    )


MIME_PART = st.binary(max_size=400)
HEADER = st.sampled_from(
    [
        b"Content-Type: text/plain; charset=iso-2022-jp",
        b"Content-Type: text/plain; charset=shift_jis",
        b"Content-Type: text/plain; charset=unknown-8bit",
        b"Content-Type: multipart/mixed; boundary=XYZ",
        b"Content-Type: multipart/mixed",
        b"Content-Transfer-Encoding: base64",
        b"Content-Transfer-Encoding: quoted-printable",
        b"Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg?=",
        b"Subject: =?utf-8?B?broken",
        b"From: =?shift_jis?B?gqCCoA==?= <a@example.jp>",
        b"Message-ID: <same@example.jp>",
        b"In-Reply-To: <nowhere@example.jp>",
        b"Auto-Submitted: auto-replied",
    ]
)


@BOUNDED
@given(headers=st.lists(HEADER, max_size=6), body=MIME_PART, tail=MIME_PART)
def test_any_mail_is_taken_in_or_set_aside_never_crashing(db, headers, body, tail):
    raw = b"\r\n".join(headers) + b"\r\n\r\n" + body + b"\r\n--XYZ\r\n" + tail
    result = ingest_email(raw=raw)
    if result.email is not None:
        assert result.email.raw.size > 0  # the message as received is always kept
        assert Inquiry.objects.filter(pk=result.email.inquiry_id).exists()


@BOUNDED
@given(data=st.binary(max_size=2000))
def test_any_import_file_is_read_or_refused_with_reasons_and_nothing_half_written(db, data):
    before = Article.objects.count()
    try:
        rows = read_rows(decode(data))
        import_rows(rows, dry_run=False)
    except ImportFailed as failure:
        assert failure.errors  # each with its line and what to fix
        assert Article.objects.count() == before
