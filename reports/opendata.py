"""The published statistics: monthly inquiry counts by top-level category, channel and kind.

`rebuild_open_data` recomputes them from the inquiries into `OpenDataMonth` (run daily by
`manage.py rebuild_open_data`); the public page and its CSV read only that table, so the public
host never reads an inquiry. Only finished months (Asia/Tokyo) are published, and no free text
ever: category names, channel and kind codes and counts. Small counts are suppressed when
published (`reports.kpis.suppress`), never in the table itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from inquiries.models import Inquiry, Outcome, local_days
from knowledgebase.models import Category
from reports.kpis import Cell, suppress
from reports.models import OpenDataMonth

# The public summary shows this many months, the latest last.
SUMMARY_MONTHS = 12


def _month_start(day: date, back: int = 0) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return date(year, month + 1, 1)


@dataclass(frozen=True)
class Rebuilt:
    months: int
    cells: int


def rebuild_open_data(*, months: int | None = None, today: date | None = None) -> Rebuilt:
    """Recompute the finished months' counts: the last `months` of them, or all when None.

    One aggregate query over the inquiries, then the months' rows replaced in one transaction
    (readers see the old counts or the new, never half). Calls that turned out to be no inquiry
    (hung up, silent, wrong number) are not counted.
    """
    this_month = _month_start(today or timezone.localdate())
    end = local_days(this_month, this_month)[0]
    inquiries = Inquiry.objects.filter(received_at__lt=end).exclude(outcome=Outcome.ABANDONED)
    first_month = None
    if months is not None:
        first_month = _month_start(this_month, months)
        inquiries = inquiries.filter(received_at__gte=local_days(first_month, first_month)[0])
    rows = list(
        inquiries.order_by()
        .annotate(
            month_start=TruncMonth("received_at", tzinfo=timezone.get_default_timezone()),
            top=Coalesce(F("category__parent_id"), F("category_id")),
        )
        .values("month_start", "top", "channel", "kind")
        .annotate(inquiries=Count("pk"))
    )
    names = {
        category.pk: (category.name, category.name_en)
        for category in Category.objects.filter(parent=None).only("name", "name_en")
    }
    cells = [
        OpenDataMonth(
            month=_as_date(row["month_start"]),
            category=names.get(row["top"], ("", ""))[0],
            category_en=names.get(row["top"], ("", ""))[1],
            channel=row["channel"],
            kind=row["kind"],
            inquiries=row["inquiries"],
        )
        for row in rows
    ]
    with transaction.atomic():
        stale = OpenDataMonth.objects.all()
        if first_month is not None:
            stale = stale.filter(month__gte=first_month)
        stale.delete()
        OpenDataMonth.objects.bulk_create(cells, batch_size=1000)
    return Rebuilt(months=len({cell.month for cell in cells}), cells=len(cells))


def _as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


# What the public page and the CSV publish


@dataclass(frozen=True)
class SummaryRow:
    category: str
    category_en: str
    cells: list[tuple[date, Cell]]  # one per month of the summary


@dataclass(frozen=True)
class Summary:
    months: list[date]
    rows: list[SummaryRow]
    totals: list[tuple[date, int]]  # per month, all categories

    @property
    def total(self) -> int:
        return sum(count for _month, count in self.totals)


def summary() -> Summary:
    """The last SUMMARY_MONTHS published months by category, small counts suppressed."""
    latest = OpenDataMonth.objects.aggregate(latest=Max("month"))["latest"]
    if latest is None:
        return Summary([], [], [])
    months = [_month_start(latest, back) for back in range(SUMMARY_MONTHS - 1, -1, -1)]
    counts = (
        OpenDataMonth.objects.filter(month__gte=months[0])
        .values("month", "category", "category_en")
        .annotate(count=Sum("inquiries"))
    )
    grid: dict[tuple[str, str], int] = {}
    english: dict[str, str] = {}
    for row in counts:
        grid[(row["category"], row["month"].isoformat())] = row["count"]
        english[row["category"]] = row["category_en"]
    # Blank ("not categorised") last, the others in the Japanese order of names.
    categories = sorted(english, key=lambda name: (name == "", name))
    # Each month is suppressed on its own (its column and its published total), never across
    # the twelve-month window: a window that moves on must not publish, a month later, a cell
    # that an earlier window hid to protect a small one. So no per-category window totals.
    cells = {}
    for month in months:
        column = month.isoformat()
        cells.update(
            suppress({key: value for key, value in grid.items() if key[1] == column}, categories, [column])
        )
    return Summary(
        months=months,
        rows=[
            SummaryRow(
                category,
                english[category],
                [(month, cells[(category, month.isoformat())]) for month in months],
            )
            for category in categories
        ],
        totals=[
            (month, sum(grid.get((category, month.isoformat()), 0) for category in categories))
            for month in months
        ],
    )


CSV_HEADER = ["month", "category", "category_en", "channel", "kind", "inquiries"]
SUPPRESSED = "<5"


def published_rows() -> Iterator[list[object]]:
    """Every published month's cells for the CSV, month by month; a suppressed count is "<5".

    Within a month the cells form a table of categories × (channel, kind): a lone small cell
    in a row or column gets a second one hidden beside it (`suppress`), so neither the month's
    nor a category's total gives it away. Combinations with no inquiry are left out, except a
    zero hidden to protect another cell.
    """
    month_cells: dict[tuple[str, str], int] = {}
    english: dict[str, str] = {}
    current = None
    for cell in OpenDataMonth.objects.order_by("month", "category", "channel", "kind").iterator(
        chunk_size=2000
    ):
        if cell.month != current:
            if current is not None:
                yield from _month_rows(current, month_cells, english)
            current, month_cells, english = cell.month, {}, {}
        month_cells[(cell.category, f"{cell.channel}|{cell.kind}")] = cell.inquiries
        english[cell.category] = cell.category_en
    if current is not None:
        yield from _month_rows(current, month_cells, english)


def _month_rows(
    month: date, grid: dict[tuple[str, str], int], english: dict[str, str]
) -> Iterator[list[object]]:
    categories = sorted(english)
    combinations = sorted({column for _category, column in grid})
    cells = suppress(grid, categories, combinations)
    by_category: dict[str, list[tuple[str, Cell]]] = defaultdict(list)
    for (category, column), cell in cells.items():
        if cell.suppressed or cell.count:
            by_category[category].append((column, cell))
    for category in categories:
        for column, cell in sorted(by_category[category]):
            channel, kind = column.split("|")
            yield [
                f"{month:%Y-%m}",
                category,
                english[category],
                channel,
                kind,
                SUPPRESSED if cell.suppressed else cell.count,
            ]
