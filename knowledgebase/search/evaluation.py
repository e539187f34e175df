"""Measure search quality on a file of citizens' queries.

The file is CSV with a header: `query`, `expected` (external ids, `|` between several
equally right answers, or `-` when the knowledge base has no answer) and optional `lang`
(default `ja`), `style` (a tag used to break the figures down, e.g. `hiragana` or
`typo`) and `split` (`tune` or `test`: weights are fitted on the one, judged on the other).

Figures over answerable queries: hit@1, hit@5, MRR@10 and the share whose right answer is
nowhere in the top DEPTH. Over all queries: the Q&As most often first when they are not
the answer ("hubs"). And whether search knew when it had no answer.
"""

from __future__ import annotations

import csv
import io
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from knowledgebase.importing import decode
from knowledgebase.models import Article
from knowledgebase.search.query import SearchResults, ranked_candidates, search_articles
from knowledgebase.search.ranking import Candidate, RankingWeights

DEPTH = 50  # how deep each search looks for the right answer
MRR_DEPTH = 10
HUBS = 8
NO_ANSWER = "-"


class EvaluationFileError(ValueError):
    """The query file cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class EvaluationQuery:
    line: int
    query: str
    language: str
    expected: frozenset[str]  # empty: the knowledge base has no answer
    style: str = ""
    split: str = ""

    @property
    def answerable(self) -> bool:
        return bool(self.expected)


@dataclass
class Outcome:
    query: EvaluationQuery
    rank: int | None  # 1-based rank of the first right answer within DEPTH, None if missed
    found: list[str]
    seconds: float
    answered: bool = True  # search said it had an answer

    @property
    def wrong_first(self) -> str | None:
        """The first result when it is not a right answer."""
        return self.found[0] if self.found and self.rank != 1 else None


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.outcomes)

    @property
    def answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.query.answerable]

    @property
    def unanswerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.query.answerable]

    def hit_at(self, k: int) -> float:
        return _share(self.answerable, lambda o: o.rank is not None and o.rank <= k)

    def mrr(self, k: int = MRR_DEPTH) -> float:
        outcomes = self.answerable
        if not outcomes:
            return 0.0
        return sum(1 / o.rank for o in outcomes if o.rank is not None and o.rank <= k) / len(outcomes)

    def nowhere(self) -> float:
        """Share of answerable queries whose right answer is not in the top DEPTH."""
        return _share(self.answerable, lambda o: o.rank is None)

    def wrong_firsts(self) -> list[tuple[str, int]]:
        """The Q&As first where they are not the answer, most often first, over all queries."""
        return Counter(o.wrong_first for o in self.outcomes if o.wrong_first).most_common()

    def hub_share(self, hubs: int = HUBS) -> tuple[int, float]:
        """(count, share of all queries) whose wrong first result is one of the `hubs` most frequent."""
        top = {external_id for external_id, _ in self.wrong_firsts()[:hubs]}
        count = sum(1 for o in self.outcomes if o.wrong_first in top)
        return count, count / len(self.outcomes) if self.outcomes else 0.0

    def told_no_answer(self) -> float:
        """Share of unanswerable queries search said it had no answer for (goal: at least 70 %)."""
        return _share(self.unanswerable, lambda o: not o.answered)

    def wrongly_told_no_answer(self) -> float:
        """Share of answerable queries search said it had no answer for (goal: at most 5 %)."""
        return _share(self.answerable, lambda o: not o.answered)

    def latency_ms(self, quantile: float) -> float:
        times = sorted(o.seconds * 1000 for o in self.outcomes)
        if not times:
            return 0.0
        if len(times) == 1:
            return times[0]
        return statistics.quantiles(times, n=100, method="inclusive")[round(quantile * 100) - 1]

    def by(self, key: Callable[[EvaluationQuery], str]) -> dict[str, Report]:
        groups: dict[str, Report] = defaultdict(Report)
        for outcome in self.outcomes:
            groups[key(outcome.query)].outcomes.append(outcome)
        return dict(sorted(groups.items()))

    def misses(self, k: int = 5) -> list[Outcome]:
        return [o for o in self.answerable if o.rank is None or o.rank > k]


def _share(outcomes: list[Outcome], test: Callable[[Outcome], bool]) -> float:
    return sum(1 for o in outcomes if test(o)) / len(outcomes) if outcomes else 0.0


def read_queries(path: str | Path) -> list[EvaluationQuery]:
    """Read and check a query file; raise EvaluationFileError naming the first bad line."""
    try:
        text = decode(Path(path).read_bytes())
    except OSError as error:
        raise EvaluationFileError(f"{path}: {error.strerror}") from error
    reader = csv.DictReader(io.StringIO(text))
    missing = {"query", "expected"} - set(reader.fieldnames or [])
    if missing:
        raise EvaluationFileError(f"{path}: the header lacks {', '.join(sorted(missing))}")
    queries = []
    for row in reader:
        line = reader.line_num
        query = (row.get("query") or "").strip()
        raw_expected = (row.get("expected") or "").strip()
        expected = frozenset(part.strip() for part in raw_expected.split("|") if part.strip())
        if raw_expected == NO_ANSWER:
            expected = frozenset()
        elif not expected or NO_ANSWER in expected:
            expected = frozenset()
            raw_expected = ""
        if not query or not raw_expected:
            raise EvaluationFileError(
                f"{path}, line {line}: a query and an expected id (or {NO_ANSWER} for none) are required"
            )
        language = (row.get("lang") or "ja").strip()
        style, split = (row.get("style") or "").strip(), (row.get("split") or "").strip()
        queries.append(EvaluationQuery(line, query, language, expected, style, split))
    if not queries:
        raise EvaluationFileError(f"{path}: no queries")
    return queries


def check_targets(queries: Iterable[EvaluationQuery]) -> list[str]:
    """Problems with the expected answers: unknown ids, or Q&As the public cannot find."""
    queries = list(queries)
    wanted = {external_id for q in queries for external_id in q.expected}
    published = set(
        Article.objects.published().filter(external_id__in=wanted).values_list("external_id", flat=True)
    )
    return [
        f"line {q.line}: {external_id} is not a published public Q&A"
        for q in queries
        for external_id in sorted(q.expected)
        if external_id not in published
    ]


def evaluate(
    queries: Iterable[EvaluationQuery],
    *,
    search: Callable[..., SearchResults] = search_articles,
    **options: object,
) -> Report:
    """Run each query as the public would and record where the right answer came.

    The whole ranking is read (not only the hits public search would keep), with whether
    search said it had an answer.
    """
    report = Report()
    for query in queries:
        started = time.perf_counter()
        results = search(query.query, language=query.language, limit=DEPTH, snippets=False, **options)
        seconds = time.perf_counter() - started
        found = [hit.article.external_id for hit in results.hits]
        originals = _originals(results)
        rank = next(
            (
                i
                for i, hit in enumerate(results.hits, 1)
                if hit.article.external_id in query.expected
                or originals.get(hit.article.translation_of_id) in query.expected
            ),
            None,
        )
        report.outcomes.append(Outcome(query, rank, found, seconds, results.answered))
    return report


def _originals(results: SearchResults) -> dict[int, str]:
    """The external ids of the Japanese originals of the translations found, by pk: a reader who
    finds the translation has found the answer, and search never shows both."""
    pks = {hit.article.translation_of_id for hit in results.hits if hit.article.translation_of_id}
    if not pks:
        return {}
    return dict(Article.objects.filter(pk__in=pks).values_list("pk", "external_id"))


@dataclass
class Judged:
    """A judged query and the features of its best hits (external id, candidate), fetched once."""

    query: EvaluationQuery
    candidates: list[tuple[str, Candidate]]


@dataclass(frozen=True)
class Fit:
    hit1: float
    hit5: float
    mrr: float
    told_no_answer: float
    wrongly_told_no_answer: float

    def line(self) -> str:
        return (
            f"hit@1 {self.hit1:.3f}  hit@5 {self.hit5:.3f}  MRR@{MRR_DEPTH} {self.mrr:.3f}  "
            f"no answer told {self.told_no_answer:.3f}  wrongly {self.wrongly_told_no_answer:.3f}"
        )


# The grid `fit_weights` searches (the one DEFAULT_WEIGHTS were chosen on).
CLOSENESS_GRID = (0.0, 0.15, 0.3, 0.5, 0.8)
QUESTION_COVER_GRID = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2)
DOCUMENT_COVER_GRID = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8)
SENTENCE_GRID = (0.0, 2.0, 4.0, 6.0, 8.0, 12.0)
MAX_WRONGLY_TOLD = 0.03


def judge(queries: Iterable[EvaluationQuery]) -> list[Judged]:
    """Fetch the ranking features of each query's best hits, once, for fitting."""
    queries = list(queries)
    judged = []
    external_ids: dict[int, str] = {}
    for query in queries:
        candidates = ranked_candidates(query.query, language=query.language)
        missing = {c.pk for c in candidates} - external_ids.keys()
        if missing:
            external_ids.update(Article.objects.filter(pk__in=missing).values_list("pk", "external_id"))
        judged.append(Judged(query, [(external_ids.get(c.pk, ""), c) for c in candidates]))
    return judged


