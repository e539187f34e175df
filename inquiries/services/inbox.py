"""The public contact form's inbox: what the public side writes, and how the staff side takes it in.

The public side only ever inserts an `InboxMessage` (the security issue runs it on a host whose
database role may do nothing else), so everything it shows the citizen afterwards, the
reference above all, is computed from what it already holds: the form's token. The staff side
(`take_inbox`, run in a loop by `manage.py take_inbox`) turns each waiting row into an open
inquiry of channel `web` and moves the contact to its CallerContact.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contactcenter.accounts.audit import record_event
from contactcenter.lib import ratelimit
from inquiries import audit
from inquiries.models import (
    REFERENCE_ALPHABET,
    UNKNOWN,
    CallerContact,
    Channel,
    InboxMessage,
    InboxMessageQuerySet,
    Inquiry,
    InquiryLanguage,
    InquiryStatus,
    ReplyMethod,
    format_reference,
    new_reference,
)

logger = logging.getLogger(__name__)

# The contact fields that move from the inbox row to the inquiry's CallerContact.
CONTACT_FIELDS = ("name", "email", "phone", "fax", "postal_address")


class MessageRefused(Exception):
    """The form's message was not stored; the text says why and what to do instead."""


class ReferenceTaken(MessageRefused):
    """Another message already has the reference this token gives (odds about one in 10**15 per
    pair): nothing was stored; sent again with a new token, it gets another reference."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Your message could not be sent this time. Please press “Send” once more; what you wrote is kept."
            )
        )


class TooManyMessages(MessageRefused):
    def __init__(self) -> None:
        super().__init__(
            _(
                "We have received several messages from your connection within the last hour, so "
                "this one was not sent. Please try again later, or call us. What you wrote is still "
                "below."
            )
        )


@dataclass(frozen=True)
class ContactMessage:
    """What a citizen sent with the form, already checked by the form."""

    form_token: uuid.UUID
    question: str
    language: str
    reply_by: str
    age_band: str = UNKNOWN
    gender: str = UNKNOWN
    name: str = ""
    email: str = ""
    phone: str = ""
    fax: str = ""
    postal_address: str = ""
    article_id: int | None = None


@dataclass(frozen=True)
class Submitted:
    reference: str
    # False when this token had been stored already (the same form posted twice).
    stored_now: bool


def reference_for_token(token: uuid.UUID) -> str:
    """The reference of the message sent with this form token.

    An HMAC keyed by SECRET_KEY: the same token always gives the same reference (a form posted
    twice shows the same one without reading the inbox), and without the key nobody can derive,
    guess or count references from tokens. 50 bits of the MAC, ten characters of 32.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"contact-form-reference|" + token.bytes, hashlib.sha256
    ).digest()
    number = int.from_bytes(digest[:8], "big")
    characters = []
    for _position in range(10):
        number, index = divmod(number, len(REFERENCE_ALPHABET))
        characters.append(REFERENCE_ALPHABET[index])
    return format_reference("".join(characters))


def submit_contact_message(*, message: ContactMessage, visitor: str) -> Submitted:
    """Store a contact-form message in the inbox (insert only) and return its reference.

    The same form token posted twice stores one row and gives the same reference. Each visitor
    may send CONTACT_FORM_LIMIT_PER_HOUR messages an hour across every worker (TooManyMessages);
    a double post is not counted, since nothing new is stored.
    """
    reference = reference_for_token(message.form_token)
    with transaction.atomic():
        try:
            with transaction.atomic():
                InboxMessage.objects.create(
                    reference=reference,
                    form_token=message.form_token,
                    question=message.question,
                    language=message.language,
                    age_band=message.age_band or UNKNOWN,
                    gender=message.gender or UNKNOWN,
                    reply_by=message.reply_by,
                    name=message.name,
                    email=message.email,
                    phone=message.phone,
                    fax=message.fax,
                    postal_address=message.postal_address,
                    article_id=message.article_id,
                )
        except IntegrityError as error:
            if not _token_is_stored(message.form_token):
                raise ReferenceTaken from error
            # This token's row exists (a double post): its reference is this one.
            return Submitted(reference=reference, stored_now=False)
        # Counted after the insert and in the same transaction, so a refusal leaves nothing
        # stored, and a double post of a message already counted is never refused.
        if not ratelimit.allow(
            "contact-form",
            visitor,
            limit=settings.CONTACT_FORM_LIMIT_PER_HOUR,
            period=timedelta(hours=1),
        ):
            raise TooManyMessages
    return Submitted(reference=reference, stored_now=True)


def what_happens_next(reply_by: str) -> str:
    """The sentence that tells a citizen when and how the answer comes (page and e-mail)."""
    days = settings.CONTACT_FORM_REPLY_DAYS
    sentences = {
        ReplyMethod.EMAIL: _(
            "A member of staff reads your message and replies by e-mail, usually within %(days)d working days."
        ),
        ReplyMethod.PHONE: _(
            "A member of staff reads your message and calls you back, usually within %(days)d working days."
        ),
        ReplyMethod.FAX: _(
            "A member of staff reads your message and replies by fax, usually within %(days)d working days."
        ),
        ReplyMethod.POST: _(
            "A member of staff reads your message and replies by post. A letter takes a few days more "
            "than %(days)d working days."
        ),
    }
    if reply_by not in sentences:
        return _(
            "You asked for no reply. A member of staff reads your message, and it helps us improve the answers."
        )
    return sentences[reply_by] % {"days": days}


