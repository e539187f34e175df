"""Logging and editing inquiries, callers' contacts and survey scores."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from inquiries import audit
from inquiries.models import (
    SPOKEN_CHANNELS,
    CallerContact,
    Inquiry,
    InquiryArticle,
    InquiryStatus,
    Outcome,
    SurveyPeriod,
)
from inquiries.services import escalations
from knowledgebase.models import Article, Language, SearchLog
from knowledgebase.services import log_search


class InquiryError(Exception):
    """A change that cannot be made; the message says why, for the person who tried."""


class WithdrawnArticles(InquiryError):
    """Q&As chosen for the answer were withdrawn (or expired) before the inquiry was saved."""

    def __init__(self, article_ids: list[int]) -> None:
        super().__init__(
            _(
                "A Q&A you used has been withdrawn meanwhile and was taken off the list. "
                "Check the answer, then save again."
            )
        )
        self.article_ids = article_ids


class StaleInquiry(InquiryError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this inquiry after you opened it. What you typed is still below: "
                "compare it with the version saved meanwhile, then save again."
            )
        )


@dataclass(frozen=True)
class UsedArticle:
    """A Q&A used for the answer, with the search (as typed, and its result count) that found it."""

    article_id: int
    query: str = ""
    result_count: int = 0


@dataclass
class InquiryData:
    """What the console or the edit page sends: the inquiry's own fields."""

    fields: dict[str, object]
    used: Sequence[UsedArticle] = ()
    settled_search: UsedArticle | None = None  # the last search, used or not
    contact: dict[str, str] = field(default_factory=dict)


def status_after(outcome: str, *, callback_needed: bool) -> str:
    """Where an inquiry stands once it has (or has not yet) an outcome.

    Escalated ones wait for the department; a callback keeps an unresolved one waiting;
    every other outcome closes it.
    """
    if outcome == Outcome.ESCALATED or (not outcome and callback_needed):
        return InquiryStatus.WAITING
    if outcome:
        return InquiryStatus.CLOSED
    return InquiryStatus.OPEN


def _search_language(language: str) -> str:
    return language if language in Language.values else Language.JAPANESE


def _link_articles(inquiry: Inquiry, data: InquiryData) -> None:
    """Attach the Q&As in the order used, logging each search that led to one exactly once,
    and the last search too when it led to none (what the knowledge-gap report reads)."""
    wanted = list(dict.fromkeys(used.article_id for used in data.used))
    live = set(Article.objects.live().filter(pk__in=wanted).values_list("pk", flat=True))
    gone = [
        pk for pk in wanted if pk not in live and not inquiry.article_links.filter(article_id=pk).exists()
    ]
    if gone:
        raise WithdrawnArticles(gone)
    logged: dict[str, SearchLog] = {}
    language = _search_language(inquiry.language)

    def logged_search(used: UsedArticle) -> SearchLog | None:
        query = used.query.strip()
        if not query:
            return None
        if query not in logged:
            logged[query] = log_search(
                query=query,
                language=language,
                channel=SearchLog.Channel.OPERATOR,
                result_count=used.result_count,
            )
        return logged[query]

    existing = {link.article_id: link for link in inquiry.article_links.all()}
    by_article = {used.article_id: used for used in data.used}
    inquiry.article_links.exclude(article_id__in=wanted).delete()
    for position, article_id in enumerate(wanted):
        link = existing.get(article_id)
        if link is None:
            InquiryArticle.objects.create(
                inquiry=inquiry,
                article_id=article_id,
                position=position,
                search=logged_search(by_article[article_id]),
            )
        elif link.position != position:
            link.position = position
            link.save(update_fields=["position"])
    if data.settled_search is not None:
        logged_search(data.settled_search)


def _save_contact(inquiry: Inquiry, values: dict[str, str], user: User | None) -> None:
    cleaned = {name: (value or "").strip() for name, value in values.items()}
    contact = CallerContact.objects.filter(inquiry=inquiry).first()
    if contact is None and not any(cleaned.values()):
        return
    contact = contact or CallerContact(inquiry=inquiry)
    if all(getattr(contact, name) == value for name, value in cleaned.items()) and contact.pk:
        return
    for name, value in cleaned.items():
        setattr(contact, name, value)
    contact.full_clean(exclude=["inquiry"])
    contact.save()
    record_event(actor=user, action=audit.CONTACT_SAVED, target=contact)


def _apply(inquiry: Inquiry, data: InquiryData) -> None:
    for name, value in data.fields.items():
        setattr(inquiry, name, value)
    inquiry.status = status_after(inquiry.outcome, callback_needed=inquiry.callback_needed)
    if inquiry.is_closed() and inquiry.outcome != Outcome.ABANDONED and not inquiry.summary.strip():
        raise InquiryError(_("Write what was asked before closing the inquiry."))


