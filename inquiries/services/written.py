"""Inquiries that arrive in writing: registering a fax or a letter with its scanned pages,
handing the queue out, and the printed reply to a fax or a letter."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from inquiries import audit
from inquiries.models import (
    Attachment,
    CallerContact,
    Channel,
    Inquiry,
    Reply,
)
from inquiries.services.attachments import AttachmentRefused, add_attachment
from inquiries.services.calls import InquiryError, close_after_reply

PAPER_CHANNELS = (Channel.FAX, Channel.LETTER)


@dataclass(frozen=True)
class UploadedPage:
    name: str
    data: bytes


@dataclass
class PagesAdded:
    """What became of each file of an upload: the ones kept, and the refused ones with why."""

    kept: list[Attachment]
    refused: list[tuple[str, str]]


def add_pages(*, inquiry: Inquiry, pages: Sequence[UploadedPage], user: User) -> PagesAdded:
    """Keep each scanned page that passes the checks; a refused one never stops the others."""
    result = PagesAdded(kept=[], refused=[])
    for page in pages:
        try:
            attachment = add_attachment(inquiry=inquiry, name=page.name, data=page.data, uploaded_by=user)
            record_event(actor=user, action=audit.ATTACHMENT_ADDED, target=attachment)
            result.kept.append(attachment)
        except AttachmentRefused as refusal:
            result.refused.append((page.name, str(refusal)))
    return result


@transaction.atomic
def register_paper_inquiry(
    *,
    channel: str,
    received_at: datetime,
    language: str,
    user: User,
    contact: dict[str, str],
    form_token: uuid.UUID | None = None,
) -> tuple[Inquiry, bool]:
    """A fax or letter as it arrived: an open inquiry nobody has taken yet (it waits in the
    queue), with the sender's contact when one was given. Its summary is written by whoever
    handles it. The same form posted twice registers once (False the second time)."""
    if channel not in PAPER_CHANNELS:
        raise InquiryError(_("Only faxes and letters are registered here."))
    if form_token is not None and (existing := Inquiry.objects.filter(form_token=form_token).first()):
        return existing, False
    inquiry = Inquiry(channel=channel, received_at=received_at, language=language, form_token=form_token)
    inquiry._history_user = user
    try:
        with transaction.atomic():
            inquiry.save()
    except IntegrityError:
        if form_token is not None and (existing := Inquiry.objects.filter(form_token=form_token).first()):
            return existing, False
        raise
    values = {name: (value or "").strip() for name, value in contact.items()}
    if any(value for name, value in values.items() if name != "reply_by"):
        record = CallerContact(inquiry=inquiry, **values)
        record.full_clean(exclude=["inquiry"])
        record.save()
        record_event(actor=user, action=audit.CONTACT_SAVED, target=record)
    return inquiry, True


@transaction.atomic
def assign_inquiry(
    *, inquiry: Inquiry, assignee: User | None, user: User, expected_assignee_id: int | None
) -> Inquiry:
    """Give an inquiry to a person (or take it back: None). Refused when someone assigned it
    differently after the page was opened, so two leaders never overwrite each other unseen."""
    current = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if current.assigned_to_id != expected_assignee_id:
        raise InquiryError(
            _("Someone assigned this inquiry meanwhile (now: %(person)s); nothing was changed.")
            % {"person": current.assigned_to or _("nobody")}
        )
    if current.is_closed():
        raise InquiryError(_("This inquiry is closed; there is nothing to assign."))
    if assignee is not None and not (assignee.is_active and assignee.has_perm("inquiries.add_inquiry")):
        raise InquiryError(_("%(person)s does not take inquiries.") % {"person": assignee})
    current.assigned_to = assignee
    current.version += 1
    current._history_user = user
    current.save(update_fields=["assigned_to", "version", "updated_at"])
    return current


@transaction.atomic
def record_paper_reply(
    *,
    inquiry: Inquiry,
    user: User,
    channel: str,
    to: str,
    body: str,
    summary: str,
    form_token: uuid.UUID | None = None,
    now: datetime | None = None,
) -> tuple[Reply, bool]:
    """A reply by fax or letter, kept so it can be printed (and printed again); the inquiry then
    closes as the e-mail reply closes it (`close_after_reply`).

    The same form posted twice records once (False the second time)."""
    if channel not in Reply.Channel.values or channel == Reply.Channel.EMAIL:
        raise InquiryError(_("Choose fax or letter."))
    if not body.strip():
        raise InquiryError(_("Write the answer before printing the reply."))
    # The inquiry's row lock comes first: a twin request waits here, then finds the reply.
    Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
    # What changed while the page was open (a department's call-back task, a follow-up that
    # reopened it) is kept: the reply closes the inquiry as it is now, not as it was read.
    inquiry.refresh_from_db()
    if form_token is not None and (existing := Reply.objects.filter(form_token=form_token).first()):
        return existing, False
    if not (summary.strip() or inquiry.summary.strip()):
        raise InquiryError(_("Write what was asked before closing the inquiry."))
    reply = Reply.objects.create(
        inquiry=inquiry,
        channel=channel,
        to=to.strip(),
        body=body.strip(),
        sent_by=user,
        sent_at=now or timezone.now(),
        form_token=form_token,
    )
    record_event(actor=user, action=audit.REPLY_SENT, target=reply)
    close_after_reply(inquiry=inquiry, user=user, summary=summary.strip() or inquiry.summary)
    return reply, True
