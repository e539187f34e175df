"""The CSV export of all inquiries: the list's filters, streamed row by row for a spreadsheet,
without formulas, without any caller's contact, and every export in the audit log."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from conftest import client_for
from contactcenter.accounts.models import AuditEvent
from inquiries import audit
from inquiries.models import Kind
from inquiries.tests.factories import CallerContactFactory, InquiryArticleFactory, InquiryFactory
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("inquiries:export")


def download(client, **params):
    response = client.get(EXPORT, params, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel in Japan reads UTF-8 with a BOM
    return response, list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_the_export_streams_every_column_for_a_spreadsheet(leader, operator):
    topic = CategoryFactory(name="ごみ")
    inquiry = InquiryFactory(
        operator=operator,
        category=CategoryFactory(name="粗大ごみ", parent=topic),
        area="kita",
        satisfaction=4,
    )
    for position, external_id in enumerate(["G-002", "G-001"]):
        InquiryArticleFactory(
            inquiry=inquiry, article=ArticleFactory(external_id=external_id), position=position
        )
    response, rows = download(client_for(leader))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="inquiries-')
    (row,) = rows
    assert row["ID"] == str(inquiry.pk)
    assert row["Category"] == "ごみ/粗大ごみ"
    assert row["Q&As used"] == "G-002 G-001"  # in the order used
    assert row["Taken by"] == operator.username
    assert (row["Area"], row["Satisfaction"], row["Declined the survey"]) == ("北区", "4", "0")
    assert list(row) == [
        "ID",
        "Received",
        "Ended",
        "Channel",
        "Kind",
        "Language",
        "Category",
        "What was asked",
        "What the centre answered",
        "Outcome",
        "Status",
        "Callback needed",
        "Taken by",
        "Q&As used",
        "Age",
        "Gender",
        "Caller",
        "Area",
        "Out of hours",
        "Satisfaction",
        "Declined the survey",
    ]


def test_a_cell_that_would_run_as_a_formula_is_neutralised(leader):
    InquiryFactory(summary='=HYPERLINK("http://evil.example")', answer="+81 11 000 0000")
    _, (row,) = download(client_for(leader))
    assert row["What was asked"] == '\'=HYPERLINK("http://evil.example")'
    assert row["What the centre answered"] == "'+81 11 000 0000"


def test_the_export_never_holds_a_callers_contact(leader, operator):
    contact = CallerContactFactory(inquiry__operator=operator)
    response = client_for(leader).get(EXPORT)
    body = b"".join(response.streaming_content).decode("utf-8")
    for personal in (contact.name, contact.phone, contact.email, contact.postal_address):
        assert personal not in body
    assert str(contact.inquiry.pk) in body


def test_the_export_applies_the_lists_filters_and_ignores_a_bad_one(leader):
    complaint = InquiryFactory(kind=Kind.COMPLAINT)
    InquiryFactory(kind=Kind.QUESTION)
    _, rows = download(client_for(leader), kind="complaint", channel="pigeon")
    assert [row["ID"] for row in rows] == [str(complaint.pk)]


def test_each_export_is_audited_with_its_filters_and_no_personal_data(leader):
    category = CategoryFactory(name="ごみ")
    download(
        client_for(leader), kind="complaint", category=category.pk, q="山田 太郎", received_from="2027-04-01"
    )
    event = AuditEvent.objects.get(action=audit.EXPORTED)
    assert event.actor == leader
    assert "kind=complaint" in event.note and f"category={category.pk}" in event.note
    assert "received_from=2027-04-01" in event.note
    assert "山田" not in event.note and "q=(5 characters)" in event.note


@pytest.mark.parametrize("rows", [1, 30])
def test_the_export_reads_the_same_number_of_queries_for_one_or_many_rows(
    leader, operator, rows, django_assert_max_num_queries
):
    topic = CategoryFactory(name="ごみ")
    category = CategoryFactory(name="粗大ごみ", parent=topic)
    for inquiry in InquiryFactory.create_batch(rows, operator=operator, category=category):
        InquiryArticleFactory(inquiry=inquiry, article=ArticleFactory())
    client = client_for(leader)
    # session, user, own and groups' permissions, the audit row (content type and insert, in
    # a savepoint), the inquiries with their categories and operators, the Q&As used, and the
    # session saved again
    with django_assert_max_num_queries(13):
        _, exported = download(client)
    assert len(exported) == rows
