"""Applies the index log to this host's index, rebuilds it, and heals drift.

Sequence ids are not committed in id order (a long import holds thousands while
others commit), so remembering only the highest id applied could skip a row that
commits later. Each pass therefore also re-reads the rows created within LOOKBACK
and applies those it has not applied yet; applying a row is idempotent (it reads the
article's current state). A periodic reconcile compares index and database so that
any drift, such as a transaction open longer than LOOKBACK, heals by itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max, Q
from django.utils import timezone

from knowledgebase.models import IndexLog
from knowledgebase.search.backend import (
    SCHEMA_VERSION,
    Generation,
    IndexStore,
    JapaneseWhooshSearchBackend,
    backend,
    backend_for,
)
from knowledgebase.search_indexes import ArticleIndex, document_for

logger = logging.getLogger(__name__)

LOOKBACK = timedelta(minutes=10)
BATCH = 500
SMALL_SEGMENT_DOCUMENTS = 1000
MERGE_WHEN_SMALL_SEGMENTS = 6
OPTIMIZE_WHEN_SEGMENTS = 12


def indexed_articles():
    return ArticleIndex().index_queryset()


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy for the indexer's frequent small commits.

    Whoosh's default policy sometimes folds the big segment into a merge, which holds
    the indexer (and so every change waiting to become searchable) for seconds. Here
    only small segments are merged, once enough have piled up; `reconcile` optimises
    the whole index when there are many segments.
    """
    from whoosh.reading import SegmentReader

    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_DOCUMENTS]
    if len(small) < MERGE_WHEN_SMALL_SEGMENTS:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]


def out_of_date(target: JapaneseWhooshSearchBackend, article_ids: set[int]) -> set[int]:
    """Those of the articles whose indexed version differs from the database's (or is missing)."""
    if not article_ids:
        return set()
    in_database = dict(indexed_articles().filter(pk__in=article_ids).values_list("pk", "version"))
    with target.index.searcher() as searcher:
        in_index = {}
        for pk in article_ids:
            docnum = searcher.document_number(id=f"knowledgebase.article.{pk}")
            if docnum is not None:
                in_index[pk] = searcher.stored_fields(docnum).get("version")
    return {pk for pk in article_ids if in_index.get(pk) != in_database.get(pk)}


def write(target: JapaneseWhooshSearchBackend, article_ids: set[int]) -> None:
    """Bring the given articles' documents in line with the database, in one commit."""
    if not article_ids:
        return
    live = {article.pk: article for article in indexed_articles().filter(pk__in=article_ids)}
    writer = target.index.writer(timeout=60)
    try:
        for pk in article_ids:
            if pk in live:
                writer.update_document(**document_for(live[pk]))
            else:
                writer.delete_by_term("id", f"knowledgebase.article.{pk}")
    except Exception:
        writer.cancel()
        raise
    writer.commit(mergetype=merge_small_segments)


def rebuild(store: IndexStore | None = None) -> Generation:
    """Build a complete new generation beside the live one, then switch atomically."""
    store = store or backend().store
    started = timezone.now()
    high = IndexLog.objects.aggregate(high=Max("id"))["high"] or 0
    generation = store.create()
    target = backend_for(generation)
    writer = target.index.writer(timeout=60, procs=1, limitmb=256)
    count = 0
    for article in indexed_articles().iterator(chunk_size=BATCH):
        writer.add_document(**document_for(article))
        count += 1
    writer.commit()
    generation.save_position(
        {"high": high, "built_at": started.isoformat(), "documents": count, "schema": SCHEMA_VERSION}
    )
    store.switch_to(generation)
    logger.info("Search index rebuilt: %s documents in %s", count, generation.name)
    return generation


@dataclass
class Indexer:
    """Keeps one host's index up to date from the shared index log."""

    lookback: timedelta = LOOKBACK
    applied: dict[int, datetime] = field(default_factory=dict)
    generation_name: str = ""

    def apply_pending(self) -> int:
        """Apply every log row not applied yet; return how many rows were applied."""
        target = backend()
        target.ensure_current()
        generation = target.generation
        if generation.name != self.generation_name:
            # A new generation (rebuild) has its own position; forget what was applied to the old one.
            self.applied.clear()
            self.generation_name = generation.name
        position = generation.position()
        high = int(position.get("high", 0))
        now = timezone.now()
        rows = [
            row
            for row in IndexLog.objects.filter(Q(id__gt=high) | Q(created_at__gte=now - self.lookback))
            .order_by("id")
            .values_list("id", "article_id", "created_at")
            if row[0] not in self.applied
        ]
        if rows:
            # Rows above the position are new. Rows below it not applied by this process
            # are late commits, or were applied before a restart: write only those whose
            # index document differs from the database (a restart must not redo an import).
            new = {article_id for row_id, article_id, _ in rows if row_id > high}
            earlier = {article_id for row_id, article_id, _ in rows if row_id <= high} - new
            write(target, new | out_of_date(target, earlier))
            self.applied.update({row_id: created for row_id, _, created in rows})
            position["high"] = max(high, rows[-1][0])
            position["applied_at"] = now.isoformat()
            generation.save_position(position)
        cutoff = now - self.lookback
        self.applied = {row_id: created for row_id, created in self.applied.items() if created >= cutoff}
        return len(rows)

    def reconcile(self) -> int:
        """Compare index and database; fix every difference. Returns the number fixed."""
        target = backend()
        target.ensure_current()
        with target.index.searcher() as searcher:
            segments = len(list(searcher.reader().leaf_readers()))
            in_index = {
                int(fields["django_id"]): fields.get("version")
                for fields in searcher.all_stored_fields()
                if fields.get("django_ct") == "knowledgebase.article"
            }
        in_database = dict(indexed_articles().values_list("pk", "version"))
        drifted = {
            pk for pk in in_index.keys() | in_database.keys() if in_index.get(pk) != in_database.get(pk)
        }
        if drifted:
            logger.warning("Search index drifted from the database on %s Q&As; fixing", len(drifted))
            write(target, drifted)
        if segments >= OPTIMIZE_WHEN_SEGMENTS:
            target.index.optimize()  # one segment again: searches read fewer posting lists
        position = target.generation.position()
        position["checked_at"] = timezone.now().isoformat()
        target.generation.save_position(position)
        return len(drifted)


def prune_log(*, older_than: timedelta) -> int:
    deleted, _ = IndexLog.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


def read_through(target: JapaneseWhooshSearchBackend | None = None) -> int:
    """Read every part of the live generation a search decodes: the term dictionary, each
    term's postings and each document's stored fields. Returns the number of documents;
    raises what an unreadable (corrupted, truncated) file raises, which a cheaper look can
    miss. About 5 s for 6,800 Q&As."""
    target = target or backend()
    target.ensure_current()
    with target.index.reader() as reader:
        for fieldname in reader.indexed_field_names():
            for term in reader.lexicon(fieldname):
                for _docnum in reader.postings(fieldname, term).all_ids():
                    pass
        for _docnum, _stored in reader.iter_docs():
            pass
        return reader.doc_count()


def restore_if_unreadable() -> bool:
    """Rebuild the live generation when it cannot be read through; True when it was rebuilt.

    A search that failed on the index marks it suspect (`IndexStore.mark_suspect`): either it
    reads through, and the mark was not the index's fault, or a complete new generation
    replaces it, as `rebuild_index` would.
    """
    store = backend().store
    try:
        read_through()
    except Exception as error:
        logger.error("Search index %s is unreadable (%r): rebuilding it", store.current_name(), error)
        rebuild()
        store.clear_suspect()
        return True
    store.clear_suspect()
    return False
