"""Citizens' e-mails in (each an open inquiry, or a follow-up joining its own) and the
centre's e-mail replies out."""

from __future__ import annotations

import enum
import logging
import re
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from inquiries import audit
from inquiries.mail import ParsedMail, guess_language, parse_message
from inquiries.models import (
    REFERENCE_PATTERN,
    Attachment,
    CallerContact,
    Channel,
    InboundEmail,
    Inquiry,
    InquiryStatus,
    Reply,
    ReplyMethod,
)
from inquiries.services.attachments import AttachmentRefused, add_attachment
from inquiries.services.calls import InquiryError, close_after_reply

logger = logging.getLogger(__name__)


class Ingested(enum.StrEnum):
    TAKEN_IN = "taken_in"
    FOLLOW_UP = "follow_up"
    DUPLICATE = "duplicate"
    AUTOMATIC = "automatic"


@dataclass(frozen=True)
class IngestResult:
    outcome: Ingested
    email: InboundEmail | None = None

    @property
    def inquiry(self) -> Inquiry | None:
        return self.email.inquiry if self.email else None


def _thread_inquiry(mail: ParsedMail) -> Inquiry | None:
    """The inquiry a follow-up belongs to: the message it answers (one of the citizen's or one
    of our replies), else an inquiry reference quoted in the subject."""
    ids = mail.thread_ids
    if ids:
        found = InboundEmail.objects.filter(message_id__in=ids).values_list("inquiry_id", flat=True).first()
        found = found or Reply.objects.filter(message_id__in=ids).values_list("inquiry_id", flat=True).first()
        if found:
            return Inquiry.objects.select_for_update().get(pk=found)
    for reference in re.findall(REFERENCE_PATTERN, mail.subject.upper()):
        inquiry = Inquiry.objects.select_for_update().filter(reference=reference).first()
        if inquiry is not None:
            return inquiry
    return None


def _valid_address(address: str) -> str:
    if len(address) > CallerContact._meta.get_field("email").max_length:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def _reopen(inquiry: Inquiry) -> None:
    """A citizen wrote again about a closed inquiry: it is open again (for the same people) so
    someone answers; its history shows the change."""
    if not inquiry.is_closed():
        return
    inquiry.status = InquiryStatus.OPEN
    inquiry.outcome = ""
    inquiry.version += 1
    inquiry._change_reason = "follow-up e-mail"
    inquiry.save(update_fields=["status", "outcome", "version", "updated_at"])


def _new_inquiry(mail: ParsedMail, now: datetime) -> Inquiry:
    inquiry = Inquiry(
        channel=Channel.EMAIL,
        status=InquiryStatus.OPEN,
        outcome="",
        received_at=now,
        language=guess_language(f"{mail.subject}\n{mail.body}"),
    )
    inquiry.save()
    return inquiry


def _save_sender(inquiry: Inquiry, mail: ParsedMail) -> None:
    """The sender becomes the inquiry's contact (the reply goes there) unless it has one."""
    address = _valid_address(mail.sender)
    if not address or CallerContact.objects.filter(inquiry=inquiry).exists():
        return
    contact = CallerContact.objects.create(
        inquiry=inquiry,
        email=address,
        name=mail.sender_name[:100],
        reply_by=ReplyMethod.EMAIL,
        purpose=_("Reply to their e-mail"),
    )
    record_event(actor=None, action=audit.CONTACT_SAVED, target=contact)


def _keep_attachments(inquiry: Inquiry, email: InboundEmail, mail: ParsedMail) -> list[Attachment]:
    kept = []
    for attachment in mail.attachments:
        try:
            kept.append(
                add_attachment(inquiry=inquiry, name=attachment.name, data=attachment.data, email=email)
            )
        except AttachmentRefused as refusal:
            # The reason names the citizen's file: it goes on the e-mail (personal data), not the log.
            logger.info("E-mail %s: an attachment was refused", email.pk)
            mail.problems.append(
                _("Attachment not kept: %(reason)s It is still in the message as received.")
                % {"reason": refusal}
            )
    return kept


def _store(raw: bytes, mail: ParsedMail, now: datetime) -> IngestResult:
    stored: list[object] = []
    try:
        with transaction.atomic():
            inquiry = _thread_inquiry(mail)
            outcome = Ingested.FOLLOW_UP if inquiry else Ingested.TAKEN_IN
            if inquiry is None:
                inquiry = _new_inquiry(mail, now)
            else:
                _reopen(inquiry)
            _save_sender(inquiry, mail)
            email = InboundEmail(
                inquiry=inquiry,
                message_id=mail.message_id,
                in_reply_to=mail.in_reply_to,
                references=" ".join(mail.references),
                sender=mail.sender,
                sender_name=mail.sender_name,
                subject=mail.subject,
                body=mail.body,
                sent_at=mail.sent_at,
                received_at=now,
            )
            email.raw.save(f"{uuid.uuid4().hex}.eml", ContentFile(raw), save=False)
            stored.append(email.raw)
            email.save()
            for attachment in _keep_attachments(inquiry, email, mail):
                stored += [attachment.file, attachment.preview]
            if mail.problems:
                email.problem = "\n".join(dict.fromkeys(mail.problems))
                email.save(update_fields=["problem"])
    except Exception:
        for file in stored:
            if file:
                file.delete(save=False)
        raise
    return IngestResult(outcome, email)


