"""Writes to the knowledge base. Each change that affects search appends to the index log
in the same transaction; the indexer of every host applies it to its local index."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contactcenter.accounts.models import User
from knowledgebase.models import Article, Category, IndexLog, SearchLog, Status
from knowledgebase.search.masking import mask_personal_data


def log_index_change(article_ids: Iterable[int], operation: str = IndexLog.Operation.UPDATE) -> None:
    IndexLog.objects.bulk_create([IndexLog(article_id=pk, operation=operation) for pk in article_ids])


@transaction.atomic
def save_article(*, article: Article, user: User | None = None) -> Article:
    """Create or update a Q&A (any status) and log the change for the index."""
    if article.pk is None:
        article.created_by = user
    else:
        article.version += 1
    article.updated_by = user
    article.full_clean()
    article.save()
    log_index_change([article.pk])
    return article


@transaction.atomic
def publish_article(
    *, article: Article, user: User | None = None, at: timezone.datetime | None = None
) -> Article:
    article.status = Status.PUBLISHED
    if at is not None:
        article.publish_from = at
    return save_article(article=article, user=user)


@transaction.atomic
def withdraw_article(*, article: Article, user: User | None = None) -> Article:
    article.status = Status.ARCHIVED
    return save_article(article=article, user=user)


@transaction.atomic
def save_category(*, category: Category) -> Category:
    """Create or rename a category; its Q&As and its children's are reindexed (names are searched)."""
    category.full_clean()
    category.save()
    log_index_change(
        Article.objects.filter(Q(category=category) | Q(category__parent=category)).values_list(
            "pk", flat=True
        )
    )
    return category


@transaction.atomic
def delete_article(*, article: Article) -> None:
    pk = article.pk
    article.delete()
    log_index_change([pk], IndexLog.Operation.DELETE)


def log_search(*, query: str, language: str, channel: str, result_count: int) -> SearchLog:
    """Record a search with personal data masked (names typed into boxes stay, digits and e-mails do not)."""
    return SearchLog.objects.create(
        query=mask_personal_data(query)[:200],
        language=language,
        channel=channel,
        result_count=result_count,
    )


# A search is linked to the Q&A opened from it only for this long after it was made.
OPENED_WITHIN = timedelta(hours=2)


def record_opened(*, search_id: int, article: Article) -> bool:
    """Note which Q&A a search led to (first one opened); False if the search is unknown or old."""
    updated = SearchLog.objects.filter(
        pk=search_id, opened_article__isnull=True, created_at__gte=timezone.now() - OPENED_WITHIN
    ).update(opened_article=article)
    return bool(updated)


def purge_search_log(*, older_than: timedelta | None = None) -> int:
    """Delete search log rows older than the retention period; returns how many."""
    if older_than is None:
        older_than = timedelta(days=settings.SEARCH_LOG_RETENTION_DAYS)
    deleted, _ = SearchLog.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
