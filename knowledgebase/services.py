"""Writes to the knowledge base. Each change that affects search appends to the index log
in the same transaction; the indexer of every host applies it to its local index."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from contactcenter.lib import ratelimit
from knowledgebase import audit
from knowledgebase.access import can_discard_revision
from knowledgebase.models import (
    FEEDBACK_COMMENT_LENGTH,
    REVISED_FIELDS,
    TEXT_FIELDS,
    Article,
    Category,
    Feedback,
    Flag,
    IndexLog,
    Language,
    Revision,
    SearchLog,
    SiteNotice,
    Status,
)
from knowledgebase.search.masking import mask_personal_data
from knowledgebase.search.plan import normalized_query


def log_index_change(article_ids: Iterable[int], operation: str = IndexLog.Operation.UPDATE) -> None:
    IndexLog.objects.bulk_create([IndexLog(article_id=pk, operation=operation) for pk in article_ids])


class WorkflowError(Exception):
    """A change the Q&A's state does not allow; the message says why, for the person who tried."""


class StaleEdit(WorkflowError):
    """Someone else saved the Q&A (or revision) after this person opened it."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this Q&A after you opened it. Your text is still below: "
                "compare it with the current version, then save again."
            )
        )


def _next_version(row: Article | Revision, expected_version: int | None, gone: str) -> int:
    """Lock the row and return its next version; StaleEdit if someone saved since it was opened."""
    current = (
        type(row).objects.select_for_update().filter(pk=row.pk).values_list("version", flat=True).first()
    )
    if current is None:
        raise WorkflowError(gone)
    if expected_version is not None and current != expected_version:
        raise StaleEdit
    return current + 1


@transaction.atomic
def save_article(
    *,
    article: Article,
    user: User | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Article:
    """Create or update a Q&A (any status), record the version and log the change for the index.

    With `expected_version` (the version the editor opened), a save on top of someone
    else's newer save is refused with StaleEdit instead of overwriting it.
    """
    if article.next_review is None:
        article.next_review = article.default_next_review(timezone.localdate())
    if article.pk is None:
        article.created_by = user
    else:
        article.version = _next_version(article, expected_version, _("This Q&A has been deleted."))
        article.note_text_change(Article.objects.filter(pk=article.pk).values_list(*TEXT_FIELDS).get())
    article.updated_by = user
    article.full_clean()
    article._history_user = user
    article._change_reason = reason
    article.save()
    log_index_change([article.pk])
    return article


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise WorkflowError(message)


def _transition(
    *, subject: Article | Revision, user: User | None, action: str, to_state: str, note: str = ""
) -> None:
    """Move a Q&A or a revision to another state, save it and record who did it and why."""
    from_state = subject.status
    subject.status = to_state
    if isinstance(subject, Article):
        save_article(article=subject, user=user, reason=action)
        target = subject
    else:
        subject.save(update_fields=["status", "updated_at"])
        target = subject.article
    record_event(
        actor=user, action=action, target=target, from_state=from_state, to_state=to_state, note=note
    )


@transaction.atomic
def submit_for_review(*, subject: Article | Revision, user: User, note: str = "") -> None:
    """A department's draft (a new Q&A, or a revision of a published one) goes to review."""
    _require(subject.status == Status.DRAFT, _("Only a draft can be submitted for review."))
    if isinstance(subject, Revision):
        note = note or _("Revision of the published Q&A")
    _transition(subject=subject, user=user, action=audit.SUBMIT, to_state=Status.REVIEW, note=note)


@transaction.atomic
def send_back(*, subject: Article | Revision, user: User, comment: str) -> None:
    """A supervisor returns a draft in review to its department, saying what to fix."""
    _require(subject.status == Status.REVIEW, _("Only a draft in review can be sent back."))
    _require(bool(comment.strip()), _("Say what needs to change, so the department can fix it."))
    _transition(subject=subject, user=user, action=audit.SEND_BACK, to_state=Status.DRAFT, note=comment)


@transaction.atomic
def publish_article(
    *, article: Article, user: User | None = None, at: timezone.datetime | None = None, note: str = ""
) -> Article:
    """Publish now, or from `at`; the index log makes it searchable within seconds."""
    _require(article.status != Status.PUBLISHED, _("This Q&A is already published."))
    if at is not None:
        article.publish_from = at
    article.prepare_to_publish(timezone.localdate())
    _transition(subject=article, user=user, action=audit.PUBLISH, to_state=Status.PUBLISHED, note=note)
    return article


@transaction.atomic
def withdraw_article(*, article: Article, user: User | None = None, reason: str = "") -> Article:
    """Take a published Q&A off every public page and search at once (the database re-check)."""
    _require(article.status == Status.PUBLISHED, _("Only a published Q&A can be withdrawn."))
    _transition(subject=article, user=user, action=audit.WITHDRAW, to_state=Status.ARCHIVED, note=reason)
    return article


