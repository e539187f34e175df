"""BM25F over Whoosh's postings, computed with numpy.

Whoosh scores one posting at a time in Python: a Japanese query widened to a few dozen
terms over 20,000 Q&As means about a million Python calls per search. Here each term's
posting list is read once per index segment (block by block, remembered while the
segment lives), and the scores of all documents are summed in arrays. The formula is
Whoosh's own BM25F (`whoosh.scoring.bm25`, idf `log(N / (df + 1)) + 1`, the query
boost multiplied in), so results match `Searcher.search` with `scoring.BM25F`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.util.numeric import byte_to_length

_LENGTHS = np.array([byte_to_length(code) for code in range(256)], dtype=np.float32)
POSTINGS_KEPT = 4000  # posting lists remembered per process (the common query words)


@dataclass(frozen=True)
class Clause:
    field: str
    word: str
    boost: float


class _Postings:
    lock = threading.Lock()
    lists: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
    lengths: dict[tuple, np.ndarray] = {}


def _segment_key(segment_reader) -> tuple:
    # A segment never changes once written (deletions aside, which the caller's filter handles).
    return (id(segment_reader._storage), segment_reader._segid)


def _read_postings(segment_reader, field: str, word: str) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, term frequencies) of one word in one segment, deleted documents included."""
    key = (*_segment_key(segment_reader), field, word)
    with _Postings.lock:
        found = _Postings.lists.get(key)
        if found is not None:
            _Postings.lists.move_to_end(key)
            return found
    ids: list[int] = []
    weights: list[float] = []
    encoded = word.encode("utf-8")
    if (field, encoded) in segment_reader:
        # The raw leaf matcher: SegmentReader.postings() would wrap it to skip deleted documents.
        matcher = segment_reader._terms.matcher(field, encoded, segment_reader.schema[field].format)
        while matcher.is_active():
            # Whole blocks at a time (the leaf matcher's own block readers).
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    found = (np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32))
    with _Postings.lock:
        _Postings.lists[key] = found
        while len(_Postings.lists) > POSTINGS_KEPT:
            _Postings.lists.popitem(last=False)
    return found


def _field_lengths(segment_reader, field: str) -> np.ndarray:
    """The length of `field` in every document of the segment (Whoosh's one-byte approximation)."""
    key = (*_segment_key(segment_reader), field)
    found = _Postings.lengths.get(key)
    if found is None:
        count = segment_reader.doc_count_all()
        codes = np.zeros(count, dtype=np.uint8)
        column = segment_reader._perdoc._cached_reader(f"_{field}_len", _lengths_column())
        if column is not None and column._count:
            stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
            codes[: len(stored)] = stored[:count]
        found = _LENGTHS[codes]
        with _Postings.lock:
            if len(_Postings.lengths) > 512:
                _Postings.lengths.clear()
            _Postings.lengths[key] = found
    return found


def _lengths_column():
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    return LENGTHS_COLUMN


def bm25f_scores(searcher, clauses: list[Clause], B: float, K1: float) -> np.ndarray:
    """The BM25F score of every document of the index for the clauses (0 where none matched)."""
    reader = searcher.reader()
    scores = np.zeros(reader.doc_count_all(), dtype=np.float32)
    statistics = {}
    for clause in clauses:
        if clause.field not in reader.schema or not reader.doc_frequency(clause.field, clause.word):
            continue  # no document has it (and an empty index has no idf at all)
        idf = searcher.idf(clause.field, clause.word)
        average = searcher.avg_field_length(clause.field) or 1
        statistics[clause] = (idf, average)
    for segment_reader, offset in reader.leaf_readers():
        for clause, (idf, average) in statistics.items():
            ids, frequencies = _read_postings(segment_reader, clause.field, clause.word)
            if not len(ids):
                continue
            lengths = _field_lengths(segment_reader, clause.field)[ids]
            part = idf * (frequencies * (K1 + 1)) / (frequencies + K1 * ((1 - B) + B * lengths / average))
            scores[ids + offset] += clause.boost * part
    return scores


def top_documents(scores: np.ndarray, allowed: np.ndarray, count: int) -> tuple[list[tuple[int, float]], int]:
    """The best `count` allowed documents by score, and how many allowed documents matched at all."""
    candidates = np.flatnonzero((scores > 0) & allowed)
    total = len(candidates)
    if total > count:
        best = candidates[np.argpartition(-scores[candidates], count - 1)[:count]]
    else:
        best = candidates
    ordered = best[np.lexsort((best, -scores[best]))]
    return [(int(docnum), float(scores[docnum])) for docnum in ordered], total


def documents_containing(reader, field: str, word: str) -> np.ndarray:
    """The index-wide numbers of the documents whose `field` holds `word` (deleted ones included)."""
    if field not in reader.schema:
        return np.zeros(0, dtype=np.int64)
    parts = [
        _read_postings(segment_reader, field, word)[0] + offset
        for segment_reader, offset in reader.leaf_readers()
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
