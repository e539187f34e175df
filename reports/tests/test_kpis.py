"""Each figure on hand-built inquiries whose right answer is known, including the edges of
periods in Asia/Tokyo and small groups that must not single anyone out."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from inquiries.models import Escalation, Inquiry, InquiryStatus, Outcome, Reply
from inquiries.tests.factories import InquiryFactory, SurveyPeriodFactory
from reports import kpis
from reports.periods import Period
from reports.rollup import refresh

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)
FY2025 = Period.fiscal_year(2025)
FY2026 = Period.fiscal_year(2026)


def at(*args):
    return datetime(*args, tzinfo=TOKYO)


def inquiry(**fields):
    return InquiryFactory(**fields)


class TestFirstContactResolution:
    def test_the_last_minute_of_march_belongs_to_the_old_fiscal_year(self):
        inquiry(received_at=at(2026, 3, 31, 23, 59))
        inquiry(received_at=at(2026, 4, 1, 0, 0), outcome=Outcome.ESCALATED, status=InquiryStatus.WAITING)
        refresh()
        assert kpis.first_contact_resolution(period=FY2025).resolved == 1
        assert kpis.first_contact_resolution(period=FY2025).passed_on == 0
        assert kpis.first_contact_resolution(period=FY2026).passed_on == 1

    def test_resolved_over_resolved_and_passed_on_with_open_and_abandoned_apart(self):
        day = at(2026, 5, 1, 10)
        for _ in range(7):
            inquiry(received_at=day)
        inquiry(received_at=day, outcome=Outcome.TRANSFERRED)
        inquiry(received_at=day, outcome=Outcome.ABANDONED)
        inquiry(received_at=day, outcome="", status=InquiryStatus.OPEN)
        refresh()
        fcr = kpis.first_contact_resolution(period=FY2026)
        assert (fcr.resolved, fcr.passed_on, fcr.still_open, fcr.rate) == (7, 1, 1, 0.875)
        assert fcr == Inquiry.objects.received_between(FY2026.start, FY2026.end).first_contact_resolution()

    def test_by_month_and_by_channel(self):
        inquiry(received_at=at(2026, 4, 30, 23, 59))
        inquiry(
            received_at=at(2026, 5, 1, 0, 0), channel="email", outcome=Outcome.ESCALATED, status="waiting"
        )
        refresh()
        months = kpis.first_contact_resolution_by(period=FY2026, by="month")
        assert [(row.key, row.fcr.resolved, row.fcr.passed_on) for row in months] == [
            (date(2026, 4, 1), 1, 0),
            (date(2026, 5, 1), 0, 1),
        ]
        channels = {
            row.key: row.fcr.rate for row in kpis.first_contact_resolution_by(period=FY2026, by="channel")
        }
        assert channels == {"phone": 1.0, "email": 0.0}

    def test_an_unknown_breakdown_is_refused(self):
        with pytest.raises(ValueError):
            refresh()
            kpis.first_contact_resolution_by(period=FY2026, by="colour")


class TestSatisfaction:
    def test_average_answers_declines_and_distribution(self):
        day = at(2026, 6, 2, 11)
        for score in (5, 5, 4, 3):
            inquiry(received_at=day, satisfaction=score)
        inquiry(received_at=day, survey_declined=True)
        inquiry(received_at=day)
        refresh()
        figures = kpis.satisfaction(period=FY2026)
        assert figures.average == pytest.approx(4.25)
        assert (figures.answers, figures.declined, figures.asked) == (4, 1, 5)
        assert figures.distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 2}

    def test_each_survey_period_has_its_own_figures(self):
        first = SurveyPeriodFactory(first_day=date(2026, 6, 1), last_day=date(2026, 6, 7))
        SurveyPeriodFactory(first_day=date(2026, 10, 1), last_day=date(2026, 10, 7))
        inquiry(received_at=at(2026, 6, 7, 23, 59), satisfaction=2)
        inquiry(received_at=at(2026, 6, 8, 0, 0), satisfaction=5)  # the day after
        refresh()
        results = kpis.satisfaction_by_survey(period=FY2026)
        assert results[0].survey == first
        assert (results[0].satisfaction.average, results[0].satisfaction.answers) == (2.0, 1)
        assert results[1].satisfaction.answers == 0


class TestVolume:
    def test_hours_by_weekday_keep_holidays_apart(self):
        inquiry(received_at=at(2026, 5, 11, 10, 15))  # a Monday
        inquiry(received_at=at(2026, 5, 4, 10, 15))  # Greenery Day, a Monday
        inquiry(received_at=at(2026, 12, 30, 9, 0))  # year-end closure, a Wednesday
        refresh()
        heat = kpis.hour_by_weekday(period=FY2026)
        assert heat.cells == {(1, 10): 1, (kpis.HOLIDAY_ROW, 10): 1, (kpis.HOLIDAY_ROW, 9): 1}

    def test_out_of_hours_and_abandoned_calls_are_counted(self):
        inquiry(received_at=at(2026, 5, 11, 22, 0))
        inquiry(received_at=at(2026, 5, 11, 10, 0), outcome=Outcome.ABANDONED)
        refresh()
        assert kpis.volume(period=FY2026) == {"total": 2, "out_of_hours": 1, "abandoned": 1}

    def test_handling_time_of_calls_by_kind(self):
        start = at(2026, 5, 11, 10, 0)
        inquiry(received_at=start, ended_at=start + timedelta(minutes=4))
        inquiry(received_at=start, ended_at=start + timedelta(minutes=6))
        inquiry(received_at=start, ended_at=start + timedelta(hours=3), channel="email")  # not a call
        refresh()
        (question,) = kpis.handling_time_by_kind(period=FY2026)
        assert (question.key, question.average, question.count) == ("question", timedelta(minutes=5), 2)

    def test_time_to_answer_is_to_the_first_reply(self, operator):
        received = at(2026, 5, 11, 10, 0)
        mail = inquiry(received_at=received, channel="email")
        Reply.objects.create(
            inquiry=mail, channel="email", body="a", sent_by=operator, sent_at=received + timedelta(hours=2)
        )
        Reply.objects.create(
            inquiry=mail, channel="email", body="b", sent_by=operator, sent_at=received + timedelta(days=2)
        )
        inquiry(received_at=received, channel="fax")  # no reply yet: not averaged
        refresh()
        (email,) = kpis.time_to_answer_by_channel(period=FY2026)
        assert (email.key, email.average, email.count) == ("email", timedelta(hours=2), 1)

    def test_escalations_open_and_overdue_per_department(self, department, other_department, operator):
        waiting = inquiry(received_at=at(2026, 5, 11, 10), outcome=Outcome.ESCALATED, status="waiting")
        for department_, reply_by in ((department, date(2026, 5, 1)), (department, date(2026, 12, 1))):
            Escalation.objects.create(
                inquiry=waiting,
                department=department_,
                reason="r",
                reply_by=reply_by,
                created_by=operator,
                created_at=at(2026, 4, 20, 10),
            )
        refresh()
        rows = kpis.escalations_by_department(period=FY2026, today=date(2026, 11, 30))
        assert [(row.department, row.received, row.open, row.overdue) for row in rows] == [
            (department, 2, 2, 1)
        ]


class TestWhoCalls:
    def test_a_small_cell_is_hidden_with_a_second_one_in_its_row_and_column(self):
        grid = {("a", "x"): 3, ("a", "y"): 20, ("a", "z"): 30, ("b", "x"): 10, ("b", "y"): 40, ("b", "z"): 50}
        cells = kpis.suppress(grid, ["a", "b"], ["x", "y", "z"])
        hidden = {key for key, cell in cells.items() if cell.suppressed}
        # 3 is small; 20 hides with it in row a, 10 in column x; then 40 in row b and column y.
        assert ("a", "x") in hidden and ("a", "y") in hidden and ("b", "x") in hidden
        for line in (["a", "b"],):
            for column in ("x", "y", "z"):
                assert sum((row, column) in hidden for row in line) != 1
        for row in ("a", "b"):
            assert sum((row, column) in hidden for column in ("x", "y", "z")) != 1

    def test_a_lone_small_cell_beside_zeros_hides_a_zero_too(self):
        cells = kpis.suppress({("a", "x"): 2}, ["a"], ["x", "y"])
        assert cells[("a", "x")].suppressed and cells[("a", "y")].suppressed

    def test_no_cell_is_hidden_when_every_group_is_large(self):
        cells = kpis.suppress({("a", "x"): 5, ("a", "y"): 9}, ["a"], ["x", "y"])
        assert [cell.count for cell in cells.values()] == [5, 9]

    def test_age_by_gender_hides_small_groups(self):
        day = at(2026, 5, 11, 10)
        for _ in range(6):
            inquiry(received_at=day, age_band="70s", gender="female")
        for _ in range(2):
            inquiry(received_at=day, age_band="70s", gender="male")
        refresh()
        cross = kpis.age_by_gender(period=FY2026)
        assert cross.total == 8
        assert cross.cells[("70s", "male")].suppressed
        assert cross.cells[("70s", "female")].suppressed  # else 8 − 6 gives the 2 away


def test_every_figure_works_on_an_empty_database():
    for name in (
        "first_contact_resolution",
        "satisfaction",
        "satisfaction_by_survey",
        "volume",
        "volume_by_day",
        "hour_by_weekday",
        "handling_time_by_kind",
        "time_to_answer_by_channel",
        "escalations_by_department",
        "age_by_gender",
        "caller_types",
    ):
        getattr(kpis, name)(period=FY2026)
    refresh()
    assert kpis.first_contact_resolution(period=FY2026).rate is None
    assert kpis.satisfaction(period=FY2026).average is None
