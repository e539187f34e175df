"""Escalations: passing an inquiry the centre cannot answer to the department in charge, the
department's reply, the contact shared for one escalation, and Q&A drafts started from
inquiries (the knowledge loop).

Each function is one transaction, audited; a refusal raises EscalationError with the message
the person who tried reads, and writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import Department, User
from contactcenter.lib import workdays
from inquiries import audit
from inquiries.access import is_editor_of
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
from knowledgebase.access import can_publish
from knowledgebase.models import Article, Language, Status
from knowledgebase.services import save_article

# City departments keep office hours (8:45–17:15); a request passed on after they close is
# theirs from the next working day (see contactcenter.lib.workdays.counting_from).
DEPARTMENT_OFFICE_CLOSES = time(17, 15)
CANCEL_ESCALATIONS = "inquiries.change_escalation"


class EscalationError(Exception):
    """A change that cannot be made; the message says why, for the person who tried."""


class StaleEscalation(EscalationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This escalation was answered or changed by someone else after you opened it. "
                "Your reply was not saved; it is still below. Read the escalation as it is now."
            )
        )


def reply_by_for(moment: datetime) -> date:
    """The reply-by day of an escalation made at `moment`: ESCALATION_REPLY_WORKING_DAYS
    working days after the day it counts from (Japanese holidays and 29 Dec–3 Jan closed)."""
    return workdays.reply_by(
        timezone.localtime(moment),
        working_days=settings.ESCALATION_REPLY_WORKING_DAYS,
        closes=DEPARTMENT_OFFICE_CLOSES,
    )


def working_days_to_reply(escalated_at: datetime, replied_at: datetime) -> int:
    """Working days from the day an escalation counts from to the day of the reply."""
    start = workdays.counting_from(timezone.localtime(escalated_at), closes=DEPARTMENT_OFFICE_CLOSES)
    return workdays.working_days_between(start, timezone.localtime(replied_at).date())


def _save_inquiry(inquiry: Inquiry, user: User, fields: dict[str, object]) -> Inquiry:
    """Change an inquiry's fields as `update_inquiry` does: locked, version bumped, history kept."""
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked._history_user = user
    locked.save()
    for name in [*fields, "version", "updated_at"]:
        setattr(inquiry, name, getattr(locked, name))
    return locked


def _lock(escalation: Escalation, expected_version: int | None) -> Escalation:
    locked = Escalation.objects.select_for_update().select_related("inquiry").filter(pk=escalation.pk).first()
    if locked is None:
        raise EscalationError(_("This escalation no longer exists."))
    if expected_version is not None and locked.version != expected_version:
        raise StaleEscalation
    return locked


def _store(escalation: Escalation, fields: list[str]) -> None:
    escalation.version += 1
    escalation.save(update_fields=[*fields, "version"])


def can_escalate(user: User, inquiry: Inquiry) -> bool:
    """Whether the inquiry may be escalated now (the person's permission is checked apart)."""
    return inquiry.status != InquiryStatus.CLOSED or inquiry.kind == Kind.COMPLAINT


@transaction.atomic
def escalate_inquiry(
    *,
    inquiry: Inquiry,
    department: Department,
    reason: str,
    user: User,
    share_contact: bool = False,
    now: datetime | None = None,
) -> Escalation:
    """Pass an inquiry to a department with a reason and a reply-by date.

    The inquiry's outcome becomes `escalated` and it waits for the department. A closed
    inquiry is refused, except a complaint: a complaint is always passed on to the department
    concerned, even after the call was closed. Sharing the caller's contact at once is for
    the person who may read it (checked by the caller of this function).
    """
    current = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not can_escalate(user, current):
        raise EscalationError(
            _(
                "This inquiry is closed and cannot be escalated. If the citizen needs more, "
                "open it again (edit it and take away its outcome) or log a new inquiry."
            )
        )
    if not reason.strip():
        raise EscalationError(_("Say why the department must answer this."))
    if current.escalations.awaiting_department().filter(department=department).exists():
        raise EscalationError(
            _("This inquiry is already waiting for %(department)s. It cannot be sent there twice.")
            % {"department": department}
        )
    now = now or timezone.now()
    escalation = Escalation.objects.create(
        inquiry=current,
        department=department,
        reason=reason.strip(),
        reply_by=reply_by_for(now),
        created_by=user,
        created_at=now,
    )
    _save_inquiry(inquiry, user, {"outcome": Outcome.ESCALATED, "status": InquiryStatus.WAITING})
    record_event(actor=user, action=audit.ESCALATED, target=escalation, to_state=EscalationStatus.WAITING)
    if share_contact:
        _share(escalation, user, now)
    return escalation


