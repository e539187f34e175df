"""The period a report covers: a fiscal year, any range of days, this or last month.

Days are the centre's days (Asia/Tokyo), both ends included; as moments a period is half-open,
from the first day 00:00 to the day after the last 00:00, so an inquiry at 23:59 on 31 March
belongs to the old fiscal year and one at 00:00 on 1 April to the new. Japanese fiscal years
run from 1 April to 31 March and are named by the year they start in (2026年度 = 令和8年度).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from inquiries.models import local_days

FISCAL_YEAR_STARTS = (4, 1)  # 1 April
# Reiwa 1 began on 1 May 2019; fiscal year 2019 is 令和元年度 by convention.
REIWA_OFFSET = 2018
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
LONGEST_PERIOD_DAYS = 3 * 366


def fiscal_year_of(day: date) -> int:
    return day.year if (day.month, day.day) >= FISCAL_YEAR_STARTS else day.year - 1


def fiscal_year_name(year: int) -> str:
    """ "FY2026" in English, 令和8年度 in Japanese (the city's own way of naming it)."""
    reiwa = year - REIWA_OFFSET
    if reiwa >= 1:
        return gettext("FY%(year)d (Reiwa %(reiwa)s)") % {
            "year": year,
            "reiwa": gettext("1st") if reiwa == 1 else str(reiwa),
        }
    return gettext("FY%(year)d") % {"year": year}


def _a_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    name: str

    @property
    def start(self) -> datetime:
        return local_days(self.first, self.last)[0]

    @property
    def end(self) -> datetime:
        return local_days(self.first, self.last)[1]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def a_year_earlier(self) -> Period:
        """The same days a year before (前年同期): March–April and June peaks make the period
        just before a misleading comparison."""
        return Period(
            _a_year_earlier(self.first),
            _a_year_earlier(self.last),
            gettext("Same period a year earlier"),
        )

    @classmethod
    def fiscal_year(cls, year: int, *, to_date: date | None = None) -> Period:
        first = date(year, *FISCAL_YEAR_STARTS)
        last = date(year + 1, *FISCAL_YEAR_STARTS) - timedelta(days=1)
        if to_date is not None and first <= to_date < last:
            return cls(
                first, to_date, gettext("%(fiscal_year)s to date") % {"fiscal_year": fiscal_year_name(year)}
            )
        return cls(first, last, fiscal_year_name(year))

    @classmethod
    def month(cls, day: date) -> Period:
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return cls(first, last, f"{first:%Y-%m}")

    @classmethod
    def default(cls, today: date | None = None) -> Period:
        """The current fiscal year to date."""
        today = today or timezone.localdate()
        return cls.fiscal_year(fiscal_year_of(today), to_date=today)

    def query(self) -> str:
        return f"start={self.first.isoformat()}&end={self.last.isoformat()}"


class PeriodForm(forms.Form):
    """?fy=2026, ?start=…&end=…, or ?preset=this_month|last_month; anything wrong falls back to
    the current fiscal year to date, with a message saying why."""

    PRESETS = [
        ("fy", _("Fiscal year to date")),
        ("this_month", _("This month")),
        ("last_month", _("Last month")),
    ]

    fy = forms.IntegerField(
        label=_("Fiscal year"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=pgettext_lazy("last day of a period", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Give both the first and the last day."))
        for day in (start, end):
            if day and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                raise forms.ValidationError(
                    _("Choose days between %(first)s and %(last)s.")
                    % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
                )
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The last day cannot come before the first day."))
            if (end - start).days + 1 > LONGEST_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose at most three years."))
        return data

    def period(self, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        if not self.is_valid():
            return Period.default(today)
        data = self.cleaned_data
        if data.get("start"):
            return Period(
                data["start"],
                data["end"],
                gettext("%(first)s to %(last)s") % {"first": data["start"], "last": data["end"]},
            )
        if data.get("fy"):
            return Period.fiscal_year(data["fy"], to_date=today)
        if data.get("preset") == "this_month":
            month = Period.month(today)
            return Period(month.first, today, month.name)
        if data.get("preset") == "last_month":
            return Period.month(today.replace(day=1) - timedelta(days=1))
        return Period.default(today)

    def problems(self) -> list[str]:
        """What was wrong with the parameters, for the message beside the default period."""
        if self.is_valid():
            return []
        return [str(error) for errors in self.errors.values() for error in errors]
