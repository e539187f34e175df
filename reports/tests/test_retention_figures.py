"""Erasing callers' personal data after the retention period changes no figure: every dashboard
function and every table, computed before and after `purge_personal_data`, are equal."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from contactcenter.accounts.tests.factories import DepartmentFactory
from inquiries.models import (
    AgeBand,
    CallerContact,
    CallerType,
    Channel,
    Escalation,
    EscalationStatus,
    Gender,
    Inquiry,
    InquiryStatus,
    Kind,
    Outcome,
    Reply,
)
from inquiries.tests.factories import CallerContactFactory, InquiryFactory, SurveyPeriodFactory
from reports import kpis
from reports.periods import Period
from reports.rollup import refresh
from reports.tables import TABLES

pytestmark = pytest.mark.django_db


def figures(period: Period) -> dict[str, object]:
    """Everything the dashboards show for the period (the tables hold every KPI function's
    result as shown, the raw results add what rounding could hide)."""
    today = timezone.localdate()
    return {
        **{slug: table(period) for slug, table in TABLES.items()},
        "fcr": kpis.first_contact_resolution(period=period),
        "fcr_by": {by: kpis.first_contact_resolution_by(period=period, by=by) for by in kpis.BREAKDOWNS},
        "satisfaction": kpis.satisfaction(period=period),
        "surveys": kpis.satisfaction_by_survey(period=period),
        "volume": kpis.volume(period=period),
        "volume_by_day": kpis.volume_by_day(period=period),
        "heat": kpis.hour_by_weekday(period=period),
        "handling": kpis.handling_time_by_kind(period=period),
        "answer": kpis.time_to_answer_by_channel(period=period),
        "escalations": kpis.escalations_by_department(period=period, today=today),
        "age_gender": kpis.age_by_gender(period=period),
        "caller_types": kpis.caller_types(period=period),
    }


@pytest.fixture
def centre_history(operator, leader, department):
    """Two years of varied inquiries: old closed ones with everything personal, old open ones,
    recent ones; phone and written; resolved, escalated, abandoned; scored and not."""
    other = DepartmentFactory(code="doboku", name="道路課")
    now = timezone.now()
    channels = [Channel.PHONE, Channel.EMAIL, Channel.FAX, Channel.WEB, Channel.LETTER, Channel.VISIT]
    outcomes = [Outcome.RESOLVED, Outcome.ESCALATED, Outcome.TRANSFERRED, Outcome.ABANDONED, Outcome.RESOLVED]
    SurveyPeriodFactory(
        first_day=(now - timedelta(days=500)).date(), last_day=(now - timedelta(days=420)).date()
    )
    for number in range(60):
        received = now - timedelta(days=700 - number * 11, hours=number % 9)
        channel = channels[number % len(channels)]
        status = InquiryStatus.OPEN if number % 7 == 0 else InquiryStatus.CLOSED
        inquiry = InquiryFactory(
            received_at=received,
            ended_at=received + timedelta(minutes=3 + number % 11),
            channel=channel,
            kind=list(Kind)[number % len(Kind)],
            outcome="" if status == InquiryStatus.OPEN else outcomes[number % len(outcomes)],
            status=status,
            operator=operator if number % 2 else leader,
            satisfaction=(number % 5) + 1 if number % 3 == 0 else None,
            survey_declined=number % 3 == 1,
            age_band=list(AgeBand)[number % len(AgeBand)],
            gender=list(Gender)[number % len(Gender)],
            caller_type=list(CallerType)[number % len(CallerType)],
            summary=f"質問 {number}",
        )
        if number % 2 == 0:
            CallerContactFactory(inquiry=inquiry)
        if inquiry.is_written():
            Reply.objects.create(
                inquiry=inquiry,
                channel=Reply.Channel.LETTER,
                to="札幌市中央区",
                body="回答です",
                sent_by=operator,
                sent_at=received + timedelta(hours=5 + number),
            )
        if inquiry.outcome == Outcome.ESCALATED:
            Escalation.objects.create(
                inquiry=inquiry,
                department=department if number % 2 else other,
                reason="担当課の判断が必要",
                reply_by=(received + timedelta(days=7)).date(),
                created_by=leader,
                created_at=received + timedelta(minutes=30),
                status=EscalationStatus.WAITING if number % 4 == 0 else EscalationStatus.DONE,
                contact_shared_at=received + timedelta(hours=1),
                contact_shared_by=leader,
            )
        # Closed and untouched since about when received: old ones fall past retention.
        Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=received + timedelta(days=2))
        CallerContact.objects.filter(inquiry=inquiry).update(updated_at=received + timedelta(days=1))
    return Period((now - timedelta(days=800)).date(), timezone.localdate(), "two years")


def test_every_figure_is_the_same_after_the_purge(centre_history):
    period = centre_history
    refresh(everything=True)
    before = figures(period)
    assert before["volume"]["total"] == 60 and before["answer"]

    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert CallerContact.objects.count() < 30  # something was erased
    assert Reply.objects.filter(body="").exists()

    refresh()
    assert figures(period) == before
    refresh(everything=True)
    assert figures(period) == before
