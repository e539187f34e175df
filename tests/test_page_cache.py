"""The surge cache: anonymous public pages served again for a few seconds by each worker, and
while the database is out of reach (contactcenter/lib/page_cache.py)."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from conftest import client_for
from contactcenter.lib import page_cache
from knowledgebase import services
from knowledgebase.models import DailyViews, SearchLog, SiteNotice, Status
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DATABASE_GONE = mock.patch(
    "django.db.backends.utils.CursorWrapper.execute",
    side_effect=OperationalError("server closed the connection"),
)


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 5
    page_cache.clear()
    yield
    page_cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved on by hand."""
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def publish(**fields):
    return services.save_article(
        article=ArticleFactory.build(status=Status.PUBLISHED, **{"question": "粗大ごみの出し方", **fields})
    )


def test_a_page_is_served_again_without_the_database_and_news_shows_within_5_seconds(
    client, clock, django_assert_num_queries
):
    assert "地震" not in client.get("/").content.decode()
    SiteNotice.objects.create(title="地震に関する緊急のお知らせ")
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again.status_code == 200 and "地震" not in again.content.decode()  # the kept page
    assert "private" in again["Cache-Control"] and again["Content-Security-Policy"]
    clock(5.1)
    assert "地震に関する緊急のお知らせ" in client.get("/").content.decode()


def test_every_serving_of_a_kept_qa_page_is_counted_but_robots_are_not(client, clock):
    article = publish()
    for _ in range(3):
        assert client.get(f"/faq/{article.pk}/").status_code == 200
    Client(HTTP_USER_AGENT="Googlebot/2.1").get(f"/faq/{article.pk}/")
    assert DailyViews.objects.get(article=article).views == 3


def test_a_kept_page_answers_conditional_gets_by_its_etag(client, clock):
    article = publish()
    first = client.get(f"/faq/{article.pk}/")
    assert client.get(f"/faq/{article.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(f"/faq/{article.pk}/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_pages_are_kept_apart_by_language_display_and_host(client, clock, settings):
    settings.ALLOWED_HOSTS = ["testserver", "faq.city.example.jp"]
    assert client.get("/").content.decode().startswith('<!DOCTYPE html>\n<html lang="ja">')
    assert '<html lang="en">' in client.get("/en/").content.decode()
    client.cookies["display"] = "text-large.contrast-high"
    assert 'class="text-large contrast-high"' in client.get("/").content.decode()
    del client.cookies["display"]
    assert 'class="text-large' not in client.get("/").content.decode()
    publish()
    other_host = client.get("/", HTTP_HOST="faq.city.example.jp")
    assert "http://faq.city.example.jp/" in other_host.content.decode()  # its own canonical links


def test_staff_searches_and_forms_are_never_served_from_it(client, clock, supervisor):
    staff = client_for(supervisor)
    staff.get("/")
    SiteNotice.objects.create(title="新しいお知らせ")
    assert "新しいお知らせ" in staff.get("/").content.decode()  # signed in: always the live page
    for _ in range(2):
        client.get("/search/", {"q": "ごみ"})
    assert SearchLog.objects.count() == 2  # each search is logged, and its results link to its row
    forms = [client.get("/contact/") for _ in range(2)]
    assert all(form.cookies.get("csrftoken") for form in forms)  # its own token each time


def test_while_the_database_is_out_of_reach_a_kept_page_stands_in_for_the_503(client, clock):
    article = publish(question="避難所の場所を知りたい")
    client.get(f"/faq/{article.pk}/")
    clock(60)  # long after the page went stale
    broken = Client(raise_request_exception=False)
    with DATABASE_GONE:
        kept = broken.get(f"/faq/{article.pk}/")
        never_kept = broken.get("/accessibility/")
    assert kept.status_code == 200 and "避難所の場所を知りたい" in kept.content.decode()
    assert never_kept.status_code == 503 and never_kept["Retry-After"] == "30"
    clock(page_cache.STALE_SECONDS)
    with DATABASE_GONE:
        assert broken.get(f"/faq/{article.pk}/").status_code == 503  # too old to stand in


def test_each_worker_keeps_a_bounded_amount_whatever_visitors_ask_for(client, clock, monkeypatch):
    first = len(client.get("/?visit=0").content)
    monkeypatch.setattr(page_cache, "MAX_TOTAL_BYTES", first * 3)
    for visit in range(1, 10):  # a query string per request, as a crawler or an attacker sends
        client.get(f"/?visit={visit}")
    assert sum(len(entry.content) for entry in page_cache._entries.values()) <= first * 3
    SiteNotice.objects.create(title="新しいお知らせ")
    assert "新しいお知らせ" in client.get("/?visit=0").content.decode()  # the oldest went first
    assert "新しいお知らせ" not in client.get("/?visit=9").content.decode()  # the newest is kept
