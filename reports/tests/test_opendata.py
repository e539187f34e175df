"""The published statistics: counts rebuilt from the inquiries, small cells suppressed (with a
second cell where a total would give one away), no free text, the public page in every language,
and that it never reads an inquiry."""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from inquiries.models import Channel, Kind, Outcome
from inquiries.tests.factories import InquiryFactory
from knowledgebase.tests.factories import CategoryFactory
from reports.models import OpenDataMonth
from reports.opendata import published_rows, rebuild_open_data, summary

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)
TODAY = date(2026, 7, 15)


def at(*args):
    return datetime(*args, tzinfo=TOKYO)


def inquiries(count, received_at, **fields):
    for _ in range(count):
        InquiryFactory(received_at=received_at, **fields)


def cells():
    return {
        (cell.month, cell.category, cell.channel, cell.kind): cell.inquiries
        for cell in OpenDataMonth.objects.all()
    }


def download(client):
    response = client.get("/open-data/inquiries.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def waste():
    return CategoryFactory(name="ごみ", name_en="Waste")


class TestRebuild:
    def test_counts_finished_months_by_top_level_category_channel_and_kind(self, waste):
        bulky = CategoryFactory(name="粗大ごみ", parent=waste)
        inquiries(2, at(2026, 5, 3, 10), category=bulky)
        inquiries(1, at(2026, 5, 4, 10), category=waste, channel=Channel.EMAIL, kind=Kind.COMPLAINT)
        inquiries(1, at(2026, 6, 30, 10))
        inquiries(1, at(2026, 6, 1, 10), outcome=Outcome.ABANDONED)  # no inquiry after all
        inquiries(1, at(2026, 7, 1, 10), category=waste)  # this month: not over yet
        rebuilt = rebuild_open_data(today=TODAY)
        assert cells() == {
            (date(2026, 5, 1), "ごみ", "phone", "question"): 2,
            (date(2026, 5, 1), "ごみ", "email", "complaint"): 1,
            (date(2026, 6, 1), "", "phone", "question"): 1,
        }
        assert OpenDataMonth.objects.get(month=date(2026, 5, 1), kind="question").category_en == "Waste"
        assert (rebuilt.months, rebuilt.cells) == (2, 3)

    def test_months_are_counted_in_tokyo_time(self):
        inquiries(1, at(2026, 3, 31, 23, 59))
        inquiries(2, at(2026, 4, 1, 0, 0))
        rebuild_open_data(today=TODAY)
        assert cells() == {
            (date(2026, 3, 1), "", "phone", "question"): 1,
            (date(2026, 4, 1), "", "phone", "question"): 2,
        }

    def test_rebuilding_the_last_months_keeps_the_older_ones_and_replaces_the_recent(self, waste):
        inquiries(3, at(2026, 4, 10, 10))
        inquiries(1, at(2026, 6, 10, 10))
        rebuild_open_data(today=TODAY)
        inquiries(1, at(2026, 6, 11, 10))
        OpenDataMonth.objects.filter(month=date(2026, 4, 1)).update(inquiries=30)
        rebuild_open_data(months=1, today=TODAY)
        assert cells() == {
            (date(2026, 4, 1), "", "phone", "question"): 30,  # not recomputed
            (date(2026, 6, 1), "", "phone", "question"): 2,
        }

    def test_the_command_rebuilds_every_month(self):
        inquiries(1, at(2025, 1, 10, 10))
        output = io.StringIO()
        call_command("rebuild_open_data", stdout=output)
        assert OpenDataMonth.objects.get().inquiries == 1
        assert "1 counts for 1 months" in output.getvalue()


class TestPublished:
    def test_small_cells_are_hidden_and_a_second_one_beside_them(self, client, waste):
        inquiries(10, at(2026, 5, 3, 10), category=waste)
        inquiries(3, at(2026, 5, 3, 10), category=waste, kind=Kind.COMPLAINT)
        inquiries(7, at(2026, 5, 3, 10), category=waste, channel=Channel.EMAIL)
        inquiries(8, at(2026, 5, 3, 10), channel=Channel.EMAIL)
        rebuild_open_data(today=TODAY)
        rows = download(client)
        assert rows[0] == ["month", "category", "category_en", "channel", "kind", "inquiries"]
        published = {tuple(row[1:5]): row[5] for row in rows[1:]}
        assert published[("ごみ", "Waste", "phone", "complaint")] == "<5"
        # The row's total (ごみ, 20) and the column's (phone|complaint, 3) would give it away:
        hidden = [key for key, value in published.items() if value == "<5"]
        assert len(hidden) >= 2
        assert any(key[0] == "ごみ" and key != ("ごみ", "Waste", "phone", "complaint") for key in hidden)
        assert sum(int(value) for value in published.values() if value != "<5") < 28

    def test_the_csv_holds_no_words_of_any_inquiry(self, client):
        inquiries(6, at(2026, 5, 3, 10), summary="山田さんの秘密の相談", answer="個人的な回答")
        rebuild_open_data(today=TODAY)
        body = "\n".join(",".join(row) for row in download(client))
        assert "秘密" not in body and "回答" not in body
        page = client.get("/open-data/").content.decode()
        assert "秘密" not in page

    def test_the_summary_shows_the_last_twelve_months_by_category(self, waste):
        inquiries(6, at(2025, 5, 3, 10), category=waste)  # thirteen months before the latest
        inquiries(6, at(2026, 5, 3, 10), category=waste)
        inquiries(9, at(2026, 6, 3, 10), category=waste)
        inquiries(2, at(2026, 6, 3, 10))
        rebuild_open_data(today=TODAY)
        table = summary()
        assert table.months[0] == date(2025, 7, 1) and table.months[-1] == date(2026, 6, 1)
        assert [row.category for row in table.rows] == ["ごみ", ""]
        waste_row, blank_row = table.rows
        assert dict(waste_row.cells)[date(2026, 5, 1)].count == 6
        assert dict(blank_row.cells)[date(2026, 6, 1)].suppressed
        # June's total (11) is shown: the waste figure beside the hidden 2 goes too, or a
        # subtraction would give it away.
        assert dict(waste_row.cells)[date(2026, 6, 1)].suppressed
        assert table.total == 17

    def test_a_month_hidden_to_protect_another_stays_hidden_when_the_window_moves_on(self, waste):
        """Each month is suppressed on its own, so the next window never publishes a cell an
        earlier one hid (no per-category totals over the moving window)."""
        inquiries(9, at(2026, 6, 3, 10), category=waste)
        inquiries(2, at(2026, 6, 3, 10))
        rebuild_open_data(today=TODAY)
        june = date(2026, 6, 1)
        before = {row.category: dict(row.cells)[june].suppressed for row in summary().rows}
        inquiries(7, at(2026, 7, 3, 10), category=waste)
        rebuild_open_data(today=date(2026, 8, 10))
        after = {row.category: dict(row.cells)[june].suppressed for row in summary().rows}
        assert before == after == {"ごみ": True, "": True}

    def test_an_empty_table_publishes_an_empty_file_and_page(self, client):
        assert list(published_rows()) == []
        assert download(client) == [["month", "category", "category_en", "channel", "kind", "inquiries"]]
        response = client.get("/en/open-data/")
        assert response.status_code == 200
        assert "No figures have been published yet." in response.content.decode()


@pytest.mark.parametrize("prefix, lang", [("", "ja"), ("/en", "en"), ("/zh-hans", "zh-hans"), ("/ko", "ko")])
def test_the_page_is_published_in_every_language_with_its_licence(client, waste, prefix, lang):
    inquiries(6, at(2026, 5, 3, 10), category=waste)
    rebuild_open_data(today=TODAY)
    response = client.get(f"{prefix}/open-data/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert 'href="/open-data/inquiries.csv"' in page or f'href="{prefix}/open-data/inquiries.csv"' in page
    assert "csrfmiddlewaretoken" not in page
    assert "Set-Cookie" not in response.headers or "csrftoken" not in response.headers["Set-Cookie"]


def test_the_public_pages_never_read_an_inquiry(client, waste):
    inquiries(6, at(2026, 5, 3, 10), category=waste)
    rebuild_open_data(today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        client.get("/open-data/")
        download(client)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "reports_opendatamonth" in tables
    assert "inquiries_" not in tables


def test_the_page_takes_the_same_few_queries_however_many_months(
    client, django_assert_max_num_queries, waste
):
    for month in range(1, 13):
        inquiries(1, at(2025, month, 3, 10), category=CategoryFactory())
    rebuild_open_data(today=TODAY)
    with django_assert_max_num_queries(4):  # the latest month, the summary, the site notices
        assert client.get("/open-data/").status_code == 200


@pytest.mark.parametrize("path", ["/en/", "/en/open-data/"])
def test_the_public_footer_links_to_the_open_data(client, path):
    assert 'href="/en/open-data/"' in client.get(path).content.decode()


@pytest.mark.parametrize(
    "persona", ["operator", "leader", "supervisor", "department_editor", "administrator"]
)
def test_everyone_may_read_the_open_data(request, persona):
    staff = client_for(request.getfixturevalue(persona))
    assert staff.get("/open-data/").status_code == 200
    assert staff.get("/open-data/inquiries.csv").status_code == 200


def test_anonymous_visitors_may_read_the_open_data(client):
    assert client.get("/open-data/").status_code == 200
    assert client.get(reverse("opendata:csv")).status_code == 200
