"""What every report page does first: bring the rollup up to date and read the period."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from reports import rollup
from reports.periods import Period, PeriodForm


def report_period(request: HttpRequest, *, warn: bool = True) -> tuple[Period, PeriodForm]:
    """The period asked for (or the default, with a message saying why when `warn`), after the
    days changed since the last page were recounted (usually today only)."""
    rollup.refresh()
    form = PeriodForm(request.GET)
    period = form.period()
    if warn:
        for problem in form.problems():
            messages.warning(
                request,
                _("%(problem)s Showing %(period)s instead.") % {"problem": problem, "period": period.name},
            )
    return period, form
