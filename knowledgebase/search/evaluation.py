"""Measure search quality on a file of citizens' queries: hit@1, hit@5 and MRR@10.

The file is CSV with a header: `query`, `expected` (external ids, `|` between several
equally right answers) and optional `lang` (default `ja`) and `style` (a tag used to
break the figures down, e.g. `hiragana` or `typo`).
"""

from __future__ import annotations

import csv
import io
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from knowledgebase.importing import decode
from knowledgebase.models import Article
from knowledgebase.search.query import SearchResults, search_articles

DEPTH = 10


class EvaluationFileError(ValueError):
    """The query file cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class EvaluationQuery:
    line: int
    query: str
    language: str
    expected: frozenset[str]
    style: str = ""


@dataclass
class Outcome:
    query: EvaluationQuery
    rank: int | None  # 1-based rank of the first right answer within DEPTH, None if missed
    found: list[str]
    seconds: float


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.outcomes)

    def hit_at(self, k: int) -> float:
        if not self.outcomes:
            return 0.0
        return sum(1 for o in self.outcomes if o.rank is not None and o.rank <= k) / len(self.outcomes)

    def mrr(self, k: int = DEPTH) -> float:
        if not self.outcomes:
            return 0.0
        return sum(1 / o.rank for o in self.outcomes if o.rank is not None and o.rank <= k) / len(
            self.outcomes
        )

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
        return [o for o in self.outcomes if o.rank is None or o.rank > k]


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
        expected = frozenset(part.strip() for part in (row.get("expected") or "").split("|") if part.strip())
        if not query or not expected:
            raise EvaluationFileError(f"{path}, line {line}: a query and an expected id are required")
        language = (row.get("lang") or "ja").strip()
        queries.append(EvaluationQuery(line, query, language, expected, (row.get("style") or "").strip()))
    if not queries:
        raise EvaluationFileError(f"{path}: no queries")
    return queries


def check_targets(queries: Iterable[EvaluationQuery]) -> list[str]:
    """Problems with the expected answers: unknown ids, or Q&As the public cannot find."""
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
    """Run each query as the public would and record where the right answer came."""
    report = Report()
    for query in queries:
        started = time.perf_counter()
        results = search(query.query, language=query.language, limit=DEPTH, snippets=False, **options)
        seconds = time.perf_counter() - started
        found = [hit.article.external_id for hit in results.hits]
        rank = next((i for i, external_id in enumerate(found, 1) if external_id in query.expected), None)
        report.outcomes.append(Outcome(query, rank, found, seconds))
    return report
