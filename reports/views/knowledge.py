"""The knowledge section of the reports (/reports/knowledge/): which Q&As help, which do not,
what was asked and not found, and which Q&As are due for review; each table also as CSV."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from contactcenter.lib.spreadsheet import csv_response
from reports import knowledge
from reports.periods import Period, PeriodForm
from reports.views.common import report_period

# The page that drafts a Q&A, and who may use it (the same permission it requires).
DRAFT_PERMISSION = "knowledgebase.change_article"


def _period(request: HttpRequest, *, warn: bool) -> tuple[PeriodForm, Period]:
    period, form = report_period(request, warn=warn)
    return form, period


@login_required
@permission_required("reports.view_reports", raise_exception=True)
@require_GET
def knowledge_report(request: HttpRequest) -> HttpResponse:
    form, period = _period(request, warn=True)
    searches = knowledge.unanswered_searches(period=period)
    can_draft = request.user.has_perm(DRAFT_PERMISSION)
    draft_base = reverse("kb:create")
    return render(
        request,
        "reports/knowledge.html",
        {
            "form": form,
            "period": period,
            "earlier": period.a_year_earlier(),
            "a_year_earlier": period.a_year_earlier(),
            "query": period.query(),
            "most_used": knowledge.most_used_articles(period=period),
            "least_helpful": knowledge.least_helpful_articles(period=period),
            "minimum_answers": knowledge.MINIMUM_ANSWERS,
            "searches": [
                (search, f"{draft_base}?{urlencode({'question': search.example})}" if can_draft else "")
                for search in searches
            ],
            "gaps": knowledge.knowledge_gaps(period=period),
            "reviews": knowledge.reviews_due_by_department(),
            "today": timezone.localdate(),
        },
    )


@dataclass(frozen=True)
class Table:
    title: str
    header: Callable[[], Sequence[str]]
    rows: Callable[[Period], Iterable[Sequence[object]]]


def _stamp(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


TABLES: dict[str, Table] = {
    "most-used": Table(
        gettext_lazy("Q&As operators used most"),
        lambda: [_("Q&A number"), _("Question"), _("Inquiries")],
        lambda period: (
            (row.article_id, row.question, row.uses)
            for row in knowledge.most_used_articles(period=period, limit=knowledge.CSV_ROWS)
        ),
    ),
    "least-helpful": Table(
        gettext_lazy("Q&As citizens found least helpful"),
        lambda: [_("Q&A number"), _("Question"), _("Answers"), _("Helpful"), _("Helpful (%)")],
        lambda period: (
            (row.article_id, row.question, row.answers, row.helpful, f"{row.share:.1f}")
            for row in knowledge.least_helpful_articles(period=period, limit=knowledge.CSV_ROWS)
        ),
    ),
    "searches": Table(
        gettext_lazy("Searches that found nothing or led to no Q&A"),
        lambda: [
            _("Words searched"),
            _("Latest query"),
            _("Searches"),
            _("Found nothing"),
            _("Public site"),
            _("Operators"),
            _("Last searched"),
        ],
        lambda period: (
            (
                row.normalized,
                row.example,
                row.searches,
                row.found_nothing,
                row.public,
                row.operator,
                _stamp(row.last_searched),
            )
            for row in knowledge.unanswered_searches(period=period, limit=knowledge.CSV_ROWS)
        ),
    ),
    "gaps": Table(
        gettext_lazy("Inquiries answered without a Q&A"),
        lambda: [
            _("Category"),
            _("Resolved by the centre"),
            _("Without a Q&A"),
            _("Without a Q&A (%)"),
            _("Without a Q&A a year earlier"),
        ],
        lambda period: (
            (row.category, row.resolved, row.without_article, f"{row.share:.1f}", row.a_year_earlier)
            for row in knowledge.knowledge_gaps(period=period)
        ),
    ),
    "reviews": Table(
        gettext_lazy("Q&As due for review"),
        lambda: [_("Department"), _("Due for review"), _("Overdue")],
        lambda _period: ((row.name, row.due, row.overdue) for row in knowledge.reviews_due_by_department()),
    ),
}


@login_required
@permission_required("reports.view_reports", raise_exception=True)
@require_GET
def knowledge_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    _form, period = _period(request, warn=False)
    chosen = TABLES[table]
    filename = f"knowledge-{table}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"
    return csv_response(filename, chosen.header(), chosen.rows(period), streamed=True)
