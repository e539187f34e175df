"""Working days for reply-by dates, checked against real calendars."""

from datetime import date, datetime, time

import pytest

from contactcenter.lib.workdays import add_working_days, counting_from, is_working_day, reply_by

CLOSES = time(17, 15)


@pytest.mark.parametrize(
    "day",
    [
        date(2027, 4, 29),  # 昭和の日
        date(2027, 5, 3),  # 憲法記念日
        date(2027, 5, 4),  # みどりの日
        date(2027, 5, 5),  # こどもの日
        date(2026, 5, 6),  # 振替休日 (憲法記念日 fell on a Sunday)
        date(2026, 9, 22),  # 国民の休日 between two holidays
        date(2026, 12, 29),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 3),
        date(2027, 5, 1),  # Saturday
        date(2027, 5, 2),  # Sunday
    ],
)
def test_holidays_weekends_and_the_year_end_are_closed(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 12, 28), date(2027, 1, 4), date(2027, 4, 30), date(2027, 5, 6)])
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)


def test_five_working_days_skip_golden_week_2027():
    # Wed 28 April: Thu 29 (昭和の日) closed, Fri 30, then 3–5 May closed, 6, 7, (8–9 weekend), 10, 11.
    assert add_working_days(date(2027, 4, 28), 5) == date(2027, 5, 11)


def test_five_working_days_skip_the_year_end_2026_27():
    # Fri 25 Dec 2026: 28 Dec, then 29 Dec–3 Jan closed, 4, 5, 6, 7 Jan.
    assert add_working_days(date(2026, 12, 25), 5) == date(2027, 1, 7)


def test_a_substitute_holiday_is_skipped():
    # Tue 5 May 2026 is a holiday and Wed 6 May its substitute: Fri 1 May + 1 is Thu 7 May.
    assert add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 7)


def test_no_working_days_is_the_same_day():
    assert add_working_days(date(2027, 5, 6), 0) == date(2027, 5, 6)


def test_a_request_in_office_hours_counts_from_that_day():
    assert counting_from(datetime(2027, 5, 6, 10, 0), closes=CLOSES) == date(2027, 5, 6)
    assert reply_by(datetime(2027, 5, 10, 9, 0), working_days=5, closes=CLOSES) == date(2027, 5, 17)


def test_a_request_after_closing_time_counts_from_the_next_working_day():
    assert counting_from(datetime(2027, 4, 28, 18, 0), closes=CLOSES) == date(2027, 4, 30)
    assert reply_by(datetime(2027, 4, 28, 18, 0), working_days=5, closes=CLOSES) == date(2027, 5, 12)


def test_a_request_on_a_closed_day_counts_from_the_next_working_day():
    assert counting_from(datetime(2027, 1, 2, 10, 0), closes=CLOSES) == date(2027, 1, 4)
    # From Mon 4 Jan: 5, 6, 7, 8, then Mon 11 Jan 2027 is 成人の日: due Tue 12 Jan.
    assert reply_by(datetime(2027, 1, 2, 10, 0), working_days=5, closes=CLOSES) == date(2027, 1, 12)


def test_a_reply_counts_the_working_days_after_the_start():
    from contactcenter.lib.workdays import working_days_between

    # Friday 24 April 2026 to Thursday 7 May 2026: Golden Week (29 April, 3–6 May) and weekends out.
    assert working_days_between(date(2026, 4, 24), date(2026, 5, 7)) == 5
    assert working_days_between(date(2026, 4, 24), date(2026, 4, 24)) == 0
