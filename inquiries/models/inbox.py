"""The public contact form's inbox: the one table the public site writes to.

The public host only inserts rows here (its database role may do nothing else, and reads no
inquiry); the staff side turns each row into an open inquiry of channel `web`
(`inquiries.services.take_inbox`). A row keeps what the citizen wrote (personal data, read
through inquiries.access like a raw e-mail); their contact moves to the inquiry's CallerContact.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.models.inquiry import UNKNOWN, AgeBand, Gender, Inquiry, ReplyMethod
from knowledgebase.models import Article


class InboxMessageQuerySet(models.QuerySet):
    def waiting(self) -> InboxMessageQuerySet:
        """Rows the staff side has not turned into inquiries yet, oldest first."""
        return self.filter(taken_at__isnull=True).order_by("submitted_at", "pk")


class InboxMessage(models.Model):
    # Public side: written once, by the form.
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    # The form's hidden token: the same form posted twice inserts one row.
    form_token = models.UUIDField(unique=True)
    question = models.TextField(_("question"))
    language = models.CharField(_("language"), max_length=8)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, default=UNKNOWN)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=UNKNOWN)
    reply_by = models.CharField(_("how to reply"), max_length=10, choices=ReplyMethod.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    # The Q&A the citizen was reading ("this did not answer my question"), if any.
    article = models.ForeignKey(
        Article,
        verbose_name=_("from the Q&A"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # Staff side: set when the row becomes an inquiry.
    inquiry = models.OneToOneField(
        Inquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbox_message"
    )
    taken_at = models.DateTimeField(_("taken in at"), null=True, blank=True, db_index=True)

    objects = InboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("contact form message")
        verbose_name_plural = _("contact form messages")

    def __str__(self) -> str:
        return _("Contact form message %(number)s") % {"number": self.pk}
