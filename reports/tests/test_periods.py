"""Report periods: fiscal years from 1 April in Asia/Tokyo, any days, this and last month,
the same days a year earlier, and bad parameters falling back to the current fiscal year."""

from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from reports.periods import Period, PeriodForm, fiscal_year_name, fiscal_year_of

TOKYO = timezone.get_fixed_timezone(9 * 60)
TODAY = date(2026, 11, 30)


def test_a_fiscal_year_runs_from_1_april_to_31_march():
    assert fiscal_year_of(date(2027, 3, 31)) == 2026
    assert fiscal_year_of(date(2027, 4, 1)) == 2027
    period = Period.fiscal_year(2026)
    assert (period.first, period.last) == (date(2026, 4, 1), date(2027, 3, 31))


def test_a_period_is_half_open_in_tokyo_time():
    period = Period.fiscal_year(2026)
    assert period.start == datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO)
    assert period.end == datetime(2027, 4, 1, 0, 0, tzinfo=TOKYO)


def test_the_current_fiscal_year_is_shown_to_date():
    period = Period.default(TODAY)
    assert (period.first, period.last) == (date(2026, 4, 1), TODAY)


def test_the_same_period_a_year_earlier_survives_29_february():
    earlier = Period(date(2028, 2, 1), date(2028, 2, 29), "").a_year_earlier()
    assert (earlier.first, earlier.last) == (date(2027, 2, 1), date(2027, 2, 28))


def test_the_japanese_name_of_a_fiscal_year_is_its_reiwa_year():
    with translation.override("ja"):
        assert "令和8年度" in fiscal_year_name(2026)
        assert "令和元年度" in fiscal_year_name(2019)
    with translation.override("en"):
        assert fiscal_year_name(2026).startswith("FY2026")


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ({"fy": "2025"}, date(2025, 4, 1), date(2026, 3, 31)),
        ({"fy": "2026"}, date(2026, 4, 1), TODAY),
        ({"start": "2026-04-01", "end": "2026-06-30"}, date(2026, 4, 1), date(2026, 6, 30)),
        ({"preset": "this_month"}, date(2026, 11, 1), TODAY),
        ({"preset": "last_month"}, date(2026, 10, 1), date(2026, 10, 31)),
        ({}, date(2026, 4, 1), TODAY),
    ],
)
def test_each_way_of_choosing_a_period(query, first, last):
    period = PeriodForm(query).period(TODAY)
    assert (period.first, period.last) == (first, last)


@pytest.mark.parametrize(
    "query",
    [
        {"fy": "abc"},
        {"fy": "1899"},
        {"start": "2026-06-30", "end": "2026-04-01"},
        {"start": "2026-04-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"start": "2026-02-30", "end": "2026-03-01"},
        {"preset": "forever"},
        {"start": "0001-01-01", "end": "0001-01-03"},
        {"start": "9999-12-29", "end": "9999-12-31"},
    ],
)
def test_a_bad_period_falls_back_to_the_fiscal_year_to_date_and_says_why(query):
    form = PeriodForm(query)
    period = form.period(TODAY)
    assert (period.first, period.last) == (date(2026, 4, 1), TODAY)
    assert form.problems()
