"""What the reports keep of their own: the targets supervisors set per fiscal year, and the
precomputed open-data counts the public site publishes (so it never reads an inquiry)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Kawasaki's centre reached 92 % first-contact resolution and 4.7 satisfaction: the defaults
# until a supervisor sets the year's own.
DEFAULT_FCR_TARGET = Decimal("92.0")
DEFAULT_SATISFACTION_TARGET = Decimal("4.70")


class Target(models.Model):
    """The centre's goals for one fiscal year (1 April to 31 March)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    first_contact_resolution = models.DecimalField(
        _("first-contact resolution target (%)"),
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_FCR_TARGET,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    satisfaction = models.DecimalField(
        _("satisfaction target (1–5)"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_SATISFACTION_TARGET,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        permissions = [("view_reports", _("Can see the dashboards and download their figures"))]

    def __str__(self) -> str:
        return _("Targets for fiscal year %(year)s") % {"year": self.fiscal_year}


class OpenDataMonth(models.Model):
    """Inquiries received in one month (Asia/Tokyo) of one top-level category, channel and
    kind: the published statistics. Rebuilt from the inquiries by `reports.opendata`; no free
    text, and small counts are suppressed when published."""

    month = models.DateField(_("month"))  # its first day
    category = models.CharField(_("category"), max_length=100, blank=True)  # Japanese name
    category_en = models.CharField(_("category (English)"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=10)
    kind = models.CharField(_("kind"), max_length=15)
    inquiries = models.PositiveIntegerField(_("inquiries"))

    class Meta:
        ordering = ["month", "category", "channel", "kind"]
        verbose_name = _("open-data month")
        verbose_name_plural = _("open-data months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "category", "channel", "kind"], name="one_open_data_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category} {self.channel} {self.kind}: {self.inquiries}"


class KnowledgeGapDay(models.Model):
    """One day (Asia/Tokyo) and top-level category: the inquiries the centre resolved, and how
    many of them with no Q&A used. Checking each inquiry for a Q&A costs a second over a year of
    a million inquiries, so `reports.knowledge.rebuild_knowledge_days` counts the days before
    today each night; the knowledge report adds the days since from the inquiries."""

    day = models.DateField(_("day"))
    category_id = models.BigIntegerField(_("top-level category"), null=True, blank=True)
    resolved = models.PositiveIntegerField(_("resolved by the centre"))
    without_article = models.PositiveIntegerField(_("resolved without a Q&A"))

    class Meta:
        ordering = ["day", "category_id"]
        verbose_name = _("knowledge gaps of a day")
        verbose_name_plural = _("knowledge gaps per day")
        indexes = [models.Index(fields=["day"], name="knowledge_gap_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.category_id}: {self.without_article}/{self.resolved}"
