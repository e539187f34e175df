"""A supervisor reads the dashboards in a real browser: the headline figures, another period,
a CSV download; every report page passes the axe scan."""

from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from contactcenter.accounts.tests.factories import PASSWORD
from inquiries.tests.factories import InquiryFactory
from tests.browser.conftest import assert_accessible, log_in

TOKYO = timezone.get_fixed_timezone(9 * 60)


@pytest.fixture
def last_year_calls(db):
    for month in (4, 5, 6):
        for score in (5, 4, 5):
            InquiryFactory(received_at=datetime(2025, month, 10, 10, tzinfo=TOKYO), satisfaction=score)
        InquiryFactory(
            received_at=datetime(2025, month, 10, 11, tzinfo=TOKYO), outcome="escalated", status="waiting"
        )


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_switches_the_period_and_downloads_a_table(
    page, live_server, supervisor, last_year_calls
):
    log_in(page, live_server, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    assert_accessible(page)
    page.get_by_label("年度").fill("2025")
    page.get_by_role("button", name="この年度を表示").click()
    page.wait_for_url("**/reports/?fy=2025")
    headline = page.locator(".kpi").first
    assert "75.0%" in headline.inner_text()
    assert page.locator("svg.bar-chart").first.locator("rect.bar").count() == 3  # April to June
    page.get_by_role("link", name="一次回答率", exact=True).click()
    page.wait_for_url("**/reports/first-contact-resolution/**")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="「月別の一次回答率」をCSVでダウンロード").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines()[1].startswith("2025-04,75.0%")
    for path in ("volume", "callers", "targets"):
        page.goto(f"{live_server.url}/reports/{path}/?fy=2025")
        assert_accessible(page)
