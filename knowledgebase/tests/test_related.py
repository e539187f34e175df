"""Related Q&As: found by search in the background, shown from one read, published only."""

import pytest
from django.core.management import call_command

from knowledgebase import related, services
from knowledgebase.models import Audience, RelatedQuestions, Status
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def publish(**fields):
    return services.save_article(article=ArticleFactory.build(status=Status.PUBLISHED, **fields))


def related_block(client, article):
    html = client.get(f"/faq/{article.pk}/").content.decode()
    return html.split('id="related-title"')[1].split("</section>")[0]


def test_the_closest_questions_come_first_even_from_other_topics(client, search_index):
    waste, tax = CategoryFactory(name="ごみ"), CategoryFactory(name="税")
    article = publish(question="粗大ごみの出し方を教えてください", category=waste)
    close = publish(question="粗大ごみの申し込み方法", category=tax)  # filed under another topic
    same_topic = publish(question="缶とびんの分け方", category=waste)
    search_index.sync()
    assert related.refresh() == 3
    block = related_block(client, article)
    assert block.index(f"/faq/{close.pk}/") < block.index(f"/faq/{same_topic.pk}/")  # then the topic


def test_lists_keep_only_published_public_qas_and_follow_changes(client, search_index):
    article = publish(question="粗大ごみの出し方")
    other = publish(question="粗大ごみの料金")
    publish(question="粗大ごみの職員手順", audience=Audience.INTERNAL)
    services.save_article(article=ArticleFactory.build(question="粗大ごみの下書き", status=Status.DRAFT))
    search_index.sync()
    related.refresh()
    assert RelatedQuestions.objects.get(article=article).ids == [other.pk]
    assert related.refresh() == 0  # nothing due until something changes
    services.withdraw_article(article=other, reason="終了")
    assert "粗大ごみの料金" not in client.get(f"/faq/{article.pk}/").content.decode()  # re-checked at once
    article.question = "粗大ごみの出し方と料金"
    services.save_article(article=article)
    assert related.refresh() == 1  # its text changed: found again


def test_a_qa_without_a_list_yet_shows_its_topic(client):
    topic = CategoryFactory(name="ごみ")
    article = publish(question="ごみの日", category=topic)
    neighbour = publish(question="資源の日", category=topic)
    assert f"/faq/{neighbour.pk}/" in related_block(client, article)
    assert not RelatedQuestions.objects.exists()


def test_the_indexer_keeps_the_lists(search_index):
    article = publish(question="住民票の写しの取り方")
    other = publish(question="住民票の写しをコンビニで取る")
    call_command("run_indexer", "--once")
    assert RelatedQuestions.objects.get(article=article).ids == [other.pk]


def test_a_time_budget_stops_early_and_the_rest_follows(search_index):
    for number in range(4):
        publish(question=f"粗大ごみの質問{number}")
    search_index.sync()
    assert related.refresh(seconds=0) == 1
    assert related.refresh() == 3


def test_the_indexer_can_leave_related_work_for_later(search_index):
    publish(question="住民票の写しの取り方")
    publish(question="住民票の写しをコンビニで取る")
    call_command("run_indexer", "--once", "--skip-related")
    assert not RelatedQuestions.objects.exists()
