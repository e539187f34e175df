import re

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
    assert "13件の回答が見つかりました（1〜10件目を表示）" in first.content.decode()
    second = client.get("/search/", {"q": "ごみ", "page": 2})
    assert len(second.context["results"].hits) == 3
    assert "（11〜13件目を表示）" in second.content.decode()
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
    japanese = publish(question="粗大ごみの出し方")
    search_index.sync()
    hits = client.get("/en/search/", {"q": "bulky waste"}).context["results"].hits
    assert [hit.article for hit in hits] == [english, japanese]  # the reader's own words first


def test_a_topic_page_lists_its_published_qas_and_subtopics(client):
    parent = CategoryFactory(name="ごみ・リサイクル", name_en="Waste and recycling")
    child = CategoryFactory(name="粗大ごみ", parent=parent)
    shown = publish(question="粗大ごみの出し方", category=child)
    publish(question="内部の手順", category=child, audience=Audience.INTERNAL)
    services.save_article(
        article=ArticleFactory.build(question="下書きの質問", category=parent, status=Status.DRAFT)
    )
    publish(question="How to put out bulky waste", category=child, language="en")
    page = client.get(f"/category/{parent.pk}/")
    html = page.content.decode()
    assert [article.pk for article in page.context["page_obj"]] == [shown.pk]
    assert "粗大ごみ" in html and "内部の手順" not in html and "下書き" not in html
    english = client.get(f"/en/category/{parent.pk}/").content.decode()
    assert "Waste and recycling" in english and "How to put out bulky waste" in english
    assert client.get("/category/999999/").status_code == 404
    assert client.get(f"/category/{parent.pk}/", {"page": "abc"}).status_code == 200
    assert f"/category/{parent.pk}/" in client.get("/").content.decode()


def test_a_reader_of_another_language_is_offered_the_japanese_answers_when_none_are_translated(
    client, search_index
):
    article = publish(question="住民票の写しの取り方", answer="区役所で住民票の写しを取れます。")
    search_index.sync()
    # Kanji typed on the English site: no English words to translate, so nothing in the list.
    html = client.get("/en/search/", {"q": "住民票"}).content.decode()
    log = SearchLog.objects.get()
    assert log.language == "en" and log.result_count == 0  # still a gap in English
    assert re.search(
        rf'<li lang="ja">\s*<h4><a href="/en/faq/{article.pk}/\?s={log.pk}">住民票の写しの取り方</a>',
        html,
    )
    assert "住民票の写しの取り方" not in client.get("/search/", {"q": "存在しない"}).content.decode()


@pytest.mark.parametrize(
    ("prefix", "query", "label", "phone_line"),
    [
        ("/en", "residence certificate", "In Japanese", "by phone in your language"),
        ("/zh-hans", "住民票怎么开", "日语", "用您的语言"),
        ("/ko", "주민표 발급", "일본어", "모국어"),
    ],
)
def test_japanese_answers_come_among_the_results_marked_as_japanese_with_the_phone_line(
    client, search_index, settings, prefix, query, label, phone_line
):
    settings.CENTRE_PHONE_LANGUAGES = ["en", "zh-hans", "ko"]
    article = publish(question="住民票の写しの取り方", answer="区役所で住民票の写しを交付します。")
    search_index.sync()
    html = client.get(f"{prefix}/search/", {"q": query}).content.decode()
    log = SearchLog.objects.get()
    assert log.result_count == 1
    assert re.search(
        rf'<p class="language-label" lang="{prefix[1:]}">[^<]*{label}[^<]*</p>\s*'
        rf'<h2 lang="ja"><a href="{prefix}/faq/{article.pk}/\?s={log.pk}">住民票の写しの取り方</a>',
        html,
    )
    assert phone_line in html and settings.CENTRE_PHONE in html
    settings.CENTRE_PHONE_LANGUAGES = []
    assert phone_line not in client.get(f"{prefix}/search/", {"q": query}).content.decode()


def test_a_question_the_knowledge_base_cannot_answer_is_told_so_with_the_centres_phone(
    client, search_index, settings
):
    settings.CENTRE_CONTACT_FORM_URL = "https://www.city.example.jp/form/"
    licence = publish(question="運転免許証で住民票を請求できますか", answer="本人確認書類として使えます。")
    publish(question="粗大ごみの出し方", answer="受付センターに申し込みます。")
    search_index.sync()
    page = client.get("/search/", {"q": "宝くじの当選番号と運転免許"})
    html = page.content.decode()
    status = html.index('id="no-results-title"')
    assert status < html.index(settings.CENTRE_PHONE) < html.index('id="possibly-related-title"')
    assert "https://www.city.example.jp/form/" in html
    assert f"/faq/{licence.pk}/" in html.split('id="possibly-related-title"')[1]  # labelled, after
    assert "answers found" not in html and "件の回答" not in html
    assert SearchLog.objects.get().result_count == 0  # counted as a gap in the knowledge base


def test_results_that_answer_keep_their_place_and_only_they_are_counted(client, search_index):
    bulky = publish(question="粗大ごみの出し方", answer="粗大ごみは受付センターに申し込みます。")
    publish(question="犬の登録", answer="区役所で登録します。")
    search_index.sync()
    page = client.get("/search/", {"q": "粗大ごみを出したい"})
    assert [hit.article.pk for hit in page.context["results"].hits] == [bulky.pk]
    assert page.context["results"].total == 1 and 'id="possibly-related-title"' not in page.content.decode()


def test_a_document_the_city_does_not_issue_is_told_no_answer_while_the_card_renewal_is_answered(
    client, search_index
):
    renewal = publish(
        question="マイナンバーカードの更新", answer="有効期限の3か月前から区役所で更新できます。"
    )
    publish(question="運転免許証で住民票を請求できますか", answer="本人確認書類として使えます。")
    publish(question="粗大ごみの出し方", answer="受付センターに申し込みます。")
    publish(question="犬の登録", answer="区役所で登録します。")
    publish(question="保育園の入園申込み", answer="入園の申込みは毎年秋に受け付けます。")
    search_index.sync()
    # No Q&A names a passport: sharing 更新 with the card renewal is not an answer.
    html = client.get("/search/", {"q": "パスポートの更新手続き"}).content.decode()
    assert 'id="no-results-title"' in html and 'id="possibly-related-title"' in html
    page = client.get("/search/", {"q": "マイナンバーカードの更新手続き"})
    assert page.context["results"].answered
    assert page.context["results"].hits[0].article == renewal
    assert 'id="possibly-related-title"' not in page.content.decode()
