"""The final ranking of the best hits, and whether they answer the query at all.

BM25F finds the candidates; each of the best RERANK_DEPTH is then scored again with a few
features that BM25F cannot see:

* closeness in meaning of query and question (mean word vectors);
* question coverage: how much of the query (its typed words, by idf; an expansion counts
  at its weight) the question or another phrasing names. Among near-identical Q&As that
  differ in one condition (a lost card, a lost card while abroad), the one naming the
  asked condition wins;
* document coverage: the same over question, answer and keywords (never the contact
  block): a query whose words the Q&A does not hold is not answered by it.

`RankingWeights` holds the weights and the threshold deciding when a hit answers; the
defaults were fitted offline (see DEFAULT_WEIGHTS).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledgebase.search.backend import LANGUAGE_GROUPS
from knowledgebase.search.scoring import documents_containing

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from knowledgebase.search.query import QueryPlan
    from knowledgebase.search.vocabulary import Vocabulary

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RankingWeights:
    closeness: float
    question_cover: float
    document_cover: float
    # A hit answers when confidence >= answer_threshold (see `confidence`).
    answer_threshold: float

    @classmethod
    def from_file(cls, path: str | Path) -> RankingWeights:
        """Weights written by `fit_search_ranking` (missing keys keep their default)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        names = {f.name for f in fields(cls)}
        return cls(**{**asdict(DEFAULT_WEIGHTS), **{k: float(v) for k, v in data.items() if k in names}})

    def to_file(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")


# Fitted by grid search on the `tune` split of knowledgebase/evaluation/blind_queries.csv
# (266 answerable, 43 unanswerable queries; demo knowledge base of 1,796 Q&As): the
# weights maximising MRR@10 over closeness {0, .15, .3, .5, .8} x question cover {0 … 1.2}
# x document cover {0 … .8} (a plateau: .5/.5/.5 does within .005). The threshold is the
# one telling at most 2 % of the answerable tune queries "no answer" (it tells a quarter of
# the unanswerable ones so; a looser one costs more answerable queries on `test` than it
# gains). Refit on a city's own logs with `manage.py fit_search_ranking`.
DEFAULT_WEIGHTS = RankingWeights(
    closeness=0.8,
    question_cover=0.5,
    document_cover=0.3,
    answer_threshold=0.42,
)


@dataclass
class Candidate:
    docnum: int
    pk: int
    bm25: float  # BM25F score over the best one's
    closeness: float = 0.0
    question_cover: float = 0.0
    document_cover: float = 0.0
    score: float = 0.0
    confident: bool = True
    words: str = ""  # the question's words (stored in the index), for its vector
    has_vector: bool = False  # closeness could be measured (Japanese, word vectors installed)

    def confidence(self) -> float:
        """How much the hit looks like an answer: how much of the query it holds, and how
        close its question is in meaning (coverage alone without word vectors)."""
        if not self.has_vector:
            return self.document_cover
        return 0.5 * self.document_cover + 0.5 * self.closeness


def idf(reader, fields_: tuple[str, ...], word: str, documents: int) -> float:
    frequency = max((reader.doc_frequency(f, word) for f in fields_ if f in reader.schema), default=0)
    return max(math.log(max(documents, 1) / (frequency + 1)) + 1.0, 0.1)


def coverage(
    reader,
    docnums: np.ndarray,
    typed: dict[str, float],
    expansions: dict[str, dict[str, float]],
    field_sets: list[tuple[str, ...]],
) -> list[np.ndarray]:
    """Per set of fields, per document: the share (by idf in `typed`) of the typed words it holds.

    A typed word the document lacks still counts at the weight of its best expansion
    (`expansions[typed word] = {expansion: weight}`) that the document holds.
    """
    if not len(docnums) or not typed:
        return [np.zeros(len(docnums), dtype=np.float32) for _ in field_sets]
    # Each candidate's place in `docnums`, looked up by document number (no sorting).
    place = np.full(reader.doc_count_all(), -1, dtype=np.int64)
    place[docnums] = np.arange(len(docnums))
    wanted = {field for fields_ in field_sets for field in fields_}

    def holding(word: str) -> dict[str, np.ndarray]:
        found = {}
        for field in wanted:
            mask = np.zeros(len(docnums), dtype=bool)
            places = place[documents_containing(reader, field, word)]
            mask[places[places >= 0]] = True
            found[field] = mask
        return found

    covered = [np.zeros(len(docnums), dtype=np.float32) for _ in field_sets]
    for word, weight in typed.items():
        credits = [np.zeros(len(docnums), dtype=np.float32) for _ in field_sets]
        for candidate, share in [(word, 1.0), *expansions.get(word, {}).items()]:
            held = holding(candidate)
            for credit, fields_ in zip(credits, field_sets, strict=True):
                mask = np.logical_or.reduce([held[field] for field in fields_])
                np.maximum(credit, np.where(mask, share, 0.0), out=credit)
        for total, credit in zip(covered, credits, strict=True):
            total += weight * credit
    return [total / sum(typed.values()) for total in covered]


def rank(
    best: list[tuple[int, float]],
    plan: QueryPlan,
    language: str,
    vocabulary: Vocabulary | None,
    searcher: Searcher,
    *,
    weights: RankingWeights,
    without: frozenset[str],
    depth: int,
) -> list[Candidate]:
    """The best `depth` hits re-ordered by BM25F, closeness in meaning and coverage; the rest after."""
    if not best:
        return []
    reader = searcher.reader()
    top = best[0][1] or 1.0
    candidates = []
    for docnum, score in best:
        stored = searcher.stored_fields(docnum)
        candidates.append(
            Candidate(docnum, int(stored["django_id"]), score / top, words=stored.get("ja_terms", ""))
        )
    head, tail = candidates[:depth], candidates[depth:]
    group = LANGUAGE_GROUPS.get(language, "ja")
    documents = reader.doc_count_all()
    typed = {
        word: idf(reader, (f"{group}_question", f"{group}_answer"), word, documents) for word in plan.typed
    }
    docnums = np.array([c.docnum for c in head], dtype=np.int64)
    question_fields = (f"{group}_question",)
    document_fields = (f"{group}_question", f"{group}_answer", f"{group}_keywords", "ja_groups")
    question_cover, document_cover = coverage(
        reader, docnums, typed, plan.expansions, [question_fields, document_fields]
    )
    query_vector = None
    if vocabulary is not None and "vector_rerank" not in without:
        query_vector = vocabulary.mean_vector(
            {word: weight for word, weight in plan.words.items() if weight >= 1.0}, reader
        )
    use_coverage = "coverage" not in without
    for index, candidate in enumerate(head):
        candidate.question_cover = float(question_cover[index])
        candidate.document_cover = float(document_cover[index])
        if query_vector is not None:
            vector = vocabulary.question_vector(candidate.words, reader)
            candidate.closeness = float(vector @ query_vector) if vector is not None else 0.0
            candidate.has_vector = True
        candidate.score = candidate.bm25 + weights.closeness * candidate.closeness
        if use_coverage:
            candidate.score += (
                weights.question_cover * candidate.question_cover
                + weights.document_cover * candidate.document_cover
            )
        candidate.confident = candidate.confidence() >= weights.answer_threshold
    head.sort(key=lambda c: -c.score)
    for candidate in tail:
        candidate.score, candidate.confident = candidate.bm25, False
    return head + tail


class _Loaded:
    key: tuple[str, int, int] | None = None
    weights: RankingWeights | None = None


def ranking_weights() -> RankingWeights:
    """DEFAULT_WEIGHTS, or those in the file SEARCH_RANKING_WEIGHTS names (re-read when it changes)."""
    from django.conf import settings

    path = getattr(settings, "SEARCH_RANKING_WEIGHTS", "")
    if not path:
        return DEFAULT_WEIGHTS
    try:
        stat = Path(path).stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if _Loaded.key != key:
            _Loaded.weights, _Loaded.key = RankingWeights.from_file(path), key
    except (OSError, ValueError, TypeError, AttributeError):  # search must not fail on a bad file
        logger.warning("SEARCH_RANKING_WEIGHTS %s cannot be read; using the default weights", path)
        return DEFAULT_WEIGHTS
    return _Loaded.weights or DEFAULT_WEIGHTS
