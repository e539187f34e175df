"""The dashboards' tables, each built once from the KPI functions and shown both as HTML and
as CSV: the page and the download can never disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inquiries.models import FirstContactResolution
from reports import kpis
from reports.periods import Period


def percent(rate: float | None) -> str:
    """A share with one decimal, e.g. "87.5 %"; a dash when nothing was counted."""
    if rate is None:
        return "—"
    return _("%(value)s %%") % {"value": formats.number_format(rate * 100, 1)}


def average_score(value: float | None) -> str:
    return "—" if value is None else formats.number_format(value, 2)


def minutes(span: timedelta | None) -> str:
    if span is None:
        return "—"
    return _("%(minutes)s min") % {"minutes": formats.number_format(span.total_seconds() / 60, 1)}


def hours_or_days(span: timedelta | None) -> str:
    if span is None:
        return "—"
    hours = span.total_seconds() / 3600
    if hours < 48:
        return _("%(hours)s h") % {"hours": formats.number_format(hours, 1)}
    return _("%(days)s days") % {"days": formats.number_format(hours / 24, 1)}


def count(value: int) -> str:
    return formats.number_format(value, 0, force_grouping=True)


def shown_cell(cell: kpis.Cell) -> str:
    return "<5" if cell.suppressed else count(cell.count)


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""

    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each cell with its column's title (what a stacked table on a phone shows beside it)."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


def _fcr_cells(fcr: FirstContactResolution | None) -> list[str]:
    if fcr is None:
        return ["—", "0", "0", "0"]
    return [percent(fcr.rate), count(fcr.resolved), count(fcr.passed_on), count(fcr.still_open)]


FCR_TITLES = {
    "month": gettext_lazy("First-contact resolution by month"),
    "channel": gettext_lazy("First-contact resolution by channel"),
    "kind": gettext_lazy("First-contact resolution by kind"),
    "category": gettext_lazy("First-contact resolution by category"),
    "operator": gettext_lazy("First-contact resolution by operator"),
}
FCR_KEY_TITLES = {
    "month": gettext_lazy("Month"),
    "channel": gettext_lazy("Channel"),
    "kind": gettext_lazy("Kind"),
    "category": gettext_lazy("Category"),
    "operator": gettext_lazy("Operator"),
}


def fcr_table(period: Period, by: str) -> Table:
    """Per month, channel, kind, category or operator, beside the same group a year earlier
    (months: the same month a year earlier)."""
    rows = kpis.first_contact_resolution_by(period=period, by=by)
    earlier = kpis.first_contact_resolution_by(period=period.a_year_earlier(), by=by)
    if by == "month":
        before = {(row.key.year + 1, row.key.month): row.fcr for row in earlier if row.key}
        earlier_of = {row.key: before.get((row.key.year, row.key.month)) for row in rows if row.key}
    else:
        before = {row.key: row.fcr for row in earlier}
        earlier_of = {row.key: before.get(row.key) for row in rows}
    table = Table(
        f"fcr-{by}",
        str(FCR_TITLES[by]),
        [
            str(FCR_KEY_TITLES[by]),
            _("First-contact resolution"),
            _("Resolved by the centre"),
            _("Passed to a department"),
            _("Still open"),
            _("A year earlier"),
        ],
    )
    for row in rows:
        previous = earlier_of.get(row.key)
        table.rows.append([row.label, *_fcr_cells(row.fcr), percent(previous.rate) if previous else "—"])
    return table


def volume_table(period: Period, by: str) -> Table:
    titles = {
        "month": (_("Inquiries by month"), _("Month")),
        "channel": (_("Inquiries by channel"), _("Channel")),
        "language": (_("Inquiries by language"), _("Language")),
        "kind": (_("Inquiries by kind"), _("Kind")),
        "category": (_("Inquiries by category"), _("Category")),
    }
    title, key_title = titles[by]
    rows = kpis.volume_by(period=period, by=by)
    earlier = kpis.volume_by(period=period.a_year_earlier(), by=by)
    if by == "month":
        before = {(row.key.year + 1, row.key.month): row.count for row in earlier if row.key}
        previous = {row.key: before.get((row.key.year, row.key.month), 0) for row in rows if row.key}
    else:
        before = {row.key: row.count for row in earlier}
        previous = {row.key: before.get(row.key, 0) for row in rows}
    total = sum(row.count for row in rows) or 1
    table = Table(f"volume-{by}", title, [key_title, _("Inquiries"), _("Share"), _("A year earlier")])
    for row in rows:
        table.rows.append(
            [row.label, count(row.count), percent(row.count / total), count(previous.get(row.key, 0))]
        )
    return table


def daily_table(period: Period) -> Table:
    table = Table("volume-day", _("Inquiries per day"), [_("Day"), _("Inquiries")])
    for day, number in kpis.volume_by_day(period=period):
        table.rows.append([formats.date_format(day, "Y-m-d (D)"), count(number)])
    return table


WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
    gettext_lazy("Holidays"),
]


def heat_map_table(period: Period, heat: kpis.HeatMap | None = None) -> Table:
    heat = heat or kpis.hour_by_weekday(period=period)
    table = Table(
        "hour-weekday",
        _("Inquiries by hour and weekday"),
        [_("Day"), *[str(hour) for hour in heat.hours]],
        note=_(
            "Columns are the hours of the day (9 = 9:00 to 9:59). Public holidays and "
            "29 December–3 January are counted apart, on the last line."
        ),
    )
    for weekday, name in enumerate(WEEKDAYS, start=1):
        table.rows.append([str(name), *[count(value) for value in heat.row(weekday)]])
    return table


def handling_table(period: Period) -> Table:
    table = Table(
        "handling-time",
        _("Handling time of phone calls and visits"),
        [_("Kind"), _("Average"), _("Calls"), _("A year earlier")],
    )
    before = {row.key: row for row in kpis.handling_time_by_kind(period=period.a_year_earlier())}
    for row in kpis.handling_time_by_kind(period=period):
        previous = before.get(row.key)
        table.rows.append(
            [
                row.label,
                minutes(row.average),
                count(row.count),
                minutes(previous.average) if previous else "—",
            ]
        )
    return table


def answer_time_table(period: Period) -> Table:
    table = Table(
        "time-to-answer",
        _("Time to answer e-mails, faxes, letters and web messages"),
        [_("Channel"), _("Average to the first reply"), _("Answered"), _("A year earlier")],
    )
    before = {row.key: row for row in kpis.time_to_answer_by_channel(period=period.a_year_earlier())}
    for row in kpis.time_to_answer_by_channel(period=period):
        previous = before.get(row.key)
        table.rows.append(
            [
                row.label,
                hours_or_days(row.average),
                count(row.count),
                hours_or_days(previous.average) if previous else "—",
            ]
        )
    return table


def escalation_table(period: Period) -> Table:
    table = Table(
        "escalations",
        _("Escalations by department"),
        [
            _("Department"),
            _("Escalated in the period"),
            _("Average reply time (working days)"),
            _("Waiting now"),
            _("Overdue now"),
        ],
    )
    for row in kpis.escalations_by_department(period=period):
        table.rows.append(
            [
                str(row.department),
                count(row.received),
                "—" if row.reply_working_days is None else formats.number_format(row.reply_working_days, 1),
                count(row.open),
                count(row.overdue),
            ]
        )
    return table


def satisfaction_table(period: Period) -> Table:
    table = Table(
        "satisfaction-surveys",
        _("Satisfaction by survey period"),
        [_("Survey period"), _("Days"), _("Average"), _("Answers"), _("Declined")],
    )
    for result in kpis.satisfaction_by_survey(period=period):
        survey = result.survey
        table.rows.append(
            [
                survey.name,
                f"{survey.first_day:%Y-%m-%d} – {survey.last_day:%Y-%m-%d}",
                average_score(result.satisfaction.average),
                count(result.satisfaction.answers),
                count(result.satisfaction.declined),
            ]
        )
    return table


def age_gender_table(period: Period, cross: kpis.CrossTable | None = None) -> Table:
    cross = cross or kpis.age_by_gender(period=period)
    table = Table(
        "age-gender",
        _("Callers by age and gender"),
        [_("Age"), *[label for _code, label in cross.columns]],
        note=_(
            "Groups of fewer than 5 are shown as <5, with a second cell hidden where totals would reveal them."
        ),
    )
    for code, label in cross.rows:
        table.rows.append([label, *[shown_cell(cell) for cell in cross.row_cells(code)]])
    return table


def caller_type_table(period: Period) -> Table:
    table = Table("caller-type", _("Callers by type"), [_("Caller"), _("Inquiries")])
    for label, cell in kpis.caller_types(period=period):
        table.rows.append([label, shown_cell(cell)])
    return table


# Every table that downloads as CSV, by its slug.
TABLES: dict[str, Callable[[Period], Table]] = {
    **{f"fcr-{by}": (lambda period, by=by: fcr_table(period, by)) for by in kpis.BREAKDOWNS},
    **{
        f"volume-{by}": (lambda period, by=by: volume_table(period, by))
        for by in ("month", "channel", "language", "kind", "category")
    },
    "volume-day": daily_table,
    "hour-weekday": heat_map_table,
    "handling-time": handling_table,
    "time-to-answer": answer_time_table,
    "escalations": escalation_table,
    "satisfaction-surveys": satisfaction_table,
    "age-gender": age_gender_table,
    "caller-type": caller_type_table,
}