def can_answer(user: User, escalation: Escalation) -> bool:
    """Department editors of the escalation's own department, while it waits for them."""
    return is_editor_of(user, escalation) and escalation.is_awaiting_department()


@transaction.atomic
def answer_escalation(
    *,
    escalation: Escalation,
    user: User,
    reply: str,
    action: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Escalation:
    """The department's answer. `action` is a ReplyAction (a task for the centre: call the
    citizen back, or reply in writing) or EscalationStatus.ANSWERED_DIRECTLY (the department
    answered the citizen itself, and the inquiry closes).

    A task goes back to whoever escalated it (unless someone is assigned already): the
    inquiry is open again, and a callback shows among that person's callbacks owed.
    Refused, with nothing written, once the escalation no longer waits (another editor
    answered first: `expected_version`) or the inquiry was closed meanwhile.
    """
    if not is_editor_of(user, escalation):
        raise EscalationError(_("Only the department this was escalated to can answer it."))
    if action not in (*ReplyAction.values, EscalationStatus.ANSWERED_DIRECTLY):
        raise EscalationError(_("Choose what happens next."))
    if not reply.strip():
        raise EscalationError(_("Write the department's reply."))
    locked = _lock(escalation, expected_version)
    if not locked.is_awaiting_department():
        raise EscalationError(
            _("This escalation is no longer waiting for your department (%(status)s). Nothing was saved.")
            % {"status": locked.get_status_display()}
        )
    inquiry = Inquiry.objects.select_for_update().get(pk=locked.inquiry_id)
    if inquiry.status == InquiryStatus.CLOSED:
        raise EscalationError(
            _("The centre closed this inquiry meanwhile. Your reply was not saved; call the centre.")
        )
    now = now or timezone.now()
    locked.reply = reply.strip()
    locked.replied_by = user
    locked.replied_at = now
    locked.reply_working_days = working_days_to_reply(locked.created_at, now)
    if action == EscalationStatus.ANSWERED_DIRECTLY:
        locked.status = EscalationStatus.ANSWERED_DIRECTLY
        locked.reply_action = ""
        locked.closed_at = now
        fields: dict[str, object] = (
            {"status": InquiryStatus.CLOSED}
            if not _others_open(locked)
            else {"status": InquiryStatus.WAITING}
        )
    else:
        locked.status = EscalationStatus.REPLIED
        locked.reply_action = action
        fields = {
            "status": InquiryStatus.OPEN,
            "assigned_to_id": inquiry.assigned_to_id or locked.created_by_id,
        }
        if action == ReplyAction.CALL_BACK:
            fields["callback_needed"] = True
    _store(
        locked,
        ["reply", "replied_by", "replied_at", "reply_working_days", "status", "reply_action", "closed_at"],
    )
    _save_inquiry(escalation.inquiry, user, fields)
    record_event(
        actor=user,
        action=audit.ESCALATION_ANSWERED,
        target=locked,
        from_state=EscalationStatus.WAITING,
        to_state=locked.status,
    )
    _copy(locked, escalation)
    return escalation


def _copy(source: Escalation, target: Escalation) -> None:
    for field in Escalation._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _others_open(escalation: Escalation) -> bool:
    """Whether the inquiry still waits for another department or has another reply to pass on."""
    return (
        Escalation.objects.filter(inquiry_id=escalation.inquiry_id)
        .exclude(pk=escalation.pk)
        .filter(status__in=[EscalationStatus.WAITING, EscalationStatus.REPLIED])
        .exists()
    )


def can_finish(user: User, escalation: Escalation) -> bool:
    """Centre staff who see the inquiry, once the department's reply is theirs to pass on."""
    return escalation.status == EscalationStatus.REPLIED and user.has_perm("inquiries.change_inquiry")


@transaction.atomic
def finish_escalation_task(*, escalation: Escalation, user: User, now: datetime | None = None) -> Escalation:
    """The centre passed the department's reply on (called back, or replied): the escalation
    is done, and the inquiry closes unless another department's part is still open."""
    locked = _lock(escalation, None)
    if locked.status != EscalationStatus.REPLIED:
        raise EscalationError(
            _("There is no department reply to pass on here (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    _mark_done(locked, user, now or timezone.now())
    if not _others_open(locked):
        _save_inquiry(locked.inquiry, user, {"status": InquiryStatus.CLOSED})
    _copy(locked, escalation)
    return escalation


def _mark_done(escalation: Escalation, user: User, now: datetime) -> None:
    escalation.status = EscalationStatus.DONE
    escalation.closed_at = now
    _store(escalation, ["status", "closed_at"])
    record_event(
        actor=user,
        action=audit.ESCALATION_FINISHED,
        target=escalation,
        from_state=EscalationStatus.REPLIED,
        to_state=EscalationStatus.DONE,
    )


def pass_replies_on(*, inquiry: Inquiry, user: User) -> None:
    """The centre has just answered the citizen in writing (e-mail, fax or letter): every
    department reply it had to pass on is passed on (done). Call inside the reply's
    transaction, before the inquiry's status is worked out again."""
    now = timezone.now()
    for escalation in Escalation.objects.select_for_update().filter(
        inquiry=inquiry, status=EscalationStatus.REPLIED
    ):
        _mark_done(escalation, user, now)


def settle_escalations(*, inquiry: Inquiry, user: User) -> None:
    """The centre closed an escalated inquiry by other means (on the edit page): a reply it
    had to pass on was passed on (done); an escalation still waiting is withdrawn (cancelled),
    so the department is no longer asked nor reminded. Call inside the closing transaction."""
    now = timezone.now()
    for escalation in Escalation.objects.select_for_update().filter(
        inquiry=inquiry, status__in=[EscalationStatus.REPLIED, EscalationStatus.WAITING]
    ):
        if escalation.status == EscalationStatus.REPLIED:
            _mark_done(escalation, user, now)
            continue
        escalation.status = EscalationStatus.CANCELLED
        escalation.closed_at = now
        _store(escalation, ["status", "closed_at"])
        record_event(
            actor=user,
            action=audit.ESCALATION_CANCELLED,
            target=escalation,
            from_state=EscalationStatus.WAITING,
            to_state=EscalationStatus.CANCELLED,
            note="inquiry closed",
        )


def status_with_escalations(inquiry: Inquiry, status: str) -> str:
    """An escalated inquiry's status as its escalations have it: waiting while a department
    has it, open while a reply is to be passed on, closed when every part is done."""
    if inquiry.pk is None or inquiry.outcome != Outcome.ESCALATED:
        return status
    states = set(inquiry.escalations.values_list("status", flat=True))
    if not states or EscalationStatus.WAITING in states:
        return status
    if EscalationStatus.REPLIED in states:
        return InquiryStatus.OPEN
    if states == {EscalationStatus.CANCELLED}:
        return status
    return InquiryStatus.CLOSED


def can_cancel(user: User, escalation: Escalation) -> bool:
    return user.has_perm(CANCEL_ESCALATIONS) and escalation.status in (
        EscalationStatus.WAITING,
        EscalationStatus.REPLIED,
    )


@transaction.atomic
def cancel_escalation(
    *, escalation: Escalation, user: User, note: str = "", now: datetime | None = None
) -> Escalation:
    """Take back an escalation (sent by mistake, or to the wrong department). When nothing else
    is escalated, the inquiry is open again without an outcome, for the centre to settle."""
    if not user.has_perm(CANCEL_ESCALATIONS):
        raise EscalationError(_("Only leaders and supervisors can cancel an escalation."))
    locked = _lock(escalation, None)
    if locked.status not in (EscalationStatus.WAITING, EscalationStatus.REPLIED):
        raise EscalationError(
            _("This escalation is already over (%(status)s).") % {"status": locked.get_status_display()}
        )
    from_state = locked.status
    locked.status = EscalationStatus.CANCELLED
    locked.closed_at = now or timezone.now()
    _store(locked, ["status", "closed_at"])
    if not _others_open(locked):
        inquiry = Inquiry.objects.get(pk=locked.inquiry_id)
        if inquiry.status != InquiryStatus.CLOSED:
            _save_inquiry(locked.inquiry, user, {"outcome": "", "status": InquiryStatus.OPEN})
    record_event(
        actor=user,
        action=audit.ESCALATION_CANCELLED,
        target=locked,
        from_state=from_state,
        to_state=EscalationStatus.CANCELLED,
        note=note.strip(),
    )
    _copy(locked, escalation)
    return escalation


def _share(escalation: Escalation, user: User, now: datetime) -> None:
    escalation.contact_shared_at = now
    escalation.contact_shared_by = user
    _store(escalation, ["contact_shared_at", "contact_shared_by"])
    record_event(actor=user, action=audit.CONTACT_SHARED, target=escalation)


@transaction.atomic
def share_contact(*, escalation: Escalation, user: User, now: datetime | None = None) -> Escalation:
    """Let the department of this one escalation read the caller's contact (for example to
    answer the citizen directly). Who may: see `inquiries.access.can_share_contact`."""
    locked = _lock(escalation, None)
    if not locked.is_awaiting_department():
        raise EscalationError(
            _("Only an escalation still waiting for the department can have the contact shared.")
        )
    if locked.contact_is_shared():
        raise EscalationError(_("The contact is already shared with this department."))
    _share(locked, user, now or timezone.now())
    _copy(locked, escalation)
    return escalation


def can_start_article(user: User, escalation: Escalation | None) -> bool:
    """Supervisors, and editors of the department the escalation went to."""
    if not user.has_perm("knowledgebase.change_article"):
        return False
    if can_publish(user):
        return True
    return escalation is not None and is_editor_of(user, escalation)


@transaction.atomic
def start_article_from_inquiry(
    *, inquiry: Inquiry, user: User, escalation: Escalation | None = None
) -> Article:
    """A new Q&A draft pre-filled from an inquiry: the question from its summary, the answer
    from the department's reply (or the centre's answer), the department and category set.
    It follows the editorial workflow like any draft and remembers where it came from."""
    if not can_start_article(user, escalation):
        raise EscalationError(_("Only supervisors and the department in charge can start a Q&A from this."))
    question = " ".join(inquiry.summary.split())
    if not question:
        raise EscalationError(_("This inquiry has no summary to make a question from."))
    answer = (escalation.reply if escalation is not None else "").strip()
    if not answer and can_publish(user):
        # The centre's own answer is for the centre's side; a department starts from its reply.
        answer = inquiry.answer.strip()
    if not answer:
        raise EscalationError(_("There is no reply or answer yet to make a Q&A from."))
    if escalation is not None:
        department = escalation.department
    elif (latest := inquiry.escalations.order_by("-created_at", "-pk").first()) is not None:
        department = latest.department
    else:
        department = None
    if not can_publish(user):
        department = user.department
    language = inquiry.language if inquiry.language in Language.values else Language.JAPANESE
    article = Article(
        question=question[: Article._meta.get_field("question").max_length],
        answer=answer,
        department=department,
        category=inquiry.category,
        language=language,
        status=Status.DRAFT,
    )
    save_article(article=article, user=user, reason=audit.ARTICLE_STARTED_FROM_INQUIRY)
    ArticleSource.objects.create(article=article, inquiry=inquiry, escalation=escalation, created_by=user)
    record_event(
        actor=user, action=audit.ARTICLE_STARTED_FROM_INQUIRY, target=article, note=f"inquiry {inquiry.pk}"
    )
    return article
