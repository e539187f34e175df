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


class DailyFigures(models.Model):
    """One day's inquiries (Asia/Tokyo) counted along one dimension: the rollup the dashboards
    read instead of a million inquiries. Kept current by `reports.rollup.refresh`, which
    recounts every day whose inquiries changed since it last ran; never edited by hand."""

    day = models.DateField(_("day"))
    # "all" (key ""), channel, kind, language, category (top-level id), operator (id),
    # age_gender ("70s|female"), caller_type, hour (0–23).
    dimension = models.CharField(_("dimension"), max_length=12)
    key = models.CharField(_("key"), max_length=40, blank=True)
    total = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    passed_on = models.PositiveIntegerField(default=0)
    still_open = models.PositiveIntegerField(default=0)
    abandoned = models.PositiveIntegerField(default=0)
    out_of_hours = models.PositiveIntegerField(default=0)
    score_1 = models.PositiveIntegerField(default=0)
    score_2 = models.PositiveIntegerField(default=0)
    score_3 = models.PositiveIntegerField(default=0)
    score_4 = models.PositiveIntegerField(default=0)
    score_5 = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    # Phone calls and visits with an end time (not abandoned): how many, and their seconds.
    handled = models.PositiveIntegerField(default=0)
    handling_seconds = models.FloatField(default=0)
    # Written inquiries (e-mail, fax, letter, web) the centre has replied to, and the seconds
    # from arrival to the first reply; counted on the "channel" rows only.
    answered = models.PositiveIntegerField(default=0)
    answer_seconds = models.FloatField(default=0)
    # Resolved by the centre with no Q&A used (a knowledge gap); counted on the "category"
    # rows only, since checking each inquiry for a Q&A is the costly part.
    resolved_without_qa = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "day", "key"], name="one_figure_row_per_day_and_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.key}: {self.total}"


class RollupState(models.Model):
    """When the rollup last counted (one row): inquiries changed after it are recounted."""

    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup state")

    def __str__(self) -> str:
        return str(self.refreshed_at)
