"""The city's working days, for reply-by dates of escalations to departments.

Closed: Saturdays, Sundays, Japanese public holidays (国民の祝日, with substitute holidays
振替休日 and citizens' holidays 国民の休日, from `jpholiday`), and the year-end and new-year
holidays 29 December to 3 January (年末年始, 行政機関の休日に関する法律 第1条).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import jpholiday

# Far more than any run of closed days (the longest, Golden Week or the year end, is under ten).
_SEARCH_LIMIT = 60


def is_year_end_holiday(day: date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not jpholiday.is_holiday(day) and not is_year_end_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    for offset in range(1, _SEARCH_LIMIT):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate):
            return candidate
    raise ValueError(f"no working day within {_SEARCH_LIMIT} days after {day}")


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (`start` itself is not counted; n=0 is `start`)."""
    day = start
    for _ in range(n):
        day = next_working_day(day)
    return day


def counting_from(moment: datetime, *, closes: time) -> date:
    """The working day a request made at `moment` (local time) counts from.

    A request made on a working day before the offices close counts from that day; one made
    after closing time or on a closed day counts from the next working day, as if it had
    arrived that morning.
    """
    day = moment.date()
    if is_working_day(day) and moment.time() < closes:
        return day
    return next_working_day(day)


def reply_by(moment: datetime, *, working_days: int, closes: time) -> date:
    """The day by which a reply is due: `working_days` working days after the day the request
    counts from (`counting_from`). Made on Monday morning with 5 days: due the next Monday."""
    return add_working_days(counting_from(moment, closes=closes), working_days)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when answered the same day):
    how long a department took, counted as its reply-by date is."""
    if end <= start:
        return 0
    return sum(
        1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset))
    )
