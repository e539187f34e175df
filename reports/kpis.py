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
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.accounts.models import Department, User
from inquiries.models import (
    FCR_PASSED_ON,
    FCR_RESOLVED,
    SPOKEN_CHANNELS,
    WRITTEN_CHANNELS,
    AgeBand,
    CallerType,
    Channel,
    FirstContactResolution,
    Gender,
    Inquiry,
    InquiryLanguage,
    Kind,
    Reply,
    SurveyPeriod,
)
from knowledgebase.models import Category
from reports.periods import Period

# Cells of fewer people than this are shown as "<5" (the usual threshold of Japanese public
# statistics), so that no caller can be singled out.
SMALL_CELL = 5

FCR_COUNTS = {
    "resolved": Count("pk", filter=Q(outcome__in=FCR_RESOLVED)),
    "passed_on": Count("pk", filter=Q(outcome__in=FCR_PASSED_ON)),
    "still_open": Count("pk", filter=Q(outcome="")),
}


def received(period: Period) -> QuerySet[Inquiry]:
    return Inquiry.objects.received_between(period.start, period.end)


def _zone():
    return timezone.get_default_timezone()


# First-contact resolution


def first_contact_resolution(*, period: Period) -> FirstContactResolution:
    return received(period).first_contact_resolution()


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: its key (a code, a month, an id), its label, and its figure."""

    key: object
    label: str
    fcr: FirstContactResolution | None = None
    count: int = 0


BREAKDOWNS = ("month", "channel", "kind", "category", "operator")


def _top_category() -> Coalesce:
    return Coalesce(F("category__parent_id"), F("category_id"))


def _labels(by: str, keys: Sequence[object]) -> dict[object, str]:
    if by == "channel":
        return {key: str(label) for key, label in Channel.choices}
    if by == "kind":
        return {key: str(label) for key, label in Kind.choices}
    if by == "language":
        return {key: str(label) for key, label in InquiryLanguage.choices}
    if by == "category":
        return {category.pk: category.localized_name() for category in Category.objects.filter(pk__in=keys)}
    if by == "operator":
        return {user.pk: str(user) for user in User.objects.filter(pk__in=keys)}
    if by == "month":
        return {key: f"{key:%Y-%m}" for key in keys if key}
    return {}


def _group(by: str):
    return {
        "month": TruncMonth("received_at", tzinfo=_zone()),
        "channel": F("channel"),
        "kind": F("kind"),
        "language": F("language"),
        "category": _top_category(),
        "operator": F("operator_id"),
    }[by]


def _month_key(value: object) -> object:
    return value.date() if hasattr(value, "date") else value


def first_contact_resolution_by(*, period: Period, by: str) -> list[Row]:
    """First-contact resolution per month, channel, kind, top-level category or operator."""
    if by not in BREAKDOWNS:
        raise ValueError(by)
    rows = list(
        received(period)
        .order_by()
        .annotate(key=_group(by))
        .values("key")
        .annotate(**FCR_COUNTS)
        .order_by("key")
    )
    keys = [_month_key(row["key"]) for row in rows]
    labels = _labels(by, keys)
    result = [
        Row(
            key=key,
            label=labels.get(key, _("Not set")),
            fcr=FirstContactResolution(row["resolved"], row["passed_on"], row["still_open"]),
        )
        for key, row in zip(keys, rows, strict=True)
    ]
    if by in ("category", "operator"):
        result.sort(key=lambda row: -(row.fcr.counted + row.fcr.still_open))
    return result


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


def _satisfaction(inquiries: QuerySet[Inquiry]) -> Satisfaction:
    figures = inquiries.aggregate(
        average=Avg("satisfaction"),
        answers=Count("pk", filter=Q(satisfaction__isnull=False)),
        declined=Count("pk", filter=Q(survey_declined=True)),
        **{f"score_{score}": Count("pk", filter=Q(satisfaction=score)) for score in range(1, 6)},
    )
    return Satisfaction(
        average=float(figures["average"]) if figures["average"] is not None else None,
        answers=figures["answers"],
        declined=figures["declined"],
        distribution={score: figures[f"score_{score}"] for score in range(1, 6)},
    )


def satisfaction(*, period: Period) -> Satisfaction:
    return _satisfaction(received(period))


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
                Inquiry.objects.received_on(
                    max(survey.first_day, period.first), min(survey.last_day, period.last)
                )
            ),
        )
        for survey in surveys
    ]


# Volume and staffing


def volume(*, period: Period) -> dict[str, int]:
    """All inquiries, those that count for first-contact resolution, and those out of hours."""
    return received(period).aggregate(
        total=Count("pk"),
        out_of_hours=Count("pk", filter=Q(out_of_hours=True)),
        abandoned=Count("pk", filter=Q(outcome="abandoned")),
    )


def volume_by(*, period: Period, by: str) -> list[Row]:
    """Inquiries per month, channel, language, kind or top-level category, largest first
    (months in order)."""
    rows = list(
        received(period).order_by().annotate(key=_group(by)).values("key").annotate(count=Count("pk"))
    )
    keys = [_month_key(row["key"]) for row in rows]
    labels = _labels(by, keys)
    result = [
        Row(key=key, label=labels.get(key, _("Not set")), count=row["count"])
        for key, row in zip(keys, rows, strict=True)
    ]
    if by == "month":
        return sorted(result, key=lambda row: row.key)
    return sorted(result, key=lambda row: -row.count)


def volume_by_day(*, period: Period) -> list[tuple[date, int]]:
    rows = (
        received(period)
        .order_by()
        .annotate(day=TruncDate("received_at", tzinfo=_zone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    return [(row["day"], row["count"]) for row in rows]


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
    zone = _zone()
    rows = (
        received(period)
        .order_by()
        .annotate(
            weekday=ExtractIsoWeekDay("received_at", tzinfo=zone),
            hour=ExtractHour("received_at", tzinfo=zone),
        )
        .values("weekday", "hour")
        .annotate(
            working=Count("pk", filter=~Q(received_at__date__in=holidays)),
            holiday=Count("pk", filter=Q(received_at__date__in=holidays)),
        )
    )
    cells: dict[tuple[int, int], int] = {}
    for row in rows:
        if row["working"]:
            cells[(row["weekday"], row["hour"])] = (
                cells.get((row["weekday"], row["hour"]), 0) + row["working"]
            )
        if row["holiday"]:
            cells[(HOLIDAY_ROW, row["hour"])] = cells.get((HOLIDAY_ROW, row["hour"]), 0) + row["holiday"]
    return HeatMap(cells)


@dataclass(frozen=True)
class Duration:
    key: str
    label: str
    average: timedelta | None
    count: int


def handling_time_by_kind(*, period: Period) -> list[Duration]:
    """Phone calls and visits: the average time from received to ended, per kind."""
    span = ExpressionWrapper(F("ended_at") - F("received_at"), output_field=DurationField())
    rows = (
        received(period)
        .filter(channel__in=SPOKEN_CHANNELS, ended_at__isnull=False)
        .exclude(outcome="abandoned")
        .order_by()
        .values("kind")
        .annotate(average=Avg(span), count=Count("pk"))
    )
    labels = dict(Kind.choices)
    return sorted(
        (
            Duration(row["kind"], str(labels.get(row["kind"], row["kind"])), row["average"], row["count"])
            for row in rows
        ),
        key=lambda duration: list(labels).index(duration.key) if duration.key in labels else 99,
    )


def time_to_answer_by_channel(*, period: Period) -> list[Duration]:
    """E-mail, fax, letter and web: the average time from arrival to the centre's first reply."""
    first_reply = Subquery(
        Reply.objects.filter(inquiry=OuterRef("pk")).order_by("sent_at").values("sent_at")[:1]
    )
    span = ExpressionWrapper(F("first_reply") - F("received_at"), output_field=DurationField())
    rows = (
        received(period)
        .filter(channel__in=WRITTEN_CHANNELS)
        .order_by()
        .annotate(first_reply=first_reply)
        .filter(first_reply__isnull=False)
        .values("channel")
        .annotate(average=Avg(span), count=Count("pk"))
    )
    labels = dict(Channel.choices)
    return sorted(
        (Duration(row["channel"], str(labels[row["channel"]]), row["average"], row["count"]) for row in rows),
        key=lambda duration: list(labels).index(duration.key),
    )