def measure(judged: list[Judged], weights: RankingWeights) -> Fit:
    """The figures the judged queries would give with these weights (no search runs)."""
    ranks: list[int | None] = []
    unanswered = {True: 0, False: 0}
    for item in judged:
        scored = sorted(item.candidates, key=lambda pair: -pair[1].ranking_score(weights))
        answered = bool(scored) and scored[0][1].confidence() >= weights.answer_threshold
        unanswered[item.query.answerable] += not answered
        if item.query.answerable:
            found = [external_id for external_id, _ in scored]
            ranks.append(next((i for i, e in enumerate(found, 1) if e in item.query.expected), None))
    answerable = len(ranks) or 1
    unanswerable = sum(1 for item in judged if not item.query.answerable) or 1
    return Fit(
        hit1=sum(1 for r in ranks if r == 1) / answerable,
        hit5=sum(1 for r in ranks if r is not None and r <= 5) / answerable,
        mrr=sum(1 / r for r in ranks if r is not None and r <= MRR_DEPTH) / answerable,
        told_no_answer=unanswered[False] / unanswerable,
        wrongly_told_no_answer=unanswered[True] / answerable,
    )


def fit_weights(judged: list[Judged], start: RankingWeights) -> RankingWeights:
    """The grid's weights with the best MRR@10 (closeness and coverage together, then the sentence
    weight with those held); a new no-answer threshold only when some judged queries have no
    answer (the one telling at most MAX_WRONGLY_TOLD of the others so)."""
    best = start
    best_mrr = measure(judged, start).mrr
    for closeness in CLOSENESS_GRID:
        for question_cover in QUESTION_COVER_GRID:
            for document_cover in DOCUMENT_COVER_GRID:
                weights = replace(
                    best, closeness=closeness, question_cover=question_cover, document_cover=document_cover
                )
                mrr = measure(judged, weights).mrr
                if mrr > best_mrr + 1e-9:
                    best, best_mrr = weights, mrr
    for sentence in SENTENCE_GRID:
        weights = replace(best, sentence=sentence)
        mrr = measure(judged, weights).mrr
        if mrr > best_mrr + 1e-9:
            best, best_mrr = weights, mrr
    if any(not item.query.answerable for item in judged):
        confidences = []
        for item in judged:
            if item.query.answerable and item.candidates:
                top = max(item.candidates, key=lambda pair: pair[1].ranking_score(best))
                confidences.append(top[1].confidence())
        if confidences:
            threshold = float(np.quantile(confidences, MAX_WRONGLY_TOLD))
            best = replace(best, answer_threshold=round(threshold, 3))
    return best
