"""The supervisors' dashboards under /reports/: the headline figures, first-contact
resolution in detail, volume and staffing, who calls; each table also as CSV; the year's targets.

Views only render: the figures come from reports.kpis through reports.tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from contactcenter.lib.spreadsheet import csv_response
from reports import kpis, tables
from reports.charts import bar_chart, heat_level
from reports.forms import TargetForm
from reports.models import Target
from reports.periods import Period, PeriodForm, fiscal_year_of
from reports.services import record_table_export, save_target, target_for
from reports.views.common import report_period

VIEW = "reports.view_reports"


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    earlier: str
    target: str
    detail: str
    below_target: bool = False


def _period(request: HttpRequest) -> tuple[Period, PeriodForm]:
    return report_period(request)


def _context(request: HttpRequest, section: str, **extra: object) -> dict[str, object]:
    period, form = _period(request)
    return {
        "period": period,
        "period_form": form,
        "section": section,
        "earlier": period.a_year_earlier(),
        **extra,
    }


@login_required
@permission_required(VIEW, raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    """The two numbers the city judges the centre by, and the volume behind them."""
    context = _context(request, "overview")
    period: Period = context["period"]
    earlier: Period = context["earlier"]
    target = target_for(fiscal_year_of(period.first))
    by_month = kpis.first_contact_resolution_by(period=period, by="month")
    satisfaction = kpis.satisfaction(period=period)
    fcr_chart = bar_chart(
        _("First-contact resolution by month"),
        [
            (row.label, None if row.fcr.rate is None else row.fcr.rate * 100, tables.percent(row.fcr.rate))
            for row in by_month
        ],
        maximum=100,
        target=float(target.first_contact_resolution),
        target_label=_("Target %(value)s %%") % {"value": target.first_contact_resolution},
        tick_format="{:.0f} %",
    )
    score_chart = bar_chart(
        _("Satisfaction scores"),
        [
            (str(score), float(number), tables.count(number))
            for score, number in satisfaction.distribution.items()
        ],
        tick_format="{:.0f}",
    )
    fcr = kpis.first_contact_resolution(period=period)
    fcr_earlier = kpis.first_contact_resolution(period=earlier)
    satisfaction_earlier = kpis.satisfaction(period=earlier)
    volume = kpis.volume(period=period)
    volume_earlier = kpis.volume(period=earlier)
    share_out_of_hours = volume["out_of_hours"] / volume["total"] if volume["total"] else None
    earlier_out_of_hours = (
        volume_earlier["out_of_hours"] / volume_earlier["total"] if volume_earlier["total"] else None
    )
    context.update(
        headlines=[
            Headline(
                _("First-contact resolution"),
                tables.percent(fcr.rate),
                tables.percent(fcr_earlier.rate),
                _("Target %(value)s %%") % {"value": target.first_contact_resolution},
                _("%(resolved)s of %(counted)s resolved by the centre; %(open)s still open")
                % {
                    "resolved": tables.count(fcr.resolved),
                    "counted": tables.count(fcr.counted),
                    "open": tables.count(fcr.still_open),
                },
                below_target=fcr.rate is not None and fcr.rate * 100 < target.first_contact_resolution,
            ),
            Headline(
                _("Satisfaction"),
                tables.average_score(satisfaction.average),
                tables.average_score(satisfaction_earlier.average),
                _("Target %(value)s") % {"value": target.satisfaction},
                _("%(answers)s answers, %(declined)s declined")
                % {
                    "answers": tables.count(satisfaction.answers),
                    "declined": tables.count(satisfaction.declined),
                },
                below_target=satisfaction.average is not None and satisfaction.average < target.satisfaction,
            ),
            Headline(
                _("Inquiries"),
                tables.count(volume["total"]),
                tables.count(volume_earlier["total"]),
                "",
                _("%(abandoned)s calls with no inquiry (not counted for first-contact resolution)")
                % {"abandoned": tables.count(volume["abandoned"])},
            ),
            Headline(
                _("Out of hours"),
                tables.percent(share_out_of_hours),
                tables.percent(earlier_out_of_hours),
                "",
                _("%(count)s received while the centre was closed")
                % {"count": tables.count(volume["out_of_hours"])},
            ),
        ],
        fcr_chart=fcr_chart,
        score_chart=score_chart,
        tables=[tables.satisfaction_table(period), tables.escalation_table(period)],
    )
    return render(request, "reports/overview.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def first_contact_resolution(request: HttpRequest) -> HttpResponse:
    context = _context(request, "fcr")
    period: Period = context["period"]
    context["tables"] = [tables.fcr_table(period, by) for by in kpis.BREAKDOWNS]
    return render(request, "reports/tables.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def volume(request: HttpRequest) -> HttpResponse:
    context = _context(request, "volume")
    period: Period = context["period"]
    days = kpis.volume_by_day(period=period)
    heat = kpis.hour_by_weekday(period=period)
    heat_table = tables.heat_map_table(period, heat)
    context.update(
        day_chart=bar_chart(
            _("Inquiries per day"),
            [(f"{day:%m-%d}", float(number), tables.count(number)) for day, number in days],
        ),
        heat_table=heat_table,
        heat_rows=[
            (
                row[0],
                [
                    (shown, heat_level(value, heat.peak))
                    for shown, value in zip(row[1:], heat.row(weekday), strict=True)
                ],
            )
            for weekday, row in enumerate(heat_table.rows, start=1)
        ],
        tables=[
            tables.volume_table(period, "month"),
            tables.volume_table(period, "channel"),
            tables.volume_table(period, "language"),
            tables.volume_table(period, "kind"),
            tables.volume_table(period, "category"),
            tables.handling_table(period),
            tables.answer_time_table(period),
        ],
        daily=tables.daily_table(period) if len(days) else None,
    )
    return render(request, "reports/volume.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def callers(request: HttpRequest) -> HttpResponse:
    context = _context(request, "callers")
    period: Period = context["period"]
    context["tables"] = [tables.age_gender_table(period), tables.caller_type_table(period)]
    return render(request, "reports/tables.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Any dashboard table as CSV, for the period the page showed."""
    build = tables.TABLES.get(slug)
    if build is None:
        raise Http404
    period, _form = _period(request)
    table = build(period)
    record_table_export(user=request.user, slug=slug, period=period)
    return csv_response(
        f"{slug}_{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv", table.columns, table.rows, streamed=True
    )


@login_required
@permission_required("reports.view_target", raise_exception=True)
def targets(request: HttpRequest) -> HttpResponse:
    """The targets per fiscal year; supervisors set them."""
    can_change = request.user.has_perms(["reports.add_target", "reports.change_target"])
    form = TargetForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            save_target(user=request.user, **form.cleaned_data)
            messages.success(request, _("Targets saved."))
            return redirect("reports:targets")
    return render(
        request,
        "reports/targets.html",
        {"targets": Target.objects.select_related("updated_by"), "form": form, "section": "targets"},
    )
