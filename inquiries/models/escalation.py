"""Escalations: what the centre passes to the department in charge, the department's reply,
and the Q&A drafts started from inquiries (the knowledge loop)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import Department
from inquiries.models.inquiry import Inquiry
from knowledgebase.models import Article


class EscalationStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the department")
    REPLIED = "replied", _("Department replied: the centre answers the citizen")
    ANSWERED_DIRECTLY = "direct", _("Department answered the citizen")
    DONE = "done", _("Answered")
    CANCELLED = "cancelled", _("Cancelled")


class ReplyAction(models.TextChoices):
    """What the centre does with a department's reply."""

    CALL_BACK = "call_back", _("Call the citizen back")
    REPLY = "reply", _("Reply in writing")


# Still the department's to answer: the one rule for "open" and "overdue".
AWAITING_DEPARTMENT = Q(status=EscalationStatus.WAITING)


class EscalationQuerySet(models.QuerySet):
    def awaiting_department(self) -> EscalationQuerySet:
        return self.filter(AWAITING_DEPARTMENT)

    def overdue(self, today: date | None = None) -> EscalationQuerySet:
        """Still waiting for the department after its reply-by day (Asia/Tokyo)."""
        return self.filter(AWAITING_DEPARTMENT, reply_by__lt=today or timezone.localdate())

    def for_department(self, department: Department | None) -> EscalationQuerySet:
        return self.filter(department=department) if department is not None else self.none()


class Escalation(models.Model):
    """An inquiry passed to a department with a reason and a reply-by date (working days)."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="escalations")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="escalations"
    )
    reason = models.TextField(_("reason"))
    reply_by = models.DateField(_("reply by"))
    status = models.CharField(
        _("status"), max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.WAITING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("escalated by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("escalated at"), default=timezone.now)
    reply = models.TextField(_("department's reply"), blank=True)
    reply_action = models.CharField(
        _("what the centre does"), max_length=10, choices=ReplyAction.choices, blank=True
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    # Working days from the day it counts from to the reply, set with the reply: the reports
    # average it in the database (working days cannot be counted in SQL).
    reply_working_days = models.PositiveSmallIntegerField(
        _("working days to reply"), null=True, blank=True, editable=False
    )
    # The centre shares the caller's contact with this department for this escalation only
    # (audited); the department then sees it until the escalation ends.
    contact_shared_at = models.DateTimeField(_("contact shared at"), null=True, blank=True)
    contact_shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact shared by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the department was e-mailed about it: once on arrival, once when it fell due.
    arrival_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["reply_by", "created_at", "pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        permissions = [
            ("answer_escalation", _("Can answer escalations to their own department")),
        ]
        indexes = [models.Index(fields=["department", "status", "reply_by"])]

    def __str__(self) -> str:
        return _("Escalation %(number)s of inquiry %(inquiry)s") % {
            "number": self.pk,
            "inquiry": self.inquiry_id,
        }

    def is_awaiting_department(self) -> bool:
        """The instance side of AWAITING_DEPARTMENT."""
        return self.status == EscalationStatus.WAITING

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_awaiting_department() and self.reply_by < (today or timezone.localdate())

    def contact_is_shared(self) -> bool:
        return self.contact_shared_at is not None


class ArticleSource(models.Model):
    """The inquiry (and escalation) a Q&A draft was started from."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="inquiry_source")
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="article_drafts")
    escalation = models.ForeignKey(
        Escalation, on_delete=models.SET_NULL, null=True, blank=True, related_name="article_drafts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)

    class Meta:
        verbose_name = _("Q&A draft from an inquiry")
        verbose_name_plural = _("Q&A drafts from inquiries")

    def __str__(self) -> str:
        return f"{self.inquiry_id} → {self.article_id}"
