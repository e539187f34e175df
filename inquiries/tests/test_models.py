"""First-contact resolution is defined once: the queryset's figure and each inquiry's own
answer agree in every case, and hours decide "out of hours"."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from inquiries.models import Inquiry, InquiryStatus, Outcome
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)


@pytest.mark.parametrize(
    ("outcome", "counts", "resolved"),
    [
        (Outcome.RESOLVED, True, True),
        (Outcome.ESCALATED, True, False),
        (Outcome.TRANSFERRED, True, False),
        (Outcome.ABANDONED, False, None),
        ("", False, None),
    ],
)
def test_the_queryset_figure_and_the_instance_agree_on_every_outcome(outcome, counts, resolved):
    inquiry = InquiryFactory(
        outcome=outcome, status=InquiryStatus.OPEN if not outcome else InquiryStatus.CLOSED
    )
    fcr = Inquiry.objects.filter(pk=inquiry.pk).first_contact_resolution()
    assert inquiry.counts_for_first_contact_resolution is counts
    assert inquiry.resolved_at_first_contact is resolved
    assert fcr.counted == (1 if counts else 0)
    assert fcr.resolved == (1 if resolved else 0)
    assert fcr.still_open == (1 if outcome == "" else 0)


def test_first_contact_resolution_leaves_out_abandoned_calls_and_counts_open_ones_apart():
    for outcome in [Outcome.RESOLVED] * 7 + [Outcome.ESCALATED, Outcome.TRANSFERRED, Outcome.ABANDONED]:
        InquiryFactory(outcome=outcome)
    InquiryFactory(outcome="", status=InquiryStatus.OPEN)
    fcr = Inquiry.objects.first_contact_resolution()
    assert (fcr.resolved, fcr.passed_on, fcr.still_open) == (7, 2, 1)
    assert fcr.rate == pytest.approx(7 / 9)


def test_an_empty_period_has_no_rate_rather_than_zero():
    assert Inquiry.objects.none().first_contact_resolution().rate is None
    assert Inquiry.objects.first_contact_resolution().rate is None


def test_periods_are_half_open_in_tokyo_time():
    last_of_march = InquiryFactory(received_at=datetime(2027, 3, 31, 23, 59, 59, tzinfo=TOKYO))
    first_of_april = InquiryFactory(received_at=datetime(2027, 4, 1, 0, 0, tzinfo=TOKYO))
    april = datetime(2027, 4, 1, tzinfo=TOKYO)
    old_year = Inquiry.objects.received_between(datetime(2026, 4, 1, tzinfo=TOKYO), april)
    new_year = Inquiry.objects.received_between(april, datetime(2028, 4, 1, tzinfo=TOKYO))
    assert list(old_year) == [last_of_march] and list(new_year) == [first_of_april]


@pytest.mark.parametrize(
    ("hour", "minute", "out_of_hours"), [(7, 59, True), (8, 0, False), (20, 59, False), (21, 0, True)]
)
def test_out_of_hours_is_derived_from_the_centres_hours_on_save(settings, hour, minute, out_of_hours):
    settings.CENTRE_OPENS, settings.CENTRE_CLOSES = "08:00", "21:00"
    inquiry = InquiryFactory(received_at=datetime(2026, 12, 1, hour, minute, tzinfo=TOKYO))
    assert Inquiry.objects.get(pk=inquiry.pk).out_of_hours is out_of_hours


def test_a_closed_day_is_out_of_hours_all_day(settings):
    settings.CENTRE_CLOSED_DAYS = ["01-01"]
    inquiry = InquiryFactory(received_at=datetime(2027, 1, 1, 12, 0, tzinfo=TOKYO))
    assert inquiry.out_of_hours


def test_handling_time_is_for_calls_and_visits_only():
    start = datetime(2026, 12, 1, 10, 0, tzinfo=TOKYO)
    call = InquiryFactory(received_at=start, ended_at=datetime(2026, 12, 1, 10, 4, 30, tzinfo=TOKYO))
    mail = InquiryFactory(received_at=start, ended_at=start, channel="email")
    assert call.handling_time.total_seconds() == 270
    assert mail.handling_time is None


def test_centre_days_include_the_last_minute_of_the_last_day_and_not_the_next_midnight():
    before = InquiryFactory(received_at=datetime(2027, 3, 31, 23, 59, 59, tzinfo=TOKYO))
    first = InquiryFactory(received_at=datetime(2027, 4, 1, 0, 0, tzinfo=TOKYO))
    last = InquiryFactory(received_at=datetime(2027, 4, 2, 23, 59, 59, tzinfo=TOKYO))
    InquiryFactory(received_at=datetime(2027, 4, 3, 0, 0, tzinfo=TOKYO))
    received = Inquiry.objects.received_on(date(2027, 4, 1), date(2027, 4, 2))
    assert set(received) == {first, last}
    assert before not in Inquiry.objects.received_on(date(2027, 4, 1), date(2027, 4, 1))


@pytest.mark.parametrize(
    ("callback", "status", "open_callback"),
    [
        (True, InquiryStatus.OPEN, True),
        (True, InquiryStatus.WAITING, True),
        (True, InquiryStatus.CLOSED, False),
        (False, InquiryStatus.OPEN, False),
        (False, InquiryStatus.WAITING, False),
    ],
)
def test_the_queryset_and_the_instance_agree_on_an_open_callback(callback, status, open_callback):
    inquiry = InquiryFactory(callback_needed=callback, status=status)
    assert inquiry.has_open_callback() is open_callback
    assert Inquiry.objects.open_callbacks().filter(pk=inquiry.pk).exists() is open_callback


def test_handled_by_is_taken_by_or_assigned_to_the_person(operator, leader):
    taken = InquiryFactory(operator=operator)
    assigned = InquiryFactory(operator=leader, assigned_to=operator)
    InquiryFactory(operator=leader)
    assert set(Inquiry.objects.handled_by(operator)) == {taken, assigned}
