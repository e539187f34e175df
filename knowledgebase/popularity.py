"""Counting public page views for "most viewed", without a database write per view.

Each worker counts in memory and adds its counts to the database every
PUBLIC_VIEW_FLUSH_SECONDS (and when gunicorn stops it), so the article page
stays one read. A crash loses at most those seconds of counts, which a ranking
can afford.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from knowledgebase.models import Article, DailyViews

_pending: Counter[tuple[int, date]] = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()


def record_view(article_id: int) -> None:
    """Count one opening of a public Q&A page today (Asia/Tokyo)."""
    with _lock:
        _pending[(article_id, timezone.localdate())] += 1
        due = time.monotonic() - _last_flush >= settings.PUBLIC_VIEW_FLUSH_SECONDS
    if due:
        flush()


def flush() -> None:
    """Add this worker's counts to the database."""
    global _last_flush
    with _lock:
        counts = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not counts:
        return
    existing = set(Article.objects.filter(pk__in={pk for pk, _ in counts}).values_list("pk", flat=True))
    with transaction.atomic():
        for (article_id, day), views in counts.items():
            if article_id in existing:
                _add(article_id, day, views)


def _add(article_id: int, day: date, views: int) -> None:
    rows = DailyViews.objects.filter(article_id=article_id, day=day)
    if rows.update(views=F("views") + views):
        return
    try:
        with transaction.atomic():
            DailyViews.objects.create(article_id=article_id, day=day, views=views)
    except IntegrityError:  # another worker created today's row first
        rows.update(views=F("views") + views)