class LiveTextChanged(WorkflowError):
    """The published Q&A changed while the editor had its revision open."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The published Q&A changed while you were editing. Your text is still below: see what "
                "changed in the published text, bring your changes up to date, then save again."
            )
        )


@transaction.atomic
def save_revision(
    *,
    revision: Revision,
    user: User,
    expected_version: int | None = None,
    seen_live_version: int | None = None,
) -> Revision:
    """Save changes to a published Q&A as a pending revision; the published text stays live.

    The save takes the live version the editor had on screen (`seen_live_version`) as the
    revision's new base: an editor brings a revision up to date after the live text changed
    underneath it simply by saving it again. If the live text changed after the form was
    opened, the save is refused (LiveTextChanged) so nobody overwrites a change unseen.
    """
    live_version = (
        Article.objects.select_for_update()
        .filter(pk=revision.article_id, status=Status.PUBLISHED)
        .values_list("version", flat=True)
        .first()
    )
    _require(live_version is not None, _("Only a published Q&A takes a revision."))
    if seen_live_version is not None and seen_live_version != live_version:
        raise LiveTextChanged
    if revision.pk is None:
        revision.created_by = user
    else:
        revision.version = _next_version(
            revision, expected_version, _("This revision has been approved or discarded meanwhile.")
        )
    revision.base_version = live_version
    revision.status = Status.DRAFT
    revision.updated_by = user
    revision.full_clean()
    revision.save()
    return revision


@transaction.atomic
def approve_revision(*, revision: Revision, user: User) -> Article:
    """Put a reviewed revision live: the Q&A takes its text, the revision is done."""
    _require(revision.status == Status.REVIEW, _("Only a revision in review can be approved."))
    article = revision.article
    _require(
        article.version == revision.base_version,
        _(
            "The published Q&A changed after these changes were started. Open “What changed in the "
            "published text”, bring the changes up to date and save them again; then submit them."
        ),
    )
    for name in REVISED_FIELDS:
        setattr(article, name, getattr(revision, name))
    article.catch_up_with_source()
    save_article(
        article=article, user=user, expected_version=revision.base_version, reason="revision approved"
    )
    revision.delete()
    record_event(
        actor=user,
        action=audit.PUBLISH,
        target=article,
        from_state=Status.PUBLISHED,
        to_state=Status.PUBLISHED,
        note=_("Revision approved"),
    )
    return article


@transaction.atomic
def discard_revision(*, revision: Revision, user: User) -> None:
    """Throw away a pending revision; the published text stays as it is."""
    _require(
        can_discard_revision(user, revision),
        _("Only the editor who started these changes or a supervisor can discard them."),
    )
    deleted, _rows = Revision.objects.filter(pk=revision.pk).delete()
    _require(bool(deleted), _("These changes have been approved or discarded meanwhile."))
    record_event(
        actor=user,
        action=audit.DISCARD,
        target=revision.article,
        from_state=revision.status,
        note=_("Pending changes discarded"),
    )


@transaction.atomic
def restore_version(*, article: Article, history_id: int, user: User) -> Article:
    """Bring back the text of an earlier version (a new version; the index and history record it)."""
    earlier = article.history.filter(history_id=history_id).first()
    _require(earlier is not None, _("That version does not exist."))
    for name in REVISED_FIELDS:
        attribute = "category_id" if name == "category" else name
        setattr(article, attribute, getattr(earlier, attribute))
    save_article(article=article, user=user, reason=f"restored version {earlier.version}")
    record_event(
        actor=user,
        action=audit.RESTORE,
        target=article,
        from_state=article.status,
        to_state=article.status,
        note=_("Restored version %(version)s") % {"version": earlier.version},
    )
    return article


@transaction.atomic
def start_translation(*, source: Article, language: str, user: User) -> Article:
    """A draft translation of a Japanese Q&A, holding the Japanese text to translate over."""
    _require(source.language == Language.JAPANESE, _("Translations are made from the Japanese Q&A."))
    _require(language != Language.JAPANESE, _("Choose a language other than Japanese."))
    existing = source.translations.filter(language=language).first()
    if existing is not None:
        return existing
    translation = Article(
        translation_of=source,
        language=language,
        status=Status.DRAFT,
        question=source.question,
        answer=source.answer,
        keywords="",
        department=source.department,
        category=source.category,
        audience=source.audience,
        changes_with_fiscal_year=source.changes_with_fiscal_year,
    )
    return save_article(article=translation, user=user, reason="translation started")


def flag_article(*, article: Article, user: User, reason: str) -> Flag:
    """An operator reports that a Q&A is wrong or outdated; it waits in its department's queue."""
    _require(bool(reason.strip()), _("Say in a line what is wrong."))
    return Flag.objects.create(article=article, raised_by=user, reason=reason.strip()[:200])


