"""A corrupted search index: search answers from the database, /healthz says degraded, and
run_indexer or rebuild_index puts a readable index back."""

import logging
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import StructFile

from knowledgebase import services
from knowledgebase.models import Status
from knowledgebase.search.backend import backend
from knowledgebase.search.query import search_articles
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

FALLBACK = "Search index unavailable"


def publish(**fields):
    return services.save_article(article=ArticleFactory.build(status=Status.PUBLISHED, **fields))


def _garbage(path: Path, start: int = 0, end: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    end = len(data) if end is None else end
    rng = random.Random(7)
    data[start:end] = bytes(rng.randrange(256) for _ in range(end - start))
    path.write_bytes(bytes(data))


def _garbage_in(part: str):
    """Garbage over one part of each segment (its postings, its term dictionary, …): the
    segment and the index still open and count their documents."""

    def corrupt(files: list[Path]) -> None:
        for path in files:
            if path.suffix == ".seg":
                with path.open("rb") as file:
                    parts = CompoundStorage(StructFile(file), use_mmap=False)._dir
                place = next(info for name, info in parts.items() if name.endswith(part))
                _garbage(path, place["offset"], place["offset"] + place["length"])

    return corrupt


def _truncate(files: list[Path]) -> None:
    for path in files:
        if path.suffix == ".seg":
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


CORRUPTIONS = {
    "garbage for the table of contents": lambda files: [_garbage(f) for f in files if f.suffix == ".toc"],
    "garbage for a whole segment": lambda files: [_garbage(f) for f in files if f.suffix == ".seg"],
    "garbage in the term dictionary": _garbage_in(".trm"),
    "garbage in the postings": _garbage_in(".pst"),
    "garbage in the stored fields": _garbage_in("_stored.col"),
    "a truncated segment": _truncate,
}


@pytest.fixture
def bulky_waste(search_index):
    """A few Q&As, all indexed."""
    wanted = publish(
        question="粗大ごみの出し方を教えてください", answer="粗大ごみ受付センターに申し込みます。"
    )
    for number in range(5):
        publish(
            question=f"住民票の写しの取り方その{number}", answer=f"区役所の窓口{number}番で受け取れます。"
        )
    search_index.sync()
    return wanted


def corrupt(kind: str) -> str:
    """Write garbage into the live generation's files, as a failing disk would; then reopen it,
    as a restarted worker does. Returns the generation's name."""
    generation = backend().generation
    CORRUPTIONS[kind]([path for path in generation.path.iterdir() if path.is_file()])
    connections.reload("default")
    return generation.name


def _index_is_used(caplog) -> bool:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="knowledgebase.search.query"):
        search_articles("住民票の写し", language="ja")
    return FALLBACK not in caplog.text


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corrupted_index_falls_back_to_the_database_says_degraded_and_the_indexer_rebuilds_it(
    client, caplog, bulky_waste, kind
):
    broken = corrupt(kind)

    response = client.get("/search/?q=粗大ごみ")
    assert response.status_code == 200
    assert "粗大ごみの出し方を教えてください" in response.content.decode()
    assert client.get("/api/v1/faq/search?q=粗大ごみ").json()["results"][0]["id"] == bulky_waste.pk
    assert FALLBACK in caplog.text
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "degraded"

    call_command("run_indexer", "--once")

    assert backend().store.current_name() != broken
    assert _index_is_used(caplog)
    assert client.get("/healthz").json()["status"] == "ok"
    assert "粗大ごみの出し方を教えてください" in client.get("/search/?q=粗大ごみ").content.decode()


def test_rebuild_index_replaces_a_corrupted_index(client, caplog, bulky_waste):
    broken = corrupt("garbage in the postings")
    client.get("/search/?q=粗大ごみ")
    assert client.get("/healthz").json()["status"] == "degraded"

    call_command("rebuild_index", "--noinput")

    assert backend().store.current_name() != broken
    assert _index_is_used(caplog)
    assert client.get("/healthz").json()["status"] == "ok"


def test_a_qa_published_while_the_index_is_broken_is_found_before_and_after_the_rebuild(
    search_index, bulky_waste, caplog
):
    corrupt("garbage in the postings")
    later = publish(question="犬の登録の手続き", answer="保健所で登録します。")
    assert [hit.article.pk for hit in search_articles("犬の登録", language="ja").hits] == [later.pk]

    call_command("run_indexer", "--once")

    assert _index_is_used(caplog)
    assert [hit.article.pk for hit in search_articles("犬の登録", language="ja").hits] == [later.pk]


def test_the_indexer_leaves_a_whole_index_alone(search_index, bulky_waste):
    live = backend().store.current_name()
    call_command("run_indexer", "--once")
    assert backend().store.current_name() == live


def test_a_search_error_that_is_not_the_indexs_fault_keeps_the_index(
    client, caplog, bulky_waste, monkeypatch
):
    from knowledgebase.search import query

    live = backend().store.current_name()
    with monkeypatch.context() as patched:
        patched.setattr(query, "_search_index", lambda *args: 1 / 0)
        patched.setattr(query, "_search_across_languages", lambda *args: 1 / 0)
        assert client.get("/search/?q=粗大ごみ").status_code == 200
    assert client.get("/healthz").json()["status"] == "degraded"

    call_command("run_indexer", "--once")

    assert backend().store.current_name() == live  # read through, found whole, kept
    assert client.get("/healthz").json()["status"] == "ok"


def test_a_broken_index_logs_its_error_once_per_worker_then_one_line_a_search(caplog, bulky_waste):
    corrupt("garbage for a whole segment")
    with caplog.at_level(logging.WARNING, logger="knowledgebase.search.query"):
        for _ in range(3):
            search_articles("粗大ごみ", language="ja")
    failures = [record for record in caplog.records if FALLBACK in record.getMessage()]
    assert len(failures) == 3
    assert [bool(record.exc_info) for record in failures] == [True, False, False]
