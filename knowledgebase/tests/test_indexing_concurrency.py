"""Several processes change Q&As at once; afterwards index and database agree exactly.

pytest-django's SQLite test database lives in one process's memory, so these tests need
PostgreSQL (CI runs the suite on both).
"""

import multiprocessing
import random
import time

import pytest
from django.db import connection, connections, transaction

from knowledgebase import services
from knowledgebase.models import Article, Status
from knowledgebase.search.backend import backend
from knowledgebase.search.indexer import indexed_articles
from knowledgebase.tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database shared between processes: run with DATABASE_URL=postgres://…",
    ),
]

WRITERS = 4
ROUNDS = 25


def _editor(seed: int) -> None:
    """One editor's session: new Q&As, edits, withdrawals, republishing and deletions."""
    connections.close_all()
    rng = random.Random(seed)
    mine: list[Article] = []
    for round_ in range(ROUNDS):
        action = rng.random()
        if not mine or action < 0.35:
            article = ArticleFactory.build(
                external_id=f"P{seed}-{round_}", question=f"編集者{seed}の質問{round_}", status=Status.DRAFT
            )
            mine.append(services.publish_article(article=services.save_article(article=article)))
        elif action < 0.55:
            article = rng.choice(mine)
            article.answer = f"改訂{round_}"
            services.save_article(article=article)
        elif action < 0.7:
            published = [article for article in mine if article.status == Status.PUBLISHED]
            if published:
                services.withdraw_article(article=rng.choice(published))
        elif action < 0.85:
            withdrawn = [article for article in mine if article.status == Status.ARCHIVED]
            if withdrawn:
                services.publish_article(article=rng.choice(withdrawn))
        else:
            article = mine.pop(rng.randrange(len(mine)))
            services.delete_article(article=article)
    connections.close_all()


def _slow_import() -> None:
    """A long import: its log rows get low ids but commit after many others."""
    connections.close_all()
    with transaction.atomic():
        for number in range(20):
            services.save_article(
                article=ArticleFactory.build(external_id=f"I{number}", question=f"一括{number}")
            )
            if number == 10:
                time.sleep(1.5)
    connections.close_all()


def index_contents() -> dict[int, int]:
    with backend().index.searcher() as searcher:
        return {int(fields["django_id"]): fields["version"] for fields in searcher.all_stored_fields()}


def test_index_and_database_agree_after_concurrent_saves_publishes_and_withdrawals(search_index):
    context = multiprocessing.get_context("fork")
    connections.close_all()  # children must open their own connections
    processes = [context.Process(target=_slow_import)]
    processes += [context.Process(target=_editor, args=(seed,)) for seed in range(WRITERS)]
    for process in processes:
        process.start()
    while any(process.is_alive() for process in processes):
        search_index.sync()
        time.sleep(0.05)
    for process in processes:
        process.join()
    assert all(process.exitcode == 0 for process in processes)
    search_index.sync()

    expected = dict(indexed_articles().values_list("pk", "version"))
    assert len(expected) > 20
    assert index_contents() == expected  # no reconcile: the log alone got it right