class _Probe(Exception):
    pass


def _token_is_stored(token: uuid.UUID) -> bool:
    """Whether a row with this form token exists, found out by inserting only (the public side
    reads nothing): a row with the token and a fresh reference, always rolled back, clashes
    exactly when the token is taken. A double post clashes on both the token and the
    reference, which the database reports as either; only this tells it from two tokens
    whose references happen to be equal."""
    try:
        with transaction.atomic():
            InboxMessage.objects.create(
                reference=new_reference(),
                form_token=token,
                question="",
                language="",
                reply_by=ReplyMethod.NONE,
            )
            raise _Probe
    except IntegrityError:
        return True
    except _Probe:
        return False


def normalize_address(email: str) -> str:
    """One key per mailbox for the confirmation limit: case and surrounding spaces ignored."""
    return email.strip().lower()


def send_confirmation(*, email: str, reference: str, reply_by: str, language: str) -> bool:
    """E-mail the reference to the address given, in the citizen's interface language.

    Never the text they sent (an address can be anybody's), at most
    CONTACT_CONFIRMATIONS_PER_ADDRESS_PER_DAY a day per address, so the form cannot be used to
    flood someone's mailbox. The message is stored before this is called: a failure to send is
    logged, never raised. Returns whether a mail was sent.
    """
    if not email:
        return False
    if not ratelimit.allow(
        "contact-confirmation",
        normalize_address(email),
        limit=settings.CONTACT_CONFIRMATIONS_PER_ADDRESS_PER_DAY,
        period=timedelta(days=1),
    ):
        logger.info("Contact-form confirmation not sent for %s: daily limit for the address", reference)
        return False
    with translation.override(language):
        context = {
            "reference": reference,
            "next": what_happens_next(reply_by),
            "centre": centre_details(language),
        }
        subject = _("We received your message (reference %(reference)s)") % {"reference": reference}
        body = render_to_string("inquiries/email/contact_confirmation.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except Exception as error:  # the message is stored; the confirmation is only a courtesy
        # Not the traceback: a refused recipient's error quotes the citizen's address.
        logger.error(
            "Could not send the contact-form confirmation for %s: %s", reference, type(error).__name__
        )
        return False
    return True


def centre_details(language: str) -> dict[str, str]:
    """The centre's name in this language and its phone and fax, for pages and mails."""
    names = {
        "ja": settings.CENTRE_NAME,
        "zh-hans": settings.CENTRE_NAME_ZH_HANS,
        "ko": settings.CENTRE_NAME_KO,
    }
    return {
        "name": names.get(language, settings.CENTRE_NAME_EN),
        "phone": settings.CENTRE_PHONE,
        "fax": settings.CENTRE_FAX,
        "opens": settings.CENTRE_OPENS,
        "closes": settings.CENTRE_CLOSES,
    }


def _inquiry_language(interface_language: str) -> str:
    return interface_language if interface_language in InquiryLanguage.values else InquiryLanguage.OTHER


def take_inbox(*, limit: int = 100) -> int:
    """Turn up to `limit` waiting inbox rows into open web inquiries; returns how many.

    Each row in its own transaction, locked: two loops running at once skip each other's rows
    (`skip_locked` on PostgreSQL; SQLite serialises writers anyway), so no row becomes two
    inquiries. The contact moves to the inquiry's CallerContact and is blanked on the row, so it
    lives in one place; the summary stays empty for the operator to write.
    """
    taken = 0
    while taken < limit and _take_next(InboxMessage.objects.waiting()):
        taken += 1
    return taken


def _take_next(waiting: InboxMessageQuerySet) -> bool:
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            waiting = waiting.select_for_update(skip_locked=True)
        row = waiting.first()
        if row is None:
            return False
        _take(row)
        return True


def _take(row: InboxMessage) -> Inquiry:
    reference = row.reference
    if Inquiry.objects.filter(reference=reference).exists():
        # Another inquiry drew the same random reference (odds about one in 10**15 per pair).
        # Taking the row in must not stop on it: this inquiry gets a new reference, and the
        # log says which row, so staff can tell the citizen.
        logger.error("Contact-form message %s: its reference is taken; the inquiry gets another", row.pk)
        reference = new_reference()
    inquiry = Inquiry.objects.create(
        reference=reference,
        received_at=row.submitted_at,
        channel=Channel.WEB,
        language=_inquiry_language(row.language),
        age_band=row.age_band,
        gender=row.gender,
        status=InquiryStatus.OPEN,
        summary="",
    )
    contact = CallerContact.objects.create(
        inquiry=inquiry,
        reply_by=row.reply_by,
        **{field: getattr(row, field) for field in CONTACT_FIELDS},
    )
    record_event(actor=None, action=audit.CONTACT_SAVED, target=contact, note=f"inbox:{row.pk}")
    for field in CONTACT_FIELDS:
        setattr(row, field, "")
    row.inquiry = inquiry
    row.taken_at = timezone.now()
    row.save(update_fields=[*CONTACT_FIELDS, "inquiry", "taken_at"])
    return inquiry


def find_by_reference(reference: str) -> int | None:
    """The id of the inquiry with this (normalised) reference, taking its message in first when
    it still waits in the inbox (that one row, however long the inbox); None when there is
    none. Callers check who may see it."""
    _take_next(InboxMessage.objects.waiting().filter(reference=reference))
    return Inquiry.objects.filter(reference=reference).values_list("pk", flat=True).first()
