"""Is the centre open now? Opening hours every day, minus configured closed days (Asia/Tokyo)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

LOOK_AHEAD_DAYS = 60


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def is_closed_day(day: date) -> bool:
    """A configured closure: MM-DD every year, or YYYY-MM-DD once."""
    closed = {entry.strip() for entry in settings.CENTRE_CLOSED_DAYS}
    return day.strftime("%m-%d") in closed or day.isoformat() in closed


def is_open_at(moment: datetime) -> bool:
    """Whether the centre was (or will be) open at this moment, in Asia/Tokyo."""
    local = timezone.localtime(moment)
    opens, closes = _clock(settings.CENTRE_OPENS), _clock(settings.CENTRE_CLOSES)
    return not is_closed_day(local.date()) and opens <= local.time() < closes


@dataclass(frozen=True)
class Opening:
    open_now: bool
    closes_at: time
    opens_at: time
    next_opening: datetime | None  # when closed: the next time it opens
    closed_days: list[date]  # closures within the coming LOOK_AHEAD_DAYS


def opening(now: datetime | None = None) -> Opening:
    now = timezone.localtime(now)
    opens, closes = _clock(settings.CENTRE_OPENS), _clock(settings.CENTRE_CLOSES)
    today = now.date()
    open_now = is_open_at(now)
    next_opening = None
    if not open_now:
        day = today if now.time() < opens else today + timedelta(days=1)
        for _ in range(400):
            if not is_closed_day(day):
                next_opening = timezone.make_aware(datetime.combine(day, opens))
                break
            day += timedelta(days=1)
    closed_days = [
        today + timedelta(days=offset)
        for offset in range(LOOK_AHEAD_DAYS)
        if is_closed_day(today + timedelta(days=offset))
    ]
    return Opening(open_now, closes, opens, next_opening, closed_days)
