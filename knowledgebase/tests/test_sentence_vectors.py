"""Re-ranking by the closeness of query and question as whole sentences (search/sentences.py)."""

import threading
import time

import numpy as np
import pytest
from django.core.management import call_command

from knowledgebase import services
from knowledgebase.models import QuestionVector, Status
from knowledgebase.search import sentences
from knowledgebase.search.query import ranked_candidates, search_articles
from knowledgebase.search.ranking import DEFAULT_WEIGHTS
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ONLY_MEANING = DEFAULT_WEIGHTS.__class__(
    closeness=0.0, question_cover=0.0, document_cover=0.0, answer_threshold=0.0, sentence=1000.0
)


def publish(**fields):
    return services.save_article(article=ArticleFactory.build(status=Status.PUBLISHED, **fields))


def questions(query, **kwargs):
    return [hit.article.question for hit in search_articles(query, **kwargs).hits]


def test_the_model_places_sentences_of_one_meaning_closer_than_sentences_sharing_a_word():
    lost = sentences.embed_questions(["犬が迷子になりました。どこに連絡すればよいですか。"])[0]
    licence = sentences.embed_questions(["犬の登録をしたいのですが、どこに連絡すればよいですか。"])[0]
    query = sentences.embed_query("飼っている犬がいなくなってしまった")
    assert query.shape == (sentences.DIMENSIONS,)
    assert np.isclose(np.linalg.norm(query), 1.0, atol=1e-3)
    assert query @ lost > query @ licence


def test_the_indexer_computes_each_indexed_japanese_question_once_and_again_when_it_changes(search_index):
    dog = publish(question="犬が迷子になりました。")
    publish(question="How do I register my dog?", language="en")
    draft = services.save_article(article=ArticleFactory.build(status=Status.DRAFT, question="下書きの質問"))
    search_index.sync()
    assert sentences.refresh() == 1  # the published Japanese Q&A: English and drafts have none
    stored = QuestionVector.objects.get()
    assert stored.article == dog and stored.key == sentences.question_key(dog.question)
    assert not QuestionVector.objects.filter(article=draft).exists()
    assert sentences.refresh() == 0  # nothing changed

    dog.question = "飼い犬がいなくなりました。"
    services.save_article(article=dog)
    assert sentences.refresh() == 1
    assert QuestionVector.objects.get().key == sentences.question_key("飼い犬がいなくなりました。")


def test_the_indexer_stops_after_its_time_and_goes_on_next_time(search_index, monkeypatch):
    for number in range(3):
        publish(question=f"質問その{number}について教えてください。")
    search_index.sync()
    monkeypatch.setattr(sentences, "BATCH", 1)
    assert sentences.refresh(seconds=0) == 1  # one batch, then its time is up
    assert sentences.refresh() == 2


def test_search_ranks_by_meaning_once_the_vectors_are_computed(search_index):
    licence = publish(
        question="犬の登録と犬の鑑札について。犬を飼ったら何をしますか。", answer="犬の登録は区役所です。"
    )
    lost = publish(question="犬が迷子になりました。", answer="動物管理センターに連絡してください。")
    search_index.sync()
    query = "飼っている犬がいなくなってしまった"
    lexical = questions(query, weights=ONLY_MEANING)
    assert lexical[0] == licence.question  # before the indexer reached them: as a lexical search ranks

    assert sentences.refresh() == 2
    assert questions(query, weights=ONLY_MEANING)[0] == lost.question
    closeness = {c.pk: c.sentence for c in ranked_candidates(query)}
    assert closeness[lost.pk] > 0 > closeness[licence.pk]
    # Switched off, as `evaluate_search --ablate` does: the lexical order again.
    assert questions(query, weights=ONLY_MEANING, without=frozenset({"sentence_vectors"})) == lexical


def test_a_vector_of_an_older_text_of_the_question_is_not_used(search_index):
    lost = publish(question="犬が迷子になりました。")
    publish(question="犬の登録はどこでしますか。")
    search_index.sync()
    sentences.refresh()
    lost.question = "猫が迷子になりました。犬ではありません。"
    services.save_article(article=lost)
    search_index.sync()  # the index has the new text; the vector is still of the old one
    assert {c.pk: c.sentence for c in ranked_candidates("犬がいなくなった")}[lost.pk] == 0.0


def test_search_works_the_same_without_the_engine_or_when_switched_off(search_index, settings, monkeypatch):
    publish(question="犬の登録はどこでしますか。")
    publish(question="犬が迷子になりました。")
    search_index.sync()
    sentences.refresh()
    before = questions("犬がいなくなった", weights=ONLY_MEANING)

    calls = []
    monkeypatch.setattr(sentences, "embed_query", lambda text: calls.append(text))
    settings.SEARCH_SENTENCE_VECTORS = False
    assert len(questions("犬がいなくなった")) == 2 and not calls  # not even computed
    assert all(c.sentence == 0.0 for c in ranked_candidates("犬がいなくなった"))

    settings.SEARCH_SENTENCE_VECTORS = True
    monkeypatch.setattr(sentences._Model, "loaded", None)
    monkeypatch.setattr(sentences._Model, "failed", True)  # the package could not be loaded
    assert len(questions("犬がいなくなった")) == 2 and sentences.refresh() == 0

    monkeypatch.undo()
    assert questions("犬がいなくなった", weights=ONLY_MEANING) == before