def ingest_email(*, raw: bytes, now: datetime | None = None) -> IngestResult:
    """Take in one message as received: a new open e-mail inquiry (no operator, no summary:
    the operator who handles it writes that), or a follow-up joining its inquiry (reopened if
    it was closed). The same message twice is taken once; automatic replies, bounces and bulk
    mail are logged and not kept. The raw bytes are always kept with what was read."""
    now = now or timezone.now()
    # Problems are stored text, read later by staff: in the centre's language.
    with translation.override(settings.LANGUAGE_CODE):
        mail = parse_message(raw)
        if mail.automatic:
            logger.info("Message %s not taken in: automatic (%s)", mail.message_id, mail.automatic)
            return IngestResult(Ingested.AUTOMATIC)
        if InboundEmail.objects.filter(message_id=mail.message_id).exists():
            logger.info("Message %s already taken in", mail.message_id)
            return IngestResult(Ingested.DUPLICATE)
        try:
            result = _store(raw, mail, now)
        except IntegrityError:
            # Another process took the same message in meanwhile (Message-ID is unique).
            if InboundEmail.objects.filter(message_id=mail.message_id).exists():
                return IngestResult(Ingested.DUPLICATE)
            raise
    logger.info(
        "Message %s taken in as e-mail %s of inquiry %s (%s)",
        mail.message_id,
        result.email.pk,
        result.email.inquiry_id,
        result.outcome,
    )
    return result


class ReplyNotSent(InquiryError):
    """The mail server did not take the reply; nothing was recorded."""


def latest_citizen_email(inquiry: Inquiry) -> InboundEmail | None:
    return inquiry.emails.order_by("-received_at", "-pk").first()


def reply_subject(inquiry: Inquiry) -> str:
    """ "Re: <their subject> [<reference>]", without stacking "Re:" or the reference twice."""
    latest = latest_citizen_email(inquiry)
    subject = latest.subject.strip() if latest else ""
    if not re.match(r"(?i)(re|aw|sv)\s*:", subject):
        subject = f"Re: {subject}".strip()
    if inquiry.reference and inquiry.reference not in subject:
        subject = f"{subject} [{inquiry.reference}]"
    return subject[:500]


def _our_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


@transaction.atomic
def send_email_reply(
    *,
    inquiry: Inquiry,
    user: User,
    to: str,
    subject: str,
    body: str,
    summary: str,
    form_token: uuid.UUID,
) -> tuple[Reply, bool]:
    """Send the centre's reply to a citizen's e-mail, threaded to their latest message, then
    record it and close the inquiry as resolved (an escalated one keeps its outcome and status).

    Sent first, recorded after: a mail server that refuses raises ReplyNotSent and nothing is
    recorded. The same form posted twice (same `form_token`) sends once: the second call
    returns the first reply and False. The inquiry's row stays locked while sending so a twin
    request waits and then finds the reply.
    """
    Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
    # What changed while the page was open (a department's call-back task, a follow-up that
    # reopened it) is kept: the reply closes the inquiry as it is now, not as it was read.
    inquiry.refresh_from_db()
    existing = Reply.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing, False
    if not summary.strip():
        raise InquiryError(_("Write what was asked before closing the inquiry."))
    latest = latest_citizen_email(inquiry)
    message_id = make_msgid(domain=_our_domain())
    headers = {"Message-ID": message_id}
    if latest is not None:
        headers["In-Reply-To"] = latest.message_id
        headers["References"] = " ".join([*latest.references.split(), latest.message_id][-20:])
    message = EmailMessage(subject=subject, body=body, to=[to], headers=headers)
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        # The server's words may quote the citizen's address: the log names the failure only.
        logger.warning("Reply to inquiry %s not sent: %s", inquiry.pk, type(error).__name__)
        raise ReplyNotSent(
            _(
                "The mail server did not accept the reply, so it was not sent. Your text is "
                "still below: try again in a few minutes, or tell the system administrator."
            )
        ) from error
    reply = Reply.objects.create(
        inquiry=inquiry,
        channel=Reply.Channel.EMAIL,
        to=to,
        subject=subject,
        body=body,
        message_id=message_id,
        in_reply_to=latest,
        sent_by=user,
        sent_at=timezone.now(),
        form_token=form_token,
    )
    record_event(actor=user, action=audit.REPLY_SENT, target=reply)
    close_after_reply(inquiry=inquiry, user=user, summary=summary)
    return reply, True
