"""Escalating inquiries to departments, their replies, the contact shared for one escalation,
and Q&A drafts from inquiries: every rule and every refusal (nothing written when refused)."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import Http404
from django.utils import timezone, translation

from contactcenter.accounts.audit import events_for
from contactcenter.accounts.models import AuditEvent
from contactcenter.accounts.roles import Role
from contactcenter.accounts.tests.factories import UserFactory
from inquiries import audit
from inquiries.access import (
    get_escalation_for_user,
    read_shared_contact,
    visible_escalations,
)
from inquiries.models import (
    ArticleSource,
    Escalation,
    EscalationStatus,
    Inquiry,
    InquiryStatus,
    Kind,
    Outcome,
    ReplyAction,
)
from inquiries.services import InquiryData, update_inquiry
from inquiries.services import escalations as services
from inquiries.tests.concurrency import on_postgresql, roles  # noqa: F401
from inquiries.tests.factories import CallerContactFactory, InquiryFactory
from knowledgebase.models import Article, Status
from knowledgebase.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
DIRECT = EscalationStatus.ANSWERED_DIRECTLY


@pytest.fixture(autouse=True)
def in_english():
    """The messages below are matched as written (in English)."""
    with translation.override("en"):
        yield


@pytest.fixture
def open_inquiry(operator):
    return InquiryFactory(operator=operator, outcome="", status=InquiryStatus.OPEN)


@pytest.fixture
def escalation(open_inquiry, operator, department):
    return services.escalate_inquiry(
        inquiry=open_inquiry, department=department, reason="担当課の判断が必要", user=operator
    )


def test_escalating_sets_the_outcome_waits_and_counts_working_days(
    open_inquiry, operator, department, settings
):
    settings.ESCALATION_REPLY_WORKING_DAYS = 5
    version = open_inquiry.version
    escalation = services.escalate_inquiry(
        inquiry=open_inquiry,
        department=department,
        reason="担当課の判断が必要",
        user=operator,
        now=datetime(2027, 4, 28, 10, 0, tzinfo=TOKYO),
    )
    assert escalation.reply_by == date(2027, 5, 11)  # Golden Week skipped
    inquiry = Inquiry.objects.get(pk=open_inquiry.pk)
    assert (inquiry.outcome, inquiry.status) == (Outcome.ESCALATED, InquiryStatus.WAITING)
    assert inquiry.version == version + 1
    assert inquiry.history.first().history_user == operator
    assert events_for(escalation).get().action == audit.ESCALATED


def test_an_escalation_after_office_hours_counts_from_the_next_working_day(
    open_inquiry, operator, department
):
    escalation = services.escalate_inquiry(
        inquiry=open_inquiry,
        department=department,
        reason="理由",
        user=operator,
        now=datetime(2026, 12, 28, 18, 0, tzinfo=TOKYO),
    )
    assert escalation.reply_by == date(2027, 1, 12)  # from 4 Jan; 11 Jan is 成人の日


def test_a_closed_inquiry_is_not_escalated(operator, department):
    inquiry = InquiryFactory(operator=operator)  # resolved and closed
    with pytest.raises(services.EscalationError, match="closed"):
        services.escalate_inquiry(inquiry=inquiry, department=department, reason="理由", user=operator)
    assert not Escalation.objects.exists()
    assert Inquiry.objects.get(pk=inquiry.pk).outcome == Outcome.RESOLVED


def test_a_complaint_is_escalated_even_after_it_was_closed(operator, department):
    complaint = InquiryFactory(operator=operator, kind=Kind.COMPLAINT)
    services.escalate_inquiry(inquiry=complaint, department=department, reason="苦情", user=operator)
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.status) == (Outcome.ESCALATED, InquiryStatus.WAITING)


def test_an_inquiry_already_waiting_for_a_department_is_not_sent_there_twice(
    escalation, operator, department
):
    with pytest.raises(services.EscalationError, match="already waiting"):
        services.escalate_inquiry(
            inquiry=escalation.inquiry, department=department, reason="再送", user=operator
        )
    assert Escalation.objects.count() == 1


def test_an_inquiry_may_wait_for_two_departments(escalation, operator, other_department):
    services.escalate_inquiry(
        inquiry=escalation.inquiry, department=other_department, reason="両方", user=operator
    )
    assert escalation.inquiry.escalations.count() == 2


def test_a_reason_is_required(open_inquiry, operator, department):
    with pytest.raises(services.EscalationError):
        services.escalate_inquiry(inquiry=open_inquiry, department=department, reason="  ", user=operator)
    assert not Escalation.objects.exists()


def test_a_call_back_reply_becomes_the_escalating_persons_callback(escalation, department_editor, operator):
    services.answer_escalation(
        escalation=escalation,
        user=department_editor,
        reply="来週から再開します",
        action=ReplyAction.CALL_BACK,
    )
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.REPLIED and escalation.reply_action == ReplyAction.CALL_BACK
    assert escalation.replied_by == department_editor
    inquiry = Inquiry.objects.get(pk=escalation.inquiry_id)
    assert inquiry.status == InquiryStatus.OPEN and inquiry.outcome == Outcome.ESCALATED
    assert inquiry.callback_needed and inquiry.assigned_to == operator
    assert Inquiry.objects.handled_by(operator).open_callbacks().filter(pk=inquiry.pk).exists()


def test_a_reply_in_writing_is_a_task_without_a_callback(escalation, department_editor, leader):
    Inquiry.objects.filter(pk=escalation.inquiry_id).update(assigned_to=leader)
    escalation.inquiry.refresh_from_db()
    services.answer_escalation(
        escalation=escalation, user=department_editor, reply="回答", action=ReplyAction.REPLY
    )
    inquiry = Inquiry.objects.get(pk=escalation.inquiry_id)
    assert inquiry.status == InquiryStatus.OPEN and not inquiry.callback_needed
    assert inquiry.assigned_to == leader  # someone was assigned already: it stays theirs


def test_answered_directly_closes_the_inquiry_with_its_outcome_kept(escalation, department_editor):
    services.answer_escalation(
        escalation=escalation, user=department_editor, reply="直接回答した", action=DIRECT
    )
    escalation.refresh_from_db()
    assert escalation.status == DIRECT and escalation.closed_at is not None
    inquiry = Inquiry.objects.get(pk=escalation.inquiry_id)
    assert (inquiry.status, inquiry.outcome) == (InquiryStatus.CLOSED, Outcome.ESCALATED)
    assert events_for(escalation).filter(action=audit.ESCALATION_ANSWERED).exists()


def test_the_reply_records_how_many_working_days_it_took(escalation, department_editor):
    tokyo = timezone.get_fixed_timezone(9 * 60)
    Escalation.objects.filter(pk=escalation.pk).update(created_at=datetime(2026, 4, 24, 10, tzinfo=tokyo))
    escalation.refresh_from_db()
    services.answer_escalation(
        escalation=escalation,
        user=department_editor,
        reply="直接回答した",
        action=DIRECT,
        now=datetime(2026, 5, 7, 15, tzinfo=tokyo),  # after Golden Week
    )
    escalation.refresh_from_db()
    assert escalation.reply_working_days == 5


def test_an_editor_of_another_department_cannot_answer(escalation, other_department):
    stranger = UserFactory(username="stranger", role=Role.DEPARTMENT_EDITOR, department=other_department)
    with pytest.raises(services.EscalationError):
        services.answer_escalation(escalation=escalation, user=stranger, reply="回答", action=DIRECT)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.WAITING and escalation.reply == ""


def test_operators_cannot_answer_for_the_department(escalation, operator):
    with pytest.raises(services.EscalationError):
        services.answer_escalation(escalation=escalation, user=operator, reply="回答", action=DIRECT)


def test_a_second_editor_answering_at_the_same_time_is_refused(escalation, department_editor, department):
    colleague = UserFactory(username="colleague", role=Role.DEPARTMENT_EDITOR, department=department)
    opened = escalation.version
    first = Escalation.objects.get(pk=escalation.pk)
    second = Escalation.objects.get(pk=escalation.pk)
    services.answer_escalation(
        escalation=first, user=department_editor, reply="先の回答", action=DIRECT, expected_version=opened
    )
    with pytest.raises(services.StaleEscalation):
        services.answer_escalation(
            escalation=second,
            user=colleague,
            reply="後の回答",
            action=ReplyAction.REPLY,
            expected_version=opened,
        )
    escalation.refresh_from_db()
    assert (escalation.reply, escalation.replied_by, escalation.status) == (
        "先の回答",
        department_editor,
        DIRECT,
    )


def test_an_answer_without_the_version_is_still_refused_once_answered(escalation, department_editor):
    services.answer_escalation(escalation=escalation, user=department_editor, reply="回答", action=DIRECT)
    with pytest.raises(services.EscalationError, match="no longer waiting"):
        services.answer_escalation(
            escalation=escalation, user=department_editor, reply="二度目", action=DIRECT
        )
    assert Escalation.objects.get().reply == "回答"


def test_a_reply_on_an_inquiry_closed_meanwhile_is_refused(escalation, department_editor):
    Inquiry.objects.filter(pk=escalation.inquiry_id).update(status=InquiryStatus.CLOSED)
    with pytest.raises(services.EscalationError, match="closed"):
        services.answer_escalation(escalation=escalation, user=department_editor, reply="回答", action=DIRECT)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.WAITING and escalation.reply == ""


@pytest.mark.parametrize("reply, action", [("", DIRECT), ("回答", "somewhere")])
def test_an_empty_reply_or_unknown_action_is_refused(escalation, department_editor, reply, action):
    with pytest.raises(services.EscalationError):
        services.answer_escalation(escalation=escalation, user=department_editor, reply=reply, action=action)
    assert Escalation.objects.get().status == EscalationStatus.WAITING


def test_finishing_the_task_closes_the_inquiry_and_the_escalation(escalation, department_editor, operator):
    services.answer_escalation(
        escalation=escalation, user=department_editor, reply="回答", action=ReplyAction.CALL_BACK
    )
    services.finish_escalation_task(escalation=escalation, user=operator)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.DONE and escalation.closed_at
    inquiry = Inquiry.objects.get(pk=escalation.inquiry_id)
    assert inquiry.status == InquiryStatus.CLOSED and not inquiry.has_open_callback()


def test_finishing_a_task_that_was_never_replied_is_refused(escalation, operator):
    with pytest.raises(services.EscalationError):
        services.finish_escalation_task(escalation=escalation, user=operator)
    assert Inquiry.objects.get(pk=escalation.inquiry_id).status == InquiryStatus.WAITING


def test_the_inquiry_stays_open_while_another_department_still_has_it(
    escalation, department_editor, operator, other_department
):
    services.escalate_inquiry(
        inquiry=escalation.inquiry, department=other_department, reason="両方", user=operator
    )
    services.answer_escalation(escalation=escalation, user=department_editor, reply="回答", action=DIRECT)
    assert Inquiry.objects.get(pk=escalation.inquiry_id).status == InquiryStatus.WAITING


def _edit(inquiry, user, **fields):
    values = {
        name: getattr(inquiry, name)
        for name in ("summary", "answer", "outcome", "callback_needed", "kind", "channel", "language")
    }
    return update_inquiry(
        inquiry=inquiry, user=user, data=InquiryData(fields={**values, **fields}), expected_version=None
    )


def test_editing_a_task_keeps_it_open_and_closing_it_marks_the_reply_done(
    escalation, department_editor, operator
):
    services.answer_escalation(
        escalation=escalation, user=department_editor, reply="回答", action=ReplyAction.REPLY
    )
    inquiry = Inquiry.objects.get(pk=escalation.inquiry_id)
    inquiry = _edit(inquiry, operator, answer="担当課の回答を伝えた")
    assert inquiry.status == InquiryStatus.OPEN  # not back to "waiting for the department"
    inquiry = _edit(inquiry, operator, outcome=Outcome.RESOLVED)
    assert inquiry.status == InquiryStatus.CLOSED
    assert Escalation.objects.get().status == EscalationStatus.DONE


def test_editing_an_inquiry_that_waits_keeps_it_waiting(escalation, operator):
    inquiry = _edit(Inquiry.objects.get(pk=escalation.inquiry_id), operator, answer="追記")
    assert inquiry.status == InquiryStatus.WAITING


def test_leaders_cancel_an_escalation_made_by_mistake(escalation, leader):
    services.cancel_escalation(escalation=escalation, user=leader, note="誤送信")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.CANCELLED
    inquiry = Inquiry.objects.get(pk=escalation.inquiry_id)
    assert (inquiry.outcome, inquiry.status) == ("", InquiryStatus.OPEN)
    assert events_for(escalation).get(action=audit.ESCALATION_CANCELLED).note == "誤送信"


def test_operators_and_departments_cannot_cancel(escalation, operator, department_editor):
    for user in (operator, department_editor):
        with pytest.raises(services.EscalationError):
            services.cancel_escalation(escalation=escalation, user=user)
    assert Escalation.objects.get().status == EscalationStatus.WAITING


def test_an_escalation_that_is_over_cannot_be_cancelled(escalation, department_editor, supervisor):
    services.answer_escalation(escalation=escalation, user=department_editor, reply="回答", action=DIRECT)
    with pytest.raises(services.EscalationError):
        services.cancel_escalation(escalation=escalation, user=supervisor)


def test_departments_see_only_their_own_escalations(
    escalation, department_editor, other_department, operator
):
    other = services.escalate_inquiry(
        inquiry=InquiryFactory(operator=operator, outcome="", status=InquiryStatus.OPEN),
        department=other_department,
        reason="別の課",
        user=operator,
    )
    assert list(visible_escalations(department_editor)) == [escalation]
    with pytest.raises(Http404):
        get_escalation_for_user(department_editor, other.pk)


def test_operators_see_the_escalations_of_their_own_inquiries_only(
    escalation, operator, other_operator, leader
):
    assert list(visible_escalations(operator)) == [escalation]
    assert not visible_escalations(other_operator).exists()
    assert list(visible_escalations(leader)) == [escalation]


def test_the_shared_contact_is_readable_by_that_department_only_and_audited(
    operator, department, other_department, department_editor
):
    contact = CallerContactFactory(inquiry__operator=operator)
    escalation = services.escalate_inquiry(
        inquiry=contact.inquiry, department=department, reason="直接説明が必要", user=operator
    )
    with pytest.raises(Http404):
        read_shared_contact(department_editor, escalation)  # not shared yet
    services.share_contact(escalation=escalation, user=operator)
    assert events_for(escalation).filter(action=audit.CONTACT_SHARED, actor=operator).exists()
    assert read_shared_contact(department_editor, escalation) == contact
    read = AuditEvent.objects.get(action=audit.SHARED_CONTACT_VIEWED)
    assert read.actor == department_editor and "090" not in read.note + read.object_repr

    stranger = UserFactory(username="stranger", role=Role.DEPARTMENT_EDITOR, department=other_department)
    with pytest.raises(Http404):
        read_shared_contact(stranger, escalation)
    # Another escalation of the same inquiry to another department gains nothing from it.
    second = services.escalate_inquiry(
        inquiry=contact.inquiry, department=other_department, reason="こちらも", user=operator
    )
    with pytest.raises(Http404):
        read_shared_contact(stranger, second)


def test_the_shared_contact_is_no_longer_readable_once_the_escalation_is_over(
    operator, department, department_editor
):
    contact = CallerContactFactory(inquiry__operator=operator)
    escalation = services.escalate_inquiry(
        inquiry=contact.inquiry, department=department, reason="理由", user=operator, share_contact=True
    )
    assert read_shared_contact(department_editor, escalation) == contact
    services.answer_escalation(escalation=escalation, user=department_editor, reply="直接回答", action=DIRECT)
    with pytest.raises(Http404):
        read_shared_contact(department_editor, escalation)


def test_sharing_twice_is_refused(escalation, operator):
    services.share_contact(escalation=escalation, user=operator)
    with pytest.raises(services.EscalationError):
        services.share_contact(escalation=escalation, user=operator)
    assert AuditEvent.objects.filter(action=audit.CONTACT_SHARED).count() == 1


def test_a_qa_draft_from_a_reply_is_prefilled_and_remembers_its_inquiry(escalation, department_editor):
    category = CategoryFactory()
    Inquiry.objects.filter(pk=escalation.inquiry_id).update(category=category)
    escalation.inquiry.refresh_from_db()
    services.answer_escalation(
        escalation=escalation, user=department_editor, reply="申込は電話で受け付けます。", action=DIRECT
    )
    article = services.start_article_from_inquiry(
        inquiry=escalation.inquiry, escalation=escalation, user=department_editor
    )
    assert article.status == Status.DRAFT
    assert (article.question, article.answer) == (escalation.inquiry.summary, "申込は電話で受け付けます。")
    assert article.department == escalation.department and article.category == category
    assert article.created_by == department_editor
    source = ArticleSource.objects.get(article=article)
    assert (source.inquiry, source.escalation) == (escalation.inquiry, escalation)


def test_supervisors_start_a_draft_from_an_inquiry_with_the_centres_answer(supervisor, operator):
    inquiry = InquiryFactory(operator=operator)
    article = services.start_article_from_inquiry(inquiry=inquiry, user=supervisor)
    assert article.answer == inquiry.answer and article.department is None
    assert ArticleSource.objects.get(article=article).escalation is None


def test_operators_and_other_departments_cannot_start_a_draft(escalation, operator, other_department):
    stranger = UserFactory(username="stranger", role=Role.DEPARTMENT_EDITOR, department=other_department)
    for user in (operator, stranger):
        with pytest.raises(services.EscalationError):
            services.start_article_from_inquiry(inquiry=escalation.inquiry, escalation=escalation, user=user)
    assert not Article.objects.exists()


def test_a_draft_needs_a_summary_and_an_answer(supervisor, operator):
    for inquiry in (
        InquiryFactory(operator=operator, summary=""),
        InquiryFactory(operator=operator, answer=""),
    ):
        with pytest.raises(services.EscalationError):
            services.start_article_from_inquiry(inquiry=inquiry, user=supervisor)
    assert not Article.objects.exists()


@on_postgresql
@pytest.mark.usefixtures("roles")
@pytest.mark.django_db(transaction=True)
def test_two_editors_answering_at_the_same_moment_save_one_reply(operator, department):
    editors = [
        UserFactory(username=f"editor{n}", role=Role.DEPARTMENT_EDITOR, department=department)
        for n in range(2)
    ]
    inquiry = InquiryFactory(operator=operator, outcome="", status=InquiryStatus.OPEN)
    escalation = services.escalate_inquiry(
        inquiry=inquiry, department=department, reason="理由", user=operator
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def answer(editor, text, action):
        try:
            mine = Escalation.objects.select_related("inquiry").get(pk=escalation.pk)
            barrier.wait()
            services.answer_escalation(
                escalation=mine, user=editor, reply=text, action=action, expected_version=mine.version
            )
            outcomes.append("saved")
        except services.EscalationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(editors[0], "一つ目", DIRECT)),
        threading.Thread(target=answer, args=(editors[1], "二つ目", ReplyAction.CALL_BACK)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    saved = Escalation.objects.get(pk=escalation.pk)
    inquiry.refresh_from_db()
    expected_status = InquiryStatus.CLOSED if saved.reply == "一つ目" else InquiryStatus.OPEN
    assert inquiry.status == expected_status and saved.version == escalation.version + 1


def test_a_department_starts_from_its_own_reply_never_the_centres_notes(escalation, department_editor):
    with pytest.raises(services.EscalationError):
        services.start_article_from_inquiry(
            inquiry=escalation.inquiry, escalation=escalation, user=department_editor
        )
    assert not Article.objects.exists()


def test_closing_a_waiting_inquiry_withdraws_its_escalation_and_a_late_reply_is_refused(
    escalation, operator, department_editor
):
    opened = Escalation.objects.get(pk=escalation.pk)  # the department's page, open meanwhile
    _edit(Inquiry.objects.get(pk=escalation.inquiry_id), operator, outcome=Outcome.RESOLVED)
    withdrawn = Escalation.objects.get(pk=escalation.pk)
    assert withdrawn.status == EscalationStatus.CANCELLED and not Escalation.objects.overdue(date(2999, 1, 1))
    with pytest.raises(services.EscalationError, match="changed by someone else"):
        services.answer_escalation(
            escalation=opened,
            user=department_editor,
            reply="回答",
            action=DIRECT,
            expected_version=opened.version,
        )
    assert Escalation.objects.get(pk=escalation.pk).reply == ""
