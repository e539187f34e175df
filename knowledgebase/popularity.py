"""Counting public page views for "most viewed", without a database write per view.

Each worker counts in memory; a background thread adds the counts to the database every
PUBLIC_VIEW_FLUSH_SECONDS (and gunicorn's worker_exit hook adds the last ones), so a
citizen's request never waits for that write. A crash loses at most those seconds of
counts, which a ranking can afford. With PUBLIC_VIEW_FLUSH_SECONDS = 0 (the tests) every
view is written at once.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from knowledgebase.models import Article

logger = logging.getLogger(__name__)

MOST_VIEWED_DAYS = 30

# One upsert for all rows (PostgreSQL and SQLite share the syntax): adds to the day's count.
ADD_VIEWS = (
    "INSERT INTO knowledgebase_dailyviews (article_id, day, views) VALUES (%s, %s, %s) "
    "ON CONFLICT (article_id, day) DO UPDATE SET views = knowledgebase_dailyviews.views + excluded.views"
)

_pending: Counter[tuple[int, date]] = Counter()
_lock = threading.Lock()
_flusher_pid: int | None = None


# Crawlers and monitors announce themselves; their visits would rank what they crawl.
ROBOT = re.compile(r"bot|crawl|spider|slurp|facebookexternalhit|monitor|curl|wget|python-requests", re.I)


def is_robot(user_agent: str) -> bool:
    return bool(ROBOT.search(user_agent))


def record_view(article_id: int) -> None:
    """Count one opening of a public Q&A page today (Asia/Tokyo)."""
    with _lock:
        _pending[(article_id, timezone.localdate())] += 1
    if settings.PUBLIC_VIEW_FLUSH_SECONDS <= 0:
        flush()
    else:
        _start_flusher()


def _start_flusher() -> None:
    """One background thread per worker process (a forked worker starts its own)."""
    global _flusher_pid
    if _flusher_pid == os.getpid():
        return
    with _lock:
        if _flusher_pid == os.getpid():
            return
        _flusher_pid = os.getpid()
    threading.Thread(target=_flush_forever, name="view-counts", daemon=True).start()


def _flush_forever() -> None:
    while True:
        time.sleep(settings.PUBLIC_VIEW_FLUSH_SECONDS)
        flush()
        connection.close()  # this thread's own connection; a new one next time


def flush() -> None:
    """Add this worker's counts to the database; on failure keep them for the next try."""
    with _lock:
        counts = dict(_pending)
        _pending.clear()
    if not counts:
        return
    try:
        _add(counts)
    except Exception:  # the database is away or busy: counting must never break a page
        logger.warning("Could not save %d page-view counts; will retry", len(counts), exc_info=True)
        with _lock:
            _pending.update(counts)


def _add(counts: dict[tuple[int, date], int]) -> None:
    existing = set(Article.objects.filter(pk__in={pk for pk, _ in counts}).values_list("pk", flat=True))
    rows = sorted((pk, day, views) for (pk, day), views in counts.items() if pk in existing)  # one lock order
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(ADD_VIEWS, [(pk, day.isoformat(), views) for pk, day, views in rows])


HOME_LIST_LENGTH = 8
RANKING_CACHE_SECONDS = 5 * 60


def most_viewed(language: str, limit: int = HOME_LIST_LENGTH) -> list[Article]:
    """The Q&As a reader of `language` opened most in the last MOST_VIEWED_DAYS days.

    The ranking (ids only) is cached for a few minutes; the Q&As are re-read as published
    on every call, so a withdrawn one drops out at once.
    """
    today = timezone.localdate()
    key = f"most-viewed:{language}:{today.isoformat()}"
    readable = Article.objects.for_reader(language)
    ids = cache.get(key)
    if ids is None:
        since = today - timedelta(days=MOST_VIEWED_DAYS - 1)
        ids = list(readable.most_viewed(since).values_list("pk", flat=True)[: limit * 2])
        cache.set(key, ids, RANKING_CACHE_SECONDS)
    found = {article.pk: article for article in readable.filter(pk__in=ids).only("question", "language")}
    return [found[pk] for pk in ids if pk in found][:limit]
