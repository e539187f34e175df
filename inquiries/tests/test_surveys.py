"""Survey periods: supervisors set them; everyone who takes calls can see them."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for
from inquiries.models import SurveyPeriod
from inquiries.tests.factories import InquiryFactory, SurveyPeriodFactory

pytestmark = pytest.mark.django_db

SURVEYS = reverse("inquiries:surveys")


def test_a_supervisor_adds_a_period_and_is_its_creator(supervisor):
    response = client_for(supervisor).post(
        SURVEYS, {"name": "2027年春の調査", "first_day": "2027-05-10", "last_day": "2027-05-16"}
    )
    assert response.status_code == 302 and response["Location"] == SURVEYS
    period = SurveyPeriod.objects.get()
    assert (period.first_day, period.last_day, period.created_by) == (
        date(2027, 5, 10),
        date(2027, 5, 16),
        supervisor,
    )


def test_a_last_day_before_the_first_is_refused_with_what_was_typed(supervisor):
    response = client_for(supervisor).post(
        SURVEYS, {"name": "逆順の調査", "first_day": "2027-05-16", "last_day": "2027-05-10"}
    )
    assert response.status_code == 200
    assert "last_day" in response.context["form"].errors
    assert "逆順の調査" in response.content.decode()
    assert not SurveyPeriod.objects.exists()


def test_a_supervisor_changes_and_deletes_a_period_and_scores_stay(supervisor):
    period = SurveyPeriodFactory(name="秋の調査")
    scored = InquiryFactory(satisfaction=5)
    client = client_for(supervisor)
    client.post(
        reverse("inquiries:survey_edit", args=[period.pk]),
        {"name": "秋の満足度調査", "first_day": period.first_day, "last_day": period.last_day},
    )
    assert SurveyPeriod.objects.get().name == "秋の満足度調査"
    assert client.get(reverse("inquiries:survey_delete", args=[period.pk])).status_code == 405
    client.post(reverse("inquiries:survey_delete", args=[period.pk]))
    assert not SurveyPeriod.objects.exists()
    scored.refresh_from_db()
    assert scored.satisfaction == 5


def test_an_operator_sees_the_periods_and_which_runs_today_but_no_form(operator):
    SurveyPeriodFactory(name="今週の調査")
    response = client_for(operator).get(SURVEYS, headers={"accept-language": "en"})
    page = response.content.decode()
    assert "今週の調査" in page and "running today" in page
    assert response.context["form"] is None and '<form method="post"' not in page.split("<main")[1]
