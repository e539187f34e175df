import pytest

from knowledgebase import services
from knowledgebase.models import Audience, SearchLog, Status
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def publish(**fields):
    return services.save_article(article=ArticleFactory.build(status=Status.PUBLISHED, **fields))


def test_results_show_count_highlighted_snippets_and_links_that_record_the_click(client, search_index):
    article = publish(question="粗大ごみの出し方", answer="粗大ごみは受付センターに申し込みます。")
    publish(question="粗大ごみの内部手順", audience=Audience.INTERNAL)
    services.save_article(article=ArticleFactory.build(question="粗大ごみの下書き", status=Status.DRAFT))
    search_index.sync()
    page = client.get("/search/", {"q": "粗大ごみを出したい"})
    html = page.content.decode()
    assert "1件" in html or "1 answer" in html
    assert "<mark>粗大</mark>" in html
    assert "内部手順" not in html and "下書き" not in html
    log = SearchLog.objects.get()
    assert log.channel == SearchLog.Channel.PUBLIC and log.result_count == 1
    assert f"/faq/{article.pk}/?s={log.pk}" in html
    client.get(f"/faq/{article.pk}/", {"s": log.pk})
    assert SearchLog.objects.get().opened_article == article


def test_nothing_found_gives_tips_topics_and_the_centres_phone(client, search_index, settings):
    CategoryFactory(name="ごみ・リサイクル")
    html = client.get("/search/", {"q": "存在しない手続き"}).content.decode()
    assert "ごみ・リサイクル" in html and settings.CENTRE_PHONE in html


def test_pages_and_categories_narrow_the_results_and_bad_numbers_are_ignored(client, search_index):
    waste, other = CategoryFactory(name="ごみ"), CategoryFactory(name="税")
    for number in range(12):
        publish(question=f"ごみの収集{number}", category=waste)
    publish(question="ごみ処理手数料と税", category=other)
    search_index.sync()
    first = client.get("/search/", {"q": "ごみ"})
    assert len(first.context["results"].hits) == 10 and first.context["pages"] == 2
    second = client.get("/search/", {"q": "ごみ", "page": 2})
    assert len(second.context["results"].hits) == 3
    assert SearchLog.objects.count() == 1  # turning the page is the same search
    narrowed = client.get("/search/", {"q": "ごみ", "category": other.pk})
    assert [hit.article.question for hit in narrowed.context["results"].hits] == ["ごみ処理手数料と税"]
    for params in (
        {"page": "abc"},
        {"page": "-1"},
        {"category": "x"},
        {"category": 999999},
        {"q": "ごみ" * 500},
    ):
        assert client.get("/search/", {"q": "ごみ", **params}).status_code == 200


def test_english_pages_search_the_english_qas(client, search_index):
    english = publish(question="How do I put out bulky waste?", language="en")
    publish(question="粗大ごみの出し方")
    search_index.sync()
    hits = client.get("/en/search/", {"q": "bulky waste"}).context["results"].hits
    assert [hit.article for hit in hits] == [english]
