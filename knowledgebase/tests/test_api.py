from urllib.parse import urlsplit

import pytest

from knowledgebase import services
from knowledgebase.models import Audience, SearchLog, Status
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(search_index):
    article = services.save_article(
        article=ArticleFactory.build(
            question="住民票の写しの取り方", answer="住民票は区役所で取れます。", external_id="R1"
        )
    )
    services.save_article(
        article=ArticleFactory.build(question="住民票の内部手順", audience=Audience.INTERNAL)
    )
    services.save_article(article=ArticleFactory.build(question="住民票の下書き", status=Status.DRAFT))
    search_index.sync()
    return article


def test_search_returns_published_public_articles_with_absolute_urls(client, published, settings):
    settings.PUBLIC_BASE_URL = "https://faq.city.example.jp"
    response = client.get("/api/v1/faq/search", {"q": "住民票がほしい"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    hit = body["results"][0]
    assert hit["id"] == published.pk and hit["external_id"] == "R1"
    search = SearchLog.objects.get()
    assert hit["url"] == f"https://faq.city.example.jp/faq/{published.pk}/?s={search.pk}"
    assert "<mark>住民</mark>" in hit["snippet"]


def test_each_result_names_its_language_and_other_languages_find_the_japanese_qas(
    client, published, search_index
):
    english = services.save_article(
        article=ArticleFactory.build(
            question="How to get a residence certificate",
            answer="Ask at the ward office.",
            language="en",
            status=Status.PUBLISHED,
        )
    )
    search_index.sync()
    assert [
        hit["language"] for hit in client.get("/api/v1/faq/search", {"q": "住民票"}).json()["results"]
    ] == ["ja"]
    results = client.get("/api/v1/faq/search", {"q": "residence certificate", "lang": "en"}).json()["results"]
    assert [(hit["id"], hit["language"]) for hit in results] == [(english.pk, "en"), (published.pk, "ja")]
    suggestions = client.get("/api/v1/faq/suggest", {"q": "juminhyo", "lang": "en"}).json()["suggestions"]
    assert suggestions[0]["language"] == "ja"


def test_without_a_public_base_url_api_urls_name_the_host_and_port_asked(client, published, settings):
    settings.PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    hit = client.get("/api/v1/faq/search", {"q": "住民票"}, HTTP_HOST="127.0.0.1:8100").json()["results"][0]
    assert hit["url"].startswith(f"http://127.0.0.1:8100/faq/{published.pk}/?s=")
    one = client.get(f"/api/v1/faq/articles/{published.pk}", HTTP_HOST="127.0.0.1:8100").json()
    assert one["url"] == f"http://127.0.0.1:8100/faq/{published.pk}/"


def test_search_is_logged_with_the_api_channel(client, published):
    client.get("/api/v1/faq/search", {"q": "住民票 090-1234-5678"})
    log = SearchLog.objects.get()
    assert log.channel == SearchLog.Channel.API
    assert "1234" not in log.query


def test_opening_a_result_records_which_answer_the_search_led_to(client, published):
    url = urlsplit(client.get("/api/v1/faq/search", {"q": "住民票"}).json()["results"][0]["url"])
    assert client.get(f"{url.path}?{url.query}").status_code == 200
    assert SearchLog.objects.get().opened_article == published
    # A forged or stale search id changes nothing and still shows the page.
    for bad in ("999999", "abc", "9" * 40):
        assert client.get(f"/faq/{published.pk}/", {"s": bad}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x", "limit": "abc"},
        {"q": "x", "limit": "0"},
        {"q": "x", "lang": "fr"},
        {"q": "x", "offset": "-1"},
    ],
)
def test_bad_parameters_give_a_json_400(client, params):
    response = client.get("/api/v1/faq/search", params)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid parameters"


def test_article_endpoint_serves_only_published_public_articles(client, published):
    assert client.get(f"/api/v1/faq/articles/{published.pk}").json()["question"] == "住民票の写しの取り方"
    draft = ArticleFactory(status=Status.DRAFT)
    internal = ArticleFactory(audience=Audience.INTERNAL)
    for article in (draft, internal):
        response = client.get(f"/api/v1/faq/articles/{article.pk}")
        assert response.status_code == 404 and response.json()["error"] == "not found"


def test_cors_allows_only_configured_origins(client, published, settings):
    settings.API_CORS_ORIGINS = ["https://www.city.example.jp"]
    allowed = client.get(
        "/api/v1/faq/search", {"q": "住民票"}, headers={"origin": "https://www.city.example.jp"}
    )
    other = client.get("/api/v1/faq/search", {"q": "住民票"}, headers={"origin": "https://evil.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://www.city.example.jp"
    assert "Access-Control-Allow-Origin" not in other


def test_public_article_page_shows_published_and_hides_the_rest(client, published):
    response = client.get(f"/faq/{published.pk}/")
    assert response.status_code == 200 and "住民票の写しの取り方" in response.content.decode()
    assert client.get(f"/faq/{ArticleFactory(status=Status.REVIEW).pk}/").status_code == 404


def test_answer_is_rendered_without_any_script(client):
    article = ArticleFactory(
        answer='<script>x()</script>\n\n- 持ち物 https://www.city.example.jp/a?b=1&c="2"'
    )
    body = client.get(f"/faq/{article.pk}/").content.decode()
    assert "<script>x()" not in body
    assert '<li>持ち物 <a href="https://www.city.example.jp/a?b=1&amp;c=' in body


def test_the_api_says_when_nothing_answers_the_query(client, published):
    answered = client.get("/api/v1/faq/search", {"q": "住民票がほしい"}).json()
    assert answered["answered"] is True and answered["total"] == 1
    unanswered = client.get("/api/v1/faq/search", {"q": "宝くじの当選番号と住民票の車検"}).json()
    assert unanswered["answered"] is False and unanswered["total"] == 0
    assert len(unanswered["results"]) <= 3
