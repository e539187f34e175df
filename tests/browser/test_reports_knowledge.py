"""The knowledge report and the open-data page in a real browser: axe scans, a CSV download, and
the public table readable on a phone without scrolling sideways."""

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from contactcenter.accounts.tests.factories import PASSWORD, DepartmentFactory
from inquiries.tests.factories import InquiryArticleFactory, InquiryFactory
from knowledgebase.models import Feedback, SearchLog
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory
from reports.opendata import rebuild_open_data
from tests.browser.conftest import assert_accessible, log_in

TOKYO = timezone.get_fixed_timezone(9 * 60)


def _knowledge_data():
    now = timezone.now()
    department = DepartmentFactory(code="gomi", name="ごみ減量推進課")
    article = ArticleFactory(
        question="粗大ごみの出し方を教えてください", department=department, next_review=timezone.localdate()
    )
    category = CategoryFactory(name="ごみ", name_en="Waste")
    for _ in range(3):
        InquiryArticleFactory(article=article, inquiry=InquiryFactory(received_at=now, category=category))
        InquiryFactory(received_at=now, category=category)
    for helpful in (True, False, False, False, False):
        Feedback.objects.create(article=article, helpful=helpful, language="ja", created_at=now)
    SearchLog.objects.create(
        query="粗大ゴミの回収日",
        normalized="ごみ 回収 日 粗大",
        language="ja",
        channel="public",
        result_count=0,
    )


def _open_data():
    waste = CategoryFactory(name="ごみ・リサイクル", name_en="Waste and recycling")
    family = CategoryFactory(name="戸籍・住民票", name_en="Family register and residence")
    start = datetime(timezone.localdate().year - 1, 1, 10, 10, tzinfo=TOKYO)
    for month in range(14):
        at = start + timedelta(days=31 * month)
        for _ in range(6):
            InquiryFactory(received_at=at, category=waste)
        for _ in range(month % 4):
            InquiryFactory(received_at=at, category=family)
    rebuild_open_data()


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_knowledge_report_switches_the_period_and_downloads_a_table(
    page, live_server, supervisor
):
    _knowledge_data()
    log_in(page, live_server, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/knowledge/")
    assert page.get_by_role("heading", level=1).inner_text() == "報告"
    assert page.locator(".report-nav [aria-current=page]").inner_text() == "ナレッジ"
    assert page.get_by_text("粗大ごみの出し方を教えてください").first.is_visible()
    assert page.get_by_role("link", name="Q&Aの下書きを作る").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="先月", exact=True).click()
    page.wait_for_url(re.compile(r"preset=last_month"))
    assert_accessible(page)

    page.goto(f"{live_server.url}/reports/knowledge/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"CSVでダウンロード.*オペレーターがよく使ったQ&A")).click()
    assert download.value.suggested_filename.startswith("knowledge-most-used-")
    assert "粗大ごみの出し方を教えてください" in Path(download.value.path()).read_text(encoding="utf-8-sig")

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_open_data_page_is_accessible_and_fits_a_phone(page, live_server, prefix):
    _open_data()
    page.goto(f"{live_server.url}{prefix}/open-data/")
    assert page.get_by_role("table").is_visible()
    assert page.get_by_role("link", name="CC BY 4.0").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_open_data_page_with_nothing_published_yet_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/ko/open-data/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert_accessible(page)
