"""The centre's figures: one function per figure, computed in the database, each over a
`Period` (Asia/Tokyo days, half-open as moments) and returning plain typed data.

First-contact resolution is the inquiries app's one definition (`InquiryQuerySet.
first_contact_resolution`, FCR_RESOLVED / FCR_PASSED_ON); nothing here re-states it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import jpholiday
from django.db.models import (
    Avg,
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractIsoWeekDay, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.accounts.models import Department, User
from inquiries.models import (
    WRITTEN_CHANNELS,
    AgeBand,
    CallerType,
    Channel,
    FirstContactResolution,
    Gender,
    Inquiry,
    InquiryLanguage,
    Kind,
    SurveyPeriod,
)
from knowledgebase.models import Category
from reports.models import DailyFigures
from reports.periods import Period

# Cells of fewer people than this are shown as "<5" (the usual threshold of Japanese public
# statistics), so that no caller can be singled out.
SMALL_CELL = 5


def received(period: Period) -> QuerySet[Inquiry]:
    return Inquiry.objects.received_between(period.start, period.end)


def _zone():
    return timezone.get_default_timezone()


def figures(period: Period, dimension: str = "all") -> QuerySet[DailyFigures]:
    """The rollup's rows of the period's days along one dimension (see reports.rollup; the
    dashboards refresh it before reading)."""
    return DailyFigures.objects.filter(dimension=dimension, day__gte=period.first, day__lte=period.last)


SUMS = {
    name: Coalesce(Sum(name), 0)
    for name in (
        "total",
        "resolved",
        "passed_on",
        "still_open",
        "abandoned",
        "out_of_hours",
        "score_1",
        "score_2",
        "score_3",
        "score_4",
        "score_5",
        "declined",
        "handled",
    )
}
SUMS["handling_seconds"] = Coalesce(Sum("handling_seconds"), 0.0)


def _fcr(row: dict) -> FirstContactResolution:
    return FirstContactResolution(row["resolved"], row["passed_on"], row["still_open"])


# First-contact resolution


def first_contact_resolution(*, period: Period) -> FirstContactResolution:
    return _fcr(figures(period).aggregate(**SUMS))


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: its key (a code, a month, an id), its label, and its figure."""

    key: object
    label: str
    fcr: FirstContactResolution | None = None
    count: int = 0


BREAKDOWNS = ("month", "channel", "kind", "category", "operator")


def _labels(by: str, keys: Sequence[object]) -> dict[object, str]:
    if by == "channel":
        return {key: str(label) for key, label in Channel.choices}
    if by == "kind":
        return {key: str(label) for key, label in Kind.choices}
    if by == "language":
        return {key: str(label) for key, label in InquiryLanguage.choices}
    ids = [int(key) for key in keys if str(key).isdigit()]
    if by == "category":
        return {
            str(category.pk): category.localized_name() for category in Category.objects.filter(pk__in=ids)
        }
    if by == "operator":
        return {str(user.pk): str(user) for user in User.objects.filter(pk__in=ids)}
    if by == "month":
        return {key: f"{key:%Y-%m}" for key in keys if key}
    return {}


def _grouped(period: Period, by: str) -> list[dict]:
    if by == "month":
        rows = (
            figures(period)
            .annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(**SUMS)
            .order_by("month")
        )
        return [{**row, "key": _month_key(row.pop("month"))} for row in rows]
    return list(figures(period, by).values("key").annotate(**SUMS).order_by("key"))


def _month_key(value: object) -> object:
    return value.date() if hasattr(value, "date") else value


def _order(by: str, rows: list[Row], size) -> list[Row]:
    if by == "month":
        return sorted(rows, key=lambda row: row.key)
    if by in ("channel", "kind", "language"):
        order = list(_labels(by, []))
        return sorted(rows, key=lambda row: order.index(row.key) if row.key in order else len(order))
    return sorted(rows, key=size)


def first_contact_resolution_by(*, period: Period, by: str) -> list[Row]:
    """First-contact resolution per month, channel, kind, top-level category or operator."""
    if by not in BREAKDOWNS:
        raise ValueError(by)
    grouped = _grouped(period, by)
    labels = _labels(by, [row["key"] for row in grouped])
    rows = [Row(key=row["key"], label=labels.get(row["key"], _("Not set")), fcr=_fcr(row)) for row in grouped]
    return _order(by, rows, lambda row: -(row.fcr.counted + row.fcr.still_open))


# Satisfaction


@dataclass(frozen=True)
class Satisfaction:
    average: float | None
    answers: int
    declined: int
    distribution: dict[int, int] = field(default_factory=dict)

    @property
    def asked(self) -> int:
        return self.answers + self.declined


