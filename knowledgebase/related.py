"""Related Q&As: for each published Q&A, the others a search with its question finds first.

Searching costs ~20 ms, too much for every page view, so run_indexer keeps the answers in
`RelatedQuestions`, a little at a time beside its index work: new and changed Q&As first,
then the oldest lists again (other Q&As come and go). Pages re-check every id as published.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from knowledgebase.models import Article, Category, RelatedQuestions
from knowledgebase.search.query import search_articles

KEPT = 8  # more than a page shows, so some may be unpublished later
REFRESH_AFTER = timedelta(days=1)


def compute(article: Article) -> list[int]:
    """The published public Q&As in the same language closest to this one's question."""
    family = {article.pk, article.translation_of_id} - {None}
    results = search_articles(article.question, language=article.language, limit=KEPT + 2, snippets=False)
    return [hit.article.pk for hit in results.hits if hit.article.pk not in family][:KEPT]


def due() -> Q:
    """Published Q&As without a current list: none yet, text changed since, or a day old."""
    current = RelatedQuestions.objects.filter(
        article=OuterRef("pk"),
        text_version=OuterRef("content_version"),
        computed_at__gte=timezone.now() - REFRESH_AFTER,
    )
    return ~Q(Exists(current))


def refresh(*, seconds: float | None = None, batch: int = 20) -> int:
    """Compute lists for due Q&As, those without one first, for at most `seconds` (None: all)."""
    started = time.monotonic()
    seen: set[int] = set()
    missing = RelatedQuestions.objects.filter(article=OuterRef("pk"))
    queue = (
        Article.objects.published()
        .filter(due())
        .annotate(has_list=Exists(missing))
        .order_by("has_list", F("updated_at").desc(), "pk")
    )
    while True:
        articles = [article for article in queue[:batch] if article.pk not in seen]
        if not articles:
            return len(seen)
        for article in articles:
            save(article, compute(article))
            seen.add(article.pk)
            if seconds is not None and time.monotonic() - started >= seconds:
                return len(seen)


def save(article: Article, ids: list[int]) -> None:
    values = {"ids": ids, "text_version": article.content_version, "computed_at": timezone.now()}
    try:
        with transaction.atomic():
            RelatedQuestions.objects.update_or_create(article=article, defaults=values)
    except IntegrityError:  # another host's indexer created it at the same moment
        RelatedQuestions.objects.filter(article=article).update(**values)


SHOWN = 5


def for_page(article: Article, language: str, exclude: list[int]) -> list[Article]:
    """Up to SHOWN published Q&As for a reader of `language`: the kept list first (each id
    re-checked as published), then others on the same topic and on its parent's."""
    # Only what the list and the page's ETag use: the answers stay in the database.
    readable = (
        Article.objects.for_reader(language).exclude(pk__in=exclude).only("question", "language", "version")
    )
    try:
        closest = article.related_questions.ids
    except RelatedQuestions.DoesNotExist:
        closest = []
    shown: list[Article] = []
    if closest:
        found = {other.pk: other for other in readable.filter(pk__in=closest)}
        shown = [found[pk] for pk in closest if pk in found][:SHOWN]
    if len(shown) < SHOWN and article.category_id:
        by_topic = readable.exclude(pk__in=[other.pk for other in shown]).order_by("question", "pk")
        shown += by_topic.filter(category_id=article.category_id)[: SHOWN - len(shown)]
        parent_id = article.category.parent_id
        if len(shown) < SHOWN and parent_id:
            # One lookup per topic, so the database reads the topic index, not the whole table.
            neighbours = Category.objects.filter(Q(pk=parent_id) | Q(parent_id=parent_id)).exclude(
                pk=article.category_id
            )
            shown += by_topic.filter(category_id__in=list(neighbours.values_list("pk", flat=True)))[
                : SHOWN - len(shown)
            ]
    return shown
