"""Writes of the reports app: the year's targets, and the audit of each CSV download."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from reports import audit
from reports.models import Target
from reports.periods import Period


def target_for(fiscal_year: int) -> Target:
    """The targets set for that fiscal year, or the defaults (unsaved) when none were set."""
    return Target.objects.filter(fiscal_year=fiscal_year).first() or Target(fiscal_year=fiscal_year)


@transaction.atomic
def save_target(
    *, user: User, fiscal_year: int, first_contact_resolution: Decimal, satisfaction: Decimal
) -> Target:
    target, _created = Target.objects.update_or_create(
        fiscal_year=fiscal_year,
        defaults={
            "first_contact_resolution": first_contact_resolution,
            "satisfaction": satisfaction,
            "updated_by": user,
        },
    )
    return target


@transaction.atomic
def record_table_export(*, user: User, slug: str, period: Period) -> None:
    """Audit a dashboard table downloaded as CSV: which table, which days. Filed under the
    person who downloaded it, like an inquiries export (a table has no single object)."""
    record_event(
        actor=user,
        action=audit.TABLE_EXPORTED,
        target=user,
        note=f"{slug} {period.first.isoformat()}..{period.last.isoformat()}",
    )