def _satisfaction(row: dict) -> Satisfaction:
    distribution = {score: row[f"score_{score}"] for score in range(1, 6)}
    answers = sum(distribution.values())
    total = sum(score * number for score, number in distribution.items())
    return Satisfaction(
        average=total / answers if answers else None,
        answers=answers,
        declined=row["declined"],
        distribution=distribution,
    )


def satisfaction(*, period: Period) -> Satisfaction:
    return _satisfaction(figures(period).aggregate(**SUMS))


@dataclass(frozen=True)
class SurveyResult:
    survey: SurveyPeriod
    satisfaction: Satisfaction


def satisfaction_by_survey(*, period: Period) -> list[SurveyResult]:
    """Each survey period that overlaps the period (a few a year), with its own figures."""
    surveys = SurveyPeriod.objects.filter(first_day__lte=period.last, last_day__gte=period.first).order_by(
        "first_day"
    )
    return [
        SurveyResult(
            survey,
            _satisfaction(
                figures(
                    Period(max(survey.first_day, period.first), min(survey.last_day, period.last), "")
                ).aggregate(**SUMS)
            ),
        )
        for survey in surveys
    ]


# Volume and staffing


def volume(*, period: Period) -> dict[str, int]:
    """All inquiries, the calls that were no inquiry, and those received out of hours."""
    totals = figures(period).aggregate(**SUMS)
    return {name: totals[name] for name in ("total", "out_of_hours", "abandoned")}


def volume_by(*, period: Period, by: str) -> list[Row]:
    """Inquiries per month, channel, language, kind or top-level category, largest first
    (months, channels, languages and kinds in their own order)."""
    grouped = _grouped(period, by)
    labels = _labels(by, [row["key"] for row in grouped])
    rows = [
        Row(key=row["key"], label=labels.get(row["key"], _("Not set")), count=row["total"]) for row in grouped
    ]
    return _order(by, rows, lambda row: -row.count)


def volume_by_day(*, period: Period) -> list[tuple[date, int]]:
    return list(figures(period).order_by("day").values_list("day", "total"))


def holidays_in(period: Period) -> list[date]:
    """Japanese public holidays and the city's year-end closure (29 December–3 January)."""
    days = []
    day = period.first
    while day <= period.last:
        if jpholiday.is_holiday(day) or (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3):
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class HeatMap:
    """Inquiries by hour of day (0–23) for each weekday (1 = Monday … 7 = Sunday) and, apart,
    for holidays (row 8)."""

    cells: dict[tuple[int, int], int]
    hours: range = range(24)

    def row(self, weekday: int) -> list[int]:
        return [self.cells.get((weekday, hour), 0) for hour in self.hours]

    @property
    def peak(self) -> int:
        return max(self.cells.values(), default=0)


HOLIDAY_ROW = 8


def hour_by_weekday(*, period: Period) -> HeatMap:
    holidays = holidays_in(period)
    rows = (
        figures(period, "hour")
        .annotate(weekday=ExtractIsoWeekDay("day"))
        .values("weekday", "key")
        .annotate(
            working=Coalesce(Sum("total", filter=~Q(day__in=holidays)), 0),
            holiday=Coalesce(Sum("total", filter=Q(day__in=holidays)), 0),
        )
    )
    cells: dict[tuple[int, int], int] = {}
    for row in rows:  # at most 7 × 24 grouped rows
        hour = int(row["key"])
        if row["working"]:
            cells[(row["weekday"], hour)] = row["working"]
        if row["holiday"]:
            cells[(HOLIDAY_ROW, hour)] = cells.get((HOLIDAY_ROW, hour), 0) + row["holiday"]
    return HeatMap(cells)


@dataclass(frozen=True)
class Duration:
    key: str
    label: str
    average: timedelta | None
    count: int


def handling_time_by_kind(*, period: Period) -> list[Duration]:
    """Phone calls and visits: the average time from received to ended, per kind."""
    labels = dict(Kind.choices)
    rows = figures(period, "kind").values("key").annotate(**SUMS).filter(handled__gt=0)
    durations = [
        Duration(
            row["key"],
            str(labels.get(row["key"], row["key"])),
            timedelta(seconds=row["handling_seconds"] / row["handled"]),
            row["handled"],
        )
        for row in rows
    ]
    order = list(labels)
    return sorted(durations, key=lambda d: order.index(d.key) if d.key in order else len(order))


