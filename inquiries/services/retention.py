"""Retention: callers' personal data is erased once an inquiry has been closed for the
retention period, while the inquiry itself and every figure computed from it stay.

What is erased, for inquiries closed and unchanged for PERSONAL_DATA_RETENTION_DAYS:
- callers' contacts (rows deleted);
- attachments (files, their previews and rows deleted);
- e-mails as received: the file deleted, sender, subject, text and reading problem blanked; the
  row stays with its Message-ID and dates, so replies and threads still point somewhere;
- contact-form messages: what the citizen wrote and their contact blanked; the row stays as the
  fact that the message came;
- replies: addressee, subject and text blanked; channel, sender and `sent_at` stay (the reports'
  time to answer reads `sent_at`);
- the inquiry's history rows: summary and answer blanked. Earlier versions may hold what an
  operator first typed (a name later removed on review); the current summary and answer stay,
  as the centre's own reviewed words, and the history keeps who changed what when.

The search log and the comments citizens leave on public Q&As have their own period
(SEARCH_LOG_RETENTION_DAYS, `purge_search_log`).

Kept on purpose: escalations (reason and reply are staff's words; contact sharing is a date and a
name of staff, the audit fact), and audit rows, which name ids only.

The clock starts at the inquiry's `updated_at`: there is no separate "closed at", and an
inquiry that is reopened (a citizen writes again) and closed again starts its period anew. Each
row's own date must be past the period too, so nothing that arrived recently is erased.

Every kind is worked in batches of primary keys, each batch in its own transaction: a million
rows never sit in memory, and a run that stops halfway leaves only whole batches done, which the
next run continues (every step is idempotent). Files are deleted before their rows, inside the
batch: if the transaction then fails, the next run finds the rows again and finishes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import AuditEvent
from contactcenter.lib import ratelimit
from inquiries import audit
from inquiries.models import (
    Attachment,
    CallerContact,
    InboundEmail,
    InboxMessage,
    Inquiry,
    InquiryStatus,
    Reply,
)

BATCH_SIZE = 1000

# The kinds, in the order they are worked and printed.
KINDS = {
    "contacts": _("callers' contacts"),
    "attachments": _("attachments"),
    "emails": _("e-mails as received"),
    "web_messages": _("contact-form messages"),
    "replies": _("replies to citizens"),
    "history": _("inquiry versions (summary and answer)"),
    "audit_events": _("audit events"),
    "rate_limits": _("rate-limit counters"),
}


@dataclass(frozen=True)
class Cutoffs:
    personal_data: datetime
    audit_log: datetime


def cutoffs(*, personal_data_days: int, audit_log_days: int, now: datetime | None = None) -> Cutoffs:
    moment = now or timezone.now()
    return Cutoffs(
        personal_data=moment - timedelta(days=personal_data_days),
        audit_log=moment - timedelta(days=audit_log_days),
    )


def expired_inquiries(before: datetime) -> QuerySet[Inquiry]:
    """Closed inquiries unchanged since `before`: their callers' data is past retention."""
    return Inquiry.objects.filter(status=InquiryStatus.CLOSED, updated_at__lt=before)


def _historical_inquiries() -> QuerySet:
    return Inquiry.history.model.objects.all()


def _pending(before: Cutoffs) -> dict[str, QuerySet]:
    """For each kind, the rows that still hold what must go (never the ones already done)."""
    expired = expired_inquiries(before.personal_data).values("pk")
    return {
        "contacts": CallerContact.objects.filter(inquiry__in=expired, updated_at__lt=before.personal_data),
        "attachments": Attachment.objects.filter(inquiry__in=expired, created_at__lt=before.personal_data),
        "emails": InboundEmail.objects.filter(
            inquiry__in=expired, received_at__lt=before.personal_data
        ).exclude(raw="", sender="", sender_name="", subject="", body="", problem=""),
        "web_messages": InboxMessage.objects.filter(
            inquiry__in=expired, submitted_at__lt=before.personal_data
        ).exclude(question="", name="", email="", phone="", fax="", postal_address=""),
        "replies": Reply.objects.filter(inquiry__in=expired, sent_at__lt=before.personal_data).exclude(
            to="", subject="", body=""
        ),
        "history": _historical_inquiries()
        .filter(id__in=expired, history_date__lt=before.personal_data)
        .exclude(summary="", answer=""),
        "audit_events": AuditEvent.objects.filter(created_at__lt=before.audit_log),
    }