def resolve_flag(*, flag: Flag, user: User, resolution: str) -> Flag:
    _require(flag.resolved_at is None, _("This flag has already been resolved."))
    _require(bool(resolution.strip()), _("Say what was done about it."))
    flag.resolved_by, flag.resolved_at, flag.resolution = user, timezone.now(), resolution.strip()
    flag.save(update_fields=["resolved_by", "resolved_at", "resolution"])
    return flag


@transaction.atomic
def save_category(*, category: Category) -> Category:
    """Create or rename a category; its Q&As and its children's are reindexed (names are searched)."""
    category.full_clean()
    category.save()
    log_index_change(
        Article.objects.filter(Q(category=category) | Q(category__parent=category)).values_list(
            "pk", flat=True
        )
    )
    return category


@transaction.atomic
def delete_article(*, article: Article) -> None:
    pk = article.pk
    article.delete()
    log_index_change([pk], IndexLog.Operation.DELETE)


def log_search(*, query: str, language: str, channel: str, result_count: int) -> SearchLog:
    """Record a search with personal data masked (names typed into boxes stay, digits and e-mails
    do not), and its normalised words for the reports."""
    masked = mask_personal_data(query)[:200]
    return SearchLog.objects.create(
        query=masked,
        normalized=normalized_query(masked, language),
        language=language,
        channel=channel,
        result_count=result_count,
    )


# A search is linked to the Q&A opened from it only for this long after it was made.
OPENED_WITHIN = timedelta(hours=2)


def record_opened(*, search_id: int, article: Article) -> bool:
    """Note which Q&A a search led to (first one opened); False if the search is unknown or old."""
    updated = SearchLog.objects.filter(
        pk=search_id, opened_article__isnull=True, created_at__gte=timezone.now() - OPENED_WITHIN
    ).update(opened_article=article)
    return bool(updated)


def purge_search_log(*, older_than: timedelta | None = None) -> int:
    """Delete search log rows, and blank feedback comments, older than the retention period
    (what citizens typed); the votes stay for the statistics. Returns how many rows."""
    if older_than is None:
        older_than = timedelta(days=settings.SEARCH_LOG_RETENTION_DAYS)
    cutoff = timezone.now() - older_than
    deleted, _ = SearchLog.objects.filter(created_at__lt=cutoff).delete()
    blanked = Feedback.objects.filter(created_at__lt=cutoff).exclude(comment="").update(comment="")
    return deleted + blanked


class TooManyAnswers(WorkflowError):
    """One visitor sent more "Was this helpful?" answers than the limits allow."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "We have received many answers from your connection just now. Please try again later; "
                "your comment is still below."
            )
        )


def send_feedback(*, article: Article, helpful: bool, comment: str, language: str, visitor: str) -> Feedback:
    """A citizen's "Was this helpful?", within the per-visitor limits that every worker shares
    (TooManyAnswers beyond them). Digits and e-mail addresses in the comment are masked: nobody
    can answer it, and it must not hold personal data."""
    within_limits = ratelimit.allow(
        "feedback", visitor, limit=settings.FEEDBACK_LIMIT_PER_HOUR, period=timedelta(hours=1)
    ) and ratelimit.allow(
        f"feedback:{article.pk}",
        visitor,
        limit=settings.FEEDBACK_LIMIT_PER_QA_PER_DAY,
        period=timedelta(days=1),
    )
    if not within_limits:
        raise TooManyAnswers
    return Feedback.objects.create(
        article=article,
        helpful=helpful,
        comment=mask_personal_data(comment).strip()[:FEEDBACK_COMMENT_LENGTH],
        language=language,
    )


@transaction.atomic
def save_notice(*, notice: SiteNotice, user: User) -> SiteNotice:
    if notice.pk is None:
        notice.created_by = user
    notice._history_user = user
    notice.save()
    return notice


@transaction.atomic
def end_notice(*, notice: SiteNotice, user: User) -> SiteNotice:
    """Take a notice off the public pages now."""
    now = timezone.now()
    notice.ends_at = max(now, notice.starts_at + timedelta(seconds=1))
    return save_notice(notice=notice, user=user)


@transaction.atomic
def record_export(*, user: User, filters: str) -> None:
    """Audit the editors' list downloaded as CSV, with its filters; filed under the person who
    downloaded it (an export has no single Q&A)."""
    record_event(actor=user, action=audit.EXPORTED, target=user, note=filters)