def time_to_answer_by_channel(*, period: Period) -> list[Duration]:
    """E-mail, fax, letter and web: the average time from arrival to the centre's first reply."""
    labels = dict(Channel.choices)
    rows = (
        figures(period, "channel")
        .filter(key__in=WRITTEN_CHANNELS)
        .values("key")
        .annotate(answered=Coalesce(Sum("answered"), 0), seconds=Coalesce(Sum("answer_seconds"), 0.0))
        .filter(answered__gt=0)
    )
    durations = [
        Duration(
            row["key"],
            str(labels[row["key"]]),
            timedelta(seconds=row["seconds"] / row["answered"]),
            row["answered"],
        )
        for row in rows
    ]
    return sorted(durations, key=lambda duration: list(labels).index(duration.key))


@dataclass(frozen=True)
class DepartmentEscalations:
    department: Department
    open: int
    overdue: int
    received: int
    replied: int = 0
    reply_working_days: float | None = None  # average, over those replied in the period


def escalations_by_department(*, period: Period, today: date | None = None) -> list[DepartmentEscalations]:
    """Per department: escalations received in the period, and those open and overdue now."""
    today = today or timezone.localdate()
    in_period = Q(escalations__created_at__gte=period.start, escalations__created_at__lt=period.end)
    waiting = Q(escalations__status="waiting")
    replied = in_period & Q(escalations__reply_working_days__isnull=False)
    departments = (
        Department.objects.annotate(
            received=Count("escalations", filter=in_period),
            open=Count("escalations", filter=waiting),
            overdue=Count("escalations", filter=waiting & Q(escalations__reply_by__lt=today)),
            replied=Count("escalations", filter=replied),
            reply_days=Avg("escalations__reply_working_days", filter=replied),
        )
        .filter(Q(received__gt=0) | Q(open__gt=0))
        .order_by("-overdue", "-open", "code")
    )
    return [
        DepartmentEscalations(
            d,
            d.open,
            d.overdue,
            d.received,
            d.replied,
            float(d.reply_days) if d.reply_days is not None else None,
        )
        for d in departments
    ]


# Who calls


@dataclass(frozen=True)
class Cell:
    """A count as published: None when suppressed (shown as "<5")."""

    count: int | None

    @property
    def suppressed(self) -> bool:
        return self.count is None


def suppress(
    grid: dict[tuple[str, str], int], rows: Sequence[str], columns: Sequence[str]
) -> dict[tuple[str, str], Cell]:
    """Small cells (1 to SMALL_CELL − 1) hidden; then, in any row or column where exactly one
    cell is hidden, the next-smallest cell hidden too, so that the totals cannot give the
    hidden one away. Repeated until no row or column has a lone hidden cell."""
    hidden = {key for key, count in grid.items() if 0 < count < SMALL_CELL}
    lines = [[(row, column) for column in columns] for row in rows] + [
        [(row, column) for row in rows] for column in columns
    ]
    changed = True
    while changed:
        changed = False
        for line in lines:
            alone = [key for key in line if key in hidden]
            if len(alone) == 1:
                # The smallest other count; a zero only when nothing else is left, since with the
                # rest known the total would still give the hidden one away.
                candidates = sorted(
                    (grid.get(key, 0) == 0, grid.get(key, 0), key) for key in line if key not in hidden
                )
                if candidates:
                    hidden.add(candidates[0][2])
                    changed = True
    return {
        (row, column): Cell(None if (row, column) in hidden else grid.get((row, column), 0))
        for row in rows
        for column in columns
    }


@dataclass(frozen=True)
class CrossTable:
    rows: list[tuple[str, str]]  # (code, label)
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], Cell]
    total: int

    def row_cells(self, row: str) -> list[Cell]:
        return [self.cells[(row, column)] for column, _label in self.columns]


def age_by_gender(*, period: Period) -> CrossTable:
    counts = figures(period, "age_gender").values("key").annotate(count=Sum("total"))
    grid = {tuple(row["key"].split("|", 1)): row["count"] for row in counts}
    rows = [(code, str(label)) for code, label in AgeBand.choices]
    columns = [(code, str(label)) for code, label in Gender.choices]
    return CrossTable(
        rows,
        columns,
        suppress(grid, [code for code, _ in rows], [code for code, _ in columns]),
        sum(grid.values()),
    )


def caller_types(*, period: Period) -> list[tuple[str, Cell]]:
    counts = dict(figures(period, "caller_type").values_list("key").annotate(count=Sum("total")))
    grid = {(code, "all"): counts.get(code, 0) for code, _label in CallerType.choices}
    cells = suppress(grid, [code for code, _ in CallerType.choices], ["all"])
    return [(str(label), cells[(code, "all")]) for code, label in CallerType.choices]
