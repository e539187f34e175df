"""The one form the reports take besides the period (reports.periods.PeriodForm): targets."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import DEFAULT_FCR_TARGET, DEFAULT_SATISFACTION_TARGET, Target
from reports.periods import EARLIEST_YEAR, fiscal_year_of


class TargetForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=EARLIEST_YEAR, max_value=2100)
    first_contact_resolution = forms.DecimalField(
        label=Target._meta.get_field("first_contact_resolution").verbose_name,
        min_value=0,
        max_value=100,
        decimal_places=1,
        max_digits=4,
        initial=DEFAULT_FCR_TARGET,
    )
    satisfaction = forms.DecimalField(
        label=Target._meta.get_field("satisfaction").verbose_name,
        min_value=1,
        max_value=5,
        decimal_places=2,
        max_digits=3,
        initial=DEFAULT_SATISFACTION_TARGET,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = fiscal_year_of(timezone.localdate())