@dataclass(frozen=True)
class DepartmentEscalations:
    department: Department
    open: int
    overdue: int
    received: int


def escalations_by_department(*, period: Period, today: date | None = None) -> list[DepartmentEscalations]:
    """Per department: escalations received in the period, and those open and overdue now."""
    today = today or timezone.localdate()
    in_period = Q(escalations__created_at__gte=period.start, escalations__created_at__lt=period.end)
    waiting = Q(escalations__status="waiting")
    departments = (
        Department.objects.annotate(
            received=Count("escalations", filter=in_period),
            open=Count("escalations", filter=waiting),
            overdue=Count("escalations", filter=waiting & Q(escalations__reply_by__lt=today)),
        )
        .filter(Q(received__gt=0) | Q(open__gt=0))
        .order_by("-overdue", "-open", "code")
    )
    return [DepartmentEscalations(d, d.open, d.overdue, d.received) for d in departments]


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
    counts = received(period).order_by().values("age_band", "gender").annotate(count=Count("pk"))
    grid = {(row["age_band"], row["gender"]): row["count"] for row in counts}
    rows = [(code, str(label)) for code, label in AgeBand.choices]
    columns = [(code, str(label)) for code, label in Gender.choices]
    return CrossTable(
        rows,
        columns,
        suppress(grid, [code for code, _ in rows], [code for code, _ in columns]),
        sum(grid.values()),
    )


def caller_types(*, period: Period) -> list[tuple[str, Cell]]:
    counts = dict(received(period).order_by().values_list("caller_type").annotate(count=Count("pk")))
    grid = {(code, "all"): counts.get(code, 0) for code, _label in CallerType.choices}
    cells = suppress(grid, [code for code, _ in CallerType.choices], ["all"])
    return [(str(label), cells[(code, "all")]) for code, label in CallerType.choices]