def test_an_engine_failure_or_a_long_query_ranks_without_sentence_closeness(search_index, monkeypatch):
    publish(question="犬の登録はどこでしますか。")
    publish(question="犬が迷子になりました。")
    search_index.sync()
    sentences.refresh()
    long_query = "犬が" + "とても" * 30 + "いなくなった"
    assert all(c.sentence == 0.0 for c in ranked_candidates(long_query))

    def broken(text):
        raise RuntimeError("engine failed")

    monkeypatch.setattr(sentences, "embed_query", broken)
    assert all(c.sentence == 0.0 for c in ranked_candidates("犬がいなくなった"))
    assert len(questions("犬がいなくなった")) == 2


def test_run_indexer_once_computes_the_vectors(search_index):
    publish(question="犬が迷子になりました。")
    call_command("run_indexer", "--once", "--skip-related")
    assert QuestionVector.objects.count() == 1


def test_a_slow_engine_never_holds_a_search_up_nor_queues_queries(search_index, monkeypatch):
    publish(question="犬の登録はどこでしますか。")
    publish(question="犬が迷子になりました。")
    search_index.sync()
    sentences.refresh()
    release = threading.Event()

    def slow(text):
        release.wait(5)
        return np.ones(sentences.DIMENSIONS, dtype=np.float32)

    monkeypatch.setattr(sentences, "embed_query", slow)
    monkeypatch.setattr(sentences, "QUERY_WAIT_SECONDS", 0.05)
    started = time.monotonic()
    assert all(c.sentence == 0.0 for c in ranked_candidates("犬がいなくなった"))
    assert len(questions("犬を探しています")) == 2  # the thread is still busy: not queued behind it
    assert time.monotonic() - started < 2
    release.set()


def test_a_chinese_or_korean_search_ranks_the_japanese_answers_by_meaning_too(search_index):
    licence = publish(
        question="犬の登録と犬の鑑札について。犬を飼ったら何をしますか。", answer="犬の登録は区役所です。"
    )
    lost = publish(question="犬が迷子になりました。", answer="動物管理センターに連絡してください。")
    search_index.sync()
    for query, language in (("我的狗走丢了", "zh-hans"), ("강아지를 잃어버렸어요 犬", "ko")):
        lexical = questions(query, language=language, weights=ONLY_MEANING)
        assert lexical[:2] == [licence.question, lost.question], query
    sentences.refresh()
    for query, language in (("我的狗走丢了", "zh-hans"), ("강아지를 잃어버렸어요 犬", "ko")):
        assert questions(query, language=language, weights=ONLY_MEANING)[0] == lost.question, query
        off = frozenset({"sentence_vectors"})
        assert questions(query, language=language, weights=ONLY_MEANING, without=off)[0] == licence.question


def test_a_worker_warms_up_with_every_stored_vector_so_searches_do_not_read_them(
    search_index, django_assert_num_queries
):
    publish(question="犬の登録はどこでしますか。")
    publish(question="犬が迷子になりました。")
    search_index.sync()
    sentences.refresh()
    sentences.forget()  # a fresh worker
    sentences.warm_up()
    keys = list(QuestionVector.objects.values_list("key", flat=True))
    with django_assert_num_queries(0):
        assert set(sentences.question_vectors(keys)) == set(keys)


def test_rebuild_index_computes_the_vectors_an_import_lacks_unless_told_not_to(search_index):
    publish(question="犬が迷子になりました。")
    call_command("rebuild_index", "--noinput", "--skip-vectors")
    assert not QuestionVector.objects.exists()
    call_command("rebuild_index", "--noinput")
    assert QuestionVector.objects.count() == 1


def test_evaluate_search_says_when_questions_lack_their_vectors(tmp_path, search_index, capsys):
    publish(external_id="G1", question="犬が迷子になりました。")
    search_index.sync()
    path = tmp_path / "queries.csv"
    path.write_text("query,expected\n犬がいなくなった,G1\n", encoding="utf-8")
    call_command("evaluate_search", str(path))
    assert "1 Japanese Q&A(s) have no question vector yet" in capsys.readouterr().err
    sentences.refresh()
    call_command("evaluate_search", str(path))
    assert "question vector" not in capsys.readouterr().err


def test_rebuild_index_on_a_public_host_leaves_the_vectors_to_the_staff_hosts(search_index, settings):
    publish(question="犬が迷子になりました。")
    settings.PUBLIC_ONLY = True
    call_command("rebuild_index", "--noinput")
    assert not QuestionVector.objects.exists()
