"""Logging and changing inquiries: one transaction each, nothing lost, nothing twice."""

import uuid

import pytest

from contactcenter.accounts.audit import events_for
from inquiries import audit, services
from inquiries.models import CallerContact, Inquiry, InquiryStatus, Outcome
from inquiries.services import InquiryData, UsedArticle
from knowledgebase import services as kb_services
from knowledgebase.models import SearchLog
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def call(**fields):
    return {"summary": "粗大ごみの出し方", "answer": "受付センターへ", "outcome": Outcome.RESOLVED, **fields}


def test_a_resolved_call_is_closed_with_its_qas_in_order_and_each_search_logged_once(operator):
    first, second = ArticleFactory(), ArticleFactory()
    data = InquiryData(
        fields=call(),
        used=[
            UsedArticle(second.pk, "粗大ごみ 料金", 12),
            UsedArticle(first.pk, "粗大ごみ 料金", 12),
        ],
        settled_search=UsedArticle(0, "粗大ごみ 料金", 12),
    )
    inquiry, created = services.log_inquiry(operator=operator, data=data)
    assert created and inquiry.status == InquiryStatus.CLOSED and inquiry.operator == operator
    assert [link.article for link in inquiry.article_links.all()] == [second, first]
    search = SearchLog.objects.get()
    assert (search.query, search.result_count, search.channel) == ("粗大ごみ 料金", 12, "operator")
    assert {link.search for link in inquiry.article_links.all()} == {search}
    assert inquiry.ended_at is not None  # a phone call ends when it is saved


def test_a_search_that_led_to_no_qa_is_logged_for_the_knowledge_gap_report(operator):
    data = InquiryData(fields=call(), settled_search=UsedArticle(0, "ふぐ調理師免許", 0))
    services.log_inquiry(operator=operator, data=data)
    assert SearchLog.objects.get().query == "ふぐ調理師免許"


def test_the_same_form_posted_twice_saves_one_inquiry(operator):
    token = uuid.uuid4()
    first, created = services.log_inquiry(
        operator=operator, data=InquiryData(fields=call()), form_token=token
    )
    again, created_again = services.log_inquiry(
        operator=operator, data=InquiryData(fields=call()), form_token=token
    )
    assert (created, created_again) == (True, False)
    assert first == again and Inquiry.objects.count() == 1


def test_closing_needs_a_summary_but_an_abandoned_call_does_not(operator):
    with pytest.raises(services.InquiryError):
        services.log_inquiry(operator=operator, data=InquiryData(fields=call(summary=" ")))
    assert not Inquiry.objects.exists()
    silent, _ = services.log_inquiry(
        operator=operator, data=InquiryData(fields=call(summary="", answer="", outcome=Outcome.ABANDONED))
    )
    assert silent.status == InquiryStatus.CLOSED


@pytest.mark.parametrize(
    ("outcome", "callback", "status"),
    [
        (Outcome.ESCALATED, False, InquiryStatus.WAITING),
        ("", True, InquiryStatus.WAITING),
        ("", False, InquiryStatus.OPEN),
        (Outcome.TRANSFERRED, False, InquiryStatus.CLOSED),
    ],
)
def test_status_follows_the_outcome_and_callbacks(operator, outcome, callback, status):
    inquiry, _ = services.log_inquiry(
        operator=operator, data=InquiryData(fields=call(outcome=outcome, callback_needed=callback))
    )
    assert inquiry.status == status


def test_a_qa_withdrawn_meanwhile_is_reported_and_nothing_is_written(operator, supervisor):
    article = ArticleFactory()
    kb_services.withdraw_article(article=article, user=supervisor, reason="制度終了")
    with pytest.raises(services.WithdrawnArticles) as error:
        services.log_inquiry(
            operator=operator, data=InquiryData(fields=call(), used=[UsedArticle(article.pk, "粗大ごみ", 3)])
        )
    assert error.value.article_ids == [article.pk]
    assert not Inquiry.objects.exists() and not SearchLog.objects.exists()


def test_a_second_save_of_a_changed_inquiry_is_refused(operator, leader):
    inquiry, _ = services.log_inquiry(operator=operator, data=InquiryData(fields=call()))
    opened = inquiry.version
    services.update_inquiry(
        inquiry=Inquiry.objects.get(pk=inquiry.pk),
        user=leader,
        data=InquiryData(fields={"summary": "粗大ごみの申込み方法"}),
        expected_version=opened,
    )
    with pytest.raises(services.StaleInquiry):
        services.update_inquiry(
            inquiry=Inquiry.objects.get(pk=inquiry.pk),
            user=operator,
            data=InquiryData(fields={"summary": "別の要約"}),
            expected_version=opened,
        )
    inquiry = Inquiry.objects.get(pk=inquiry.pk)
    assert inquiry.summary == "粗大ごみの申込み方法"
    assert inquiry.history.count() == 2


def test_a_callers_contact_is_kept_apart_and_audited_by_ids_only(operator):
    inquiry, _ = services.log_inquiry(
        operator=operator,
        data=InquiryData(
            fields=call(outcome="", callback_needed=True),
            contact={"name": "札幌 太郎", "phone": "090-1234-5678", "purpose": "回答の折り返し"},
        ),
    )
    contact = CallerContact.objects.get(inquiry=inquiry)
    event = events_for(contact).get()
    assert event.action == audit.CONTACT_SAVED
    assert "札幌" not in event.object_repr and "1234" not in event.object_repr
    assert str(inquiry.pk) in event.object_repr


def test_no_contact_row_is_made_when_no_contact_is_given(operator):
    services.log_inquiry(operator=operator, data=InquiryData(fields=call(), contact={"name": " "}))
    assert not CallerContact.objects.exists()


def test_satisfaction_is_a_score_from_one_to_five_or_declined(operator):
    inquiry, _ = services.log_inquiry(operator=operator, data=InquiryData(fields=call()))
    services.record_satisfaction(inquiry=inquiry, user=operator, score=5)
    assert Inquiry.objects.get(pk=inquiry.pk).satisfaction == 5
    services.record_satisfaction(inquiry=inquiry, user=operator, score=None)
    declined = Inquiry.objects.get(pk=inquiry.pk)
    assert declined.survey_declined and declined.satisfaction is None
    with pytest.raises(services.InquiryError):
        services.record_satisfaction(inquiry=inquiry, user=operator, score=6)