@transaction.atomic
def log_inquiry(
    *, operator: User, data: InquiryData, form_token: uuid.UUID | None = None, now: datetime | None = None
) -> tuple[Inquiry, bool]:
    """Record a contact with everything it needs in one transaction: the inquiry, the Q&As used
    (with the searches that found them) and, only if given, the caller's contact.

    The same form posted twice (same `form_token`) saves once: the second call returns the
    first inquiry and False.
    """
    if form_token is not None:
        existing = Inquiry.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing, False
    now = now or timezone.now()
    inquiry = Inquiry(operator=operator, form_token=form_token)
    _apply(inquiry, data)
    if inquiry.channel in SPOKEN_CHANNELS and inquiry.ended_at is None:
        inquiry.ended_at = max(now, inquiry.received_at)
    inquiry.full_clean(exclude=["operator", "assigned_to", "category", "articles"])
    inquiry._history_user = operator
    try:
        with transaction.atomic():
            inquiry.save()
    except IntegrityError:
        if form_token is not None and (existing := Inquiry.objects.filter(form_token=form_token).first()):
            return existing, False  # the twin request won the race
        raise
    _link_articles(inquiry, data)
    _save_contact(inquiry, data.contact, operator)
    return inquiry, True


@transaction.atomic
def update_inquiry(
    *, inquiry: Inquiry, user: User, data: InquiryData, expected_version: int | None
) -> Inquiry:
    """Change an inquiry; refused (StaleInquiry) when someone saved it after it was opened."""
    current = (
        Inquiry.objects.select_for_update().filter(pk=inquiry.pk).values_list("version", flat=True).first()
    )
    if current is None:
        raise InquiryError(_("This inquiry no longer exists."))
    if expected_version is not None and current != expected_version:
        raise StaleInquiry
    _apply(inquiry, data)
    inquiry.status = escalations.status_with_escalations(inquiry, inquiry.status)
    inquiry.version = current + 1
    inquiry.full_clean(exclude=["operator", "assigned_to", "category", "articles", "form_token"])
    inquiry._history_user = user
    inquiry.save()
    if inquiry.is_closed():
        escalations.settle_escalations(inquiry=inquiry, user=user)
    _link_articles(inquiry, data)
    _save_contact(inquiry, data.contact, user)
    return inquiry


@transaction.atomic
def save_caller_contact(*, inquiry: Inquiry, user: User, values: dict[str, str]) -> CallerContact | None:
    """Write the caller's contact of an inquiry (made when first needed), audited by ids only.

    Callers check `inquiries.access.can_edit_contact` first. Returns None when there was none
    and nothing was given.
    """
    _save_contact(inquiry, values, user)
    return CallerContact.objects.filter(inquiry=inquiry).first()


@transaction.atomic
def record_export(*, user: User, filters: str) -> None:
    """Audit a CSV export of inquiries: who, when and with which filters (no personal data).

    The event is filed under the person who exported: an export has no single inquiry."""
    record_event(actor=user, action=audit.EXPORTED, target=user, note=filters)


def survey_is_running(on: datetime | None = None) -> bool:
    return SurveyPeriod.objects.active(timezone.localdate(on)).exists()


@transaction.atomic
def record_satisfaction(*, inquiry: Inquiry, user: User, score: int | None) -> Inquiry:
    """The caller's 1–5 score, or None when they declined the survey."""
    if score is not None and not 1 <= score <= 5:
        raise InquiryError(_("A score is a whole number from 1 to 5."))
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    inquiry.satisfaction = score
    inquiry.survey_declined = score is None
    inquiry.version += 1
    inquiry._history_user = user
    inquiry.save(update_fields=["satisfaction", "survey_declined", "version", "updated_at"])
    return inquiry


@transaction.atomic
def save_survey_period(*, period: SurveyPeriod, user: User) -> SurveyPeriod:
    if period.pk is None:
        period.created_by = user
    period.full_clean()
    period.save()
    return period


def close_after_reply(*, inquiry: Inquiry, user: User, summary: str) -> None:
    """After the centre answered the citizen in writing: the inquiry is resolved by the centre,
    or, when a department had it, the department's reply counts as passed on and it closes
    once no department still has a part of it."""
    escalations.pass_replies_on(inquiry=inquiry, user=user)
    fields: dict[str, object] = {"summary": summary.strip()}
    if inquiry.outcome != Outcome.ESCALATED:
        fields["outcome"] = Outcome.RESOLVED
        if inquiry.operator_id is None:
            fields["operator"] = user
    used = [
        UsedArticle(article_id)
        for article_id in inquiry.article_links.order_by("position").values_list("article_id", flat=True)
    ]
    update_inquiry(
        inquiry=inquiry, user=user, data=InquiryData(fields=fields, used=used), expected_version=None
    )