def count_pending(before: Cutoffs) -> dict[str, int]:
    """What a purge would do now, per kind (the dry run). Rate-limit counters are not personal
    data of callers (keyed hashes) and are only counted when deleted."""
    return {kind: rows.count() for kind, rows in _pending(before).items()}


def _batches(rows: QuerySet, *fields: str) -> Iterator[list]:
    """Successive batches of the rows' (pk, *fields) in key order, each read after the last
    one's key (never an offset, and never past rows already done)."""
    pk = rows.model._meta.pk.attname
    last = None
    while True:
        after = rows if last is None else rows.filter(**{f"{pk}__gt": last})
        batch = list(after.order_by(pk).values_list(pk, *fields)[:BATCH_SIZE])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)


def _work(rows: QuerySet, *fields: str, step: Callable[[list], None]) -> int:
    done = 0
    for batch in _batches(rows, *fields):
        with transaction.atomic():
            step(batch)
        done += len(batch)
    return done


def _purge_contacts(rows: QuerySet) -> int:
    return _work(
        rows, step=lambda batch: CallerContact.objects.filter(pk__in=[row[0] for row in batch]).delete()
    )


def _purge_attachments(rows: QuerySet) -> int:
    storage = Attachment._meta.get_field("file").storage

    def step(batch: list) -> None:
        _delete_files(storage, [name for _pk, *names in batch for name in names])
        Attachment.objects.filter(pk__in=[row[0] for row in batch]).delete()

    return _work(rows, "file", "preview", step=step)


def _purge_emails(rows: QuerySet) -> int:
    storage = InboundEmail._meta.get_field("raw").storage

    def step(batch: list) -> None:
        _delete_files(storage, [raw for _pk, raw in batch])
        InboundEmail.objects.filter(pk__in=[row[0] for row in batch]).update(
            raw="", sender="", sender_name="", subject="", body="", problem=""
        )

    return _work(rows, "raw", step=step)


def _blank(model: type[models.Model], **blanks: str) -> Callable[[list], None]:
    def step(batch: list) -> None:
        model._default_manager.filter(pk__in=[row[0] for row in batch]).update(**blanks)

    return step


def purge_personal_data(*, before: Cutoffs) -> dict[str, int]:
    """Erase what is past retention (see the module's docstring) and record one audit event
    with the counts. Safe to run at any time and as often as wanted."""
    pending = _pending(before)
    done = {
        "contacts": _purge_contacts(pending["contacts"]),
        "attachments": _purge_attachments(pending["attachments"]),
        "emails": _purge_emails(pending["emails"]),
        "web_messages": _work(
            pending["web_messages"],
            step=_blank(InboxMessage, question="", name="", email="", phone="", fax="", postal_address=""),
        ),
        "replies": _work(pending["replies"], step=_blank(Reply, to="", subject="", body="")),
        "history": _work(
            pending["history"], step=_blank(_historical_inquiries().model, summary="", answer="")
        ),
        "audit_events": _work(
            pending["audit_events"],
            step=lambda batch: AuditEvent.objects.filter(pk__in=[r[0] for r in batch]).delete(),
        ),
        "rate_limits": ratelimit.purge(),
    }
    _record_purge(before, done)
    return done


def _record_purge(before: Cutoffs, done: dict[str, int]) -> AuditEvent:
    """One row per run, with the counts: the purge concerns many rows and no one object, so it
    is filed under inquiries without an id (record_event needs one target)."""
    day = timezone.localtime(before.personal_data).date().isoformat()
    return AuditEvent.objects.create(
        actor=None,
        action=audit.PERSONAL_DATA_PURGED,
        content_type=ContentType.objects.get_for_model(Inquiry),
        object_id="",
        object_repr=str(_("Inquiries closed before %(day)s") % {"day": day})[:200],
        note="\n".join(f"{kind}: {count}" for kind, count in done.items()),
    )
