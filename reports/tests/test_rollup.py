"""The daily rollup the dashboards read: what it counts, and that it follows every change to
the inquiries without recounting days that did not change."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from inquiries.models import Inquiry, Outcome
from inquiries.tests.factories import InquiryFactory
from reports import kpis
from reports.models import DailyFigures, RollupState
from reports.periods import Period
from reports.rollup import DIMENSIONS, LOOK_BEHIND, refresh

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)
FY2026 = Period.fiscal_year(2026)


def test_every_dimension_adds_up_to_the_same_total():
    for hour in (9, 10, 23):
        InquiryFactory(received_at=datetime(2026, 5, 11, hour, tzinfo=TOKYO), channel="email", age_band="30s")
    refresh()
    for dimension in DIMENSIONS:
        assert sum(DailyFigures.objects.filter(dimension=dimension).values_list("total", flat=True)) == 3


def test_a_change_to_an_old_inquiry_reaches_the_figures(leader):
    inquiry = InquiryFactory(received_at=datetime(2026, 5, 11, 10, tzinfo=TOKYO))
    refresh()
    assert kpis.first_contact_resolution(period=FY2026).rate == 1.0
    inquiry.outcome = Outcome.ESCALATED
    inquiry.save()
    refresh()
    assert kpis.first_contact_resolution(period=FY2026).rate == 0.0


def test_only_the_days_that_changed_are_recounted():
    InquiryFactory(received_at=datetime(2026, 5, 11, 10, tzinfo=TOKYO))
    InquiryFactory(received_at=datetime(2026, 6, 1, 10, tzinfo=TOKYO))
    refresh()
    Inquiry.objects.update(updated_at=timezone.now() - LOOK_BEHIND * 2)  # as a while later
    june = DailyFigures.objects.filter(day="2026-06-01").values_list("pk", flat=True)
    before = set(june)
    InquiryFactory(received_at=datetime(2026, 5, 11, 11, tzinfo=TOKYO))
    refresh()
    assert set(DailyFigures.objects.filter(day="2026-06-01").values_list("pk", flat=True)) == before
    assert DailyFigures.objects.get(day="2026-05-11", dimension="all").total == 2


def test_a_refresh_with_nothing_changed_costs_a_few_queries(django_assert_max_num_queries):
    InquiryFactory(received_at=datetime(2026, 5, 11, 10, tzinfo=TOKYO))
    refresh()
    RollupState.objects.update(refreshed_at=timezone.now() + timedelta(minutes=5))
    with django_assert_max_num_queries(6):  # state, changed days and their earlier days, savepoint
        refresh()


def test_an_inquiry_saved_while_a_refresh_ran_is_still_counted_next_time():
    refresh()
    # Saved a minute before the last refresh but (say) committed after it read the changes.
    late = InquiryFactory(received_at=datetime(2026, 5, 11, 10, tzinfo=TOKYO))
    Inquiry.objects.filter(pk=late.pk).update(
        updated_at=RollupState.objects.get().refreshed_at - timedelta(minutes=1)
    )
    refresh()
    assert kpis.volume(period=FY2026)["total"] == 1


def test_an_inquiry_moved_to_another_day_leaves_its_old_day(operator):
    from inquiries import services

    inquiry = InquiryFactory(received_at=datetime(2026, 3, 31, 23, 50, tzinfo=TOKYO), operator=operator)
    refresh()
    assert kpis.volume(period=Period.fiscal_year(2025))["total"] == 1
    services.update_inquiry(
        inquiry=inquiry,
        user=operator,
        data=services.InquiryData(fields={"received_at": datetime(2026, 4, 1, 0, 10, tzinfo=TOKYO)}),
        expected_version=None,
    )
    refresh()
    assert kpis.volume(period=Period.fiscal_year(2025))["total"] == 0
    assert kpis.volume(period=FY2026)["total"] == 1
