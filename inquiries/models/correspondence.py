"""What citizens wrote and what the centre wrote back: e-mails as received, scanned fax and
letter pages, and replies. All of it is personal data: read only through inquiries.access,
every read audited, kept under MEDIA_ROOT (outside the web root) and purged by retention."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.models.inquiry import Inquiry


class InboundEmail(models.Model):
    """A citizen's e-mail as it arrived: the raw message (headers, body, attachments) and the
    text read from it. The inquiry's summary is the operator's, never this text."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="emails")
    # The Message-ID (angle brackets kept); a message without one gets "<sha256-…@missing>" of
    # its bytes, so the same message delivered twice is still recognised.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.TextField(_("References"), blank=True)
    sender = models.CharField(_("from"), max_length=320, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    raw = models.FileField(_("message as received"), upload_to="mail/%Y/%m/", max_length=200)
    # What could not be read (unknown charset, broken MIME, attachment refused); the raw message
    # keeps everything.
    problem = models.TextField(_("reading problem"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("e-mail received")
        verbose_name_plural = _("e-mails received")

    def __str__(self) -> str:
        # Never the sender or subject: this string reaches logs and the audit trail.
        return _("E-mail %(number)s of inquiry %(inquiry)s") % {"number": self.pk, "inquiry": self.inquiry_id}


class Attachment(models.Model):
    """A file that came with an inquiry: a scanned fax or letter page, or an e-mail's attachment.

    Its type is read from its content, never from its name; a TIFF also gets a PDF of its
    pages that a browser can show (`preview`)."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"
        TIFF = "image/tiff", "TIFF"

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attachments")
    email = models.ForeignKey(
        InboundEmail, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=200)
    preview = models.FileField(_("preview"), upload_to="attachments/%Y/%m/", max_length=200, blank=True)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return _("Attachment %(number)s of inquiry %(inquiry)s") % {
            "number": self.pk,
            "inquiry": self.inquiry_id,
        }


class Reply(models.Model):
    """What the centre sent the citizen: an e-mail (sent from the app, threaded to their
    message), or a fax or letter (a printable A4 page)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        FAX = "fax", _("Fax")
        LETTER = "letter", _("Letter")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="replies")
    channel = models.CharField(_("sent as"), max_length=10, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body = models.TextField(_("text"))
    # Ours, so the citizen's answer to this reply threads back to the inquiry.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    in_reply_to = models.ForeignKey(
        InboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # Set when the reply form opens: the same form posted twice sends once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [models.Index(fields=["message_id"])]

    def __str__(self) -> str:
        return _("Reply %(number)s to inquiry %(inquiry)s") % {"number": self.pk, "inquiry": self.inquiry_id}
