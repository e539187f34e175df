"""The dashboards as leaders and supervisors use them: who may open them, the figures as shown,
bad periods, CSV downloads, targets, and bounded queries."""

import csv
import io
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, visible_text
from inquiries.models import Inquiry, Outcome
from inquiries.tests.factories import InquiryFactory
from reports.models import RollupState, Target
from reports.rollup import LOOK_BEHIND, refresh
from reports.tables import TABLES

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)
PERSONAS = ["operator", "leader", "supervisor", "department_editor", "administrator"]
FY = "fy=2026"


def readers(status=200):
    return {
        "operator": 403,
        "leader": status,
        "supervisor": status,
        "department_editor": 403,
        "administrator": 403,
    }


PAGES = [
    ("reports:overview", (), readers()),
    ("reports:fcr", (), readers()),
    ("reports:volume", (), readers()),
    ("reports:callers", (), readers()),
    ("reports:targets", (), readers()),
    *[("reports:csv", (slug,), readers()) for slug in TABLES],
]


@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[f"{n} {a}" for n, a, _e in PAGES])
def test_only_leaders_and_supervisors_open_the_reports(request, name, args, expected):
    url = reverse(name, args=args) + "?" + FY
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    for persona, status in expected.items():
        assert client_for(request.getfixturevalue(persona)).get(url).status_code == status, persona


def test_only_supervisors_set_targets(leader, supervisor):
    form = {"fiscal_year": "2026", "first_contact_resolution": "90.0", "satisfaction": "4.60"}
    assert client_for(leader).post(reverse("reports:targets"), form).status_code == 404
    assert client_for(supervisor).post(reverse("reports:targets"), form).status_code == 302
    target = Target.objects.get()
    assert (str(target.first_contact_resolution), str(target.satisfaction), target.updated_by) == (
        "90.0",
        "4.60",
        supervisor,
    )


def test_a_target_out_of_range_is_refused_with_a_message(supervisor):
    response = client_for(supervisor).post(
        reverse("reports:targets"),
        {"fiscal_year": "2026", "first_contact_resolution": "120", "satisfaction": "4.7"},
    )
    assert response.status_code == 200
    assert not Target.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode() or "errors" in response.content.decode()


def settled():
    """The rollup up to date, and the changes older than its look-behind (as a while later)."""
    Inquiry.objects.update(updated_at=timezone.now() - LOOK_BEHIND * 2)
    RollupState.objects.all().delete()
    refresh()


def seven_of_eight():
    day = datetime(2026, 5, 11, 10, tzinfo=TOKYO)
    for score in (5, 5, 4, 5, 4, 5, 5):
        InquiryFactory(received_at=day, satisfaction=score)
    InquiryFactory(received_at=day, outcome=Outcome.ESCALATED, status="waiting")


def test_the_overview_shows_the_rate_with_one_decimal_and_the_average_with_two(leader):
    seven_of_eight()
    Target.objects.create(fiscal_year=2026, first_contact_resolution="92.0", satisfaction="4.70")
    text = visible_text(client_for(leader).get(reverse("reports:overview") + "?" + FY).content.decode())
    assert "87.5 %" in text
    assert "4.71" in text
    assert "92.0" in text


def test_a_bad_period_shows_the_fiscal_year_to_date_with_a_message(leader):
    response = client_for(leader).get(reverse("reports:overview") + "?start=2026-06-30&end=2026-04-01")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "2026-04-01" in text and timezone.localdate().isoformat() in text
    assert any(message.level_tag == "warning" for message in response.context["messages"])


def test_a_table_downloads_as_csv_for_the_period_shown(leader):
    seven_of_eight()
    response = client_for(leader).get(reverse("reports:csv", args=["fcr-channel"]) + "?" + FY)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert response["Content-Disposition"].startswith('attachment; filename="fcr-channel_20260401-')
    assert len(rows) == 2
    assert rows[1][1] in ("87.5 %", "87.5%")


def test_every_page_shows_empty_states_on_an_empty_database(supervisor):
    client = client_for(supervisor)
    for name in ("reports:overview", "reports:fcr", "reports:volume", "reports:callers", "reports:targets"):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["reports:overview", "reports:fcr", "reports:volume", "reports:callers"])
def test_queries_per_page_are_bounded_however_many_inquiries(leader, name, django_assert_max_num_queries):
    """The page's own queries, with the rollup brought up to date first (its refresh costs a
    fixed number of aggregates, plus one insert per few hundred rollup rows)."""
    client = client_for(leader)
    url = reverse(name) + "?" + FY
    client.get(url)  # sessions and permissions warmed as on a real page
    seven_of_eight()
    settled()
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for month in range(4, 10):
        for channel in ("email", "fax", "phone"):
            InquiryFactory(received_at=datetime(2026, month, 3, 9, tzinfo=TOKYO), channel=channel)
    settled()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_charts_have_no_inline_style(leader):
    seven_of_eight()
    for name in ("reports:overview", "reports:volume"):
        page = client_for(leader).get(reverse(name) + "?" + FY).content.decode()
        assert "<svg" in page
        assert "style=" not in page
        assert "<script" not in page.split("<main", 1)[1]
