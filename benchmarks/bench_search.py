"""Search at size: importing and indexing N Q&As, then operator search latency.

For each size (BENCH_SEARCH_SIZES, default 2000,20000) a database of its own gets the demo
data plus N synthetic Q&As (benchmarks/corpus.py) through `import_faq --publish`. The
first size is indexed the way production does it, by the indexer applying the log; larger
ones by `rebuild_index`; then the indexer computes the questions' sentence vectors. Then the
310 Japanese evaluation queries run:
- in one process through `search_articles` as the operator console calls it (server-side
  time per search, one at a time, as an operator searches during a call; each query is
  timed the first time the process sees it, so no cache flatters it);
- over HTTP through the JSON API on gunicorn, rotating over the same queries.
"""

import csv
import os
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from benchmarks.corpus import write_corpus
from benchmarks.harness import ROOT, Context, Row, gunicorn, load_row, measure, prepare, timed

SIZES = [int(size) for size in os.environ.get("BENCH_SEARCH_SIZES", "2000,20000").split(",") if size]
BARS_MS = {2000: 100, 20000: 250}
VECTOR_BUDGET_S = 120


def _latency(ctx: Context) -> tuple[float, float, float, int]:
    out = ctx.script("benchmarks/search_latency.py")
    p50, p95, worst, count = re.search(r"LATENCY (\S+) (\S+) (\S+) (\d+)", out).groups()
    return float(p50), float(p95), float(worst), int(count)


@dataclass
class KnowledgeBase:
    ctx: Context
    size: int
    imported_s: float
    indexed_s: float
    how: str
    vectors_s: float
    vectors_done: str
    related_s: float | None = None


_BUILT: dict[int, KnowledgeBase] = {}


def knowledge_base(size: int) -> KnowledgeBase:
    """A database of its own with the demo data plus `size` synthetic Q&As, imported and indexed.

    Up to 2,000 Q&As the indexer applies the import's log, as in production; beyond that
    rebuild_index builds the index. Built once per `make bench` (the freshness bench reuses it).
    """
    if size not in _BUILT:
        ctx = prepare(f"kb-{size}", vectors=False)  # computed (and timed) below, with the import's
        corpus = write_corpus(ctx.workdir / "corpus.csv", size)
        imported = timed(ctx, "import_faq", str(corpus), "--publish")
        related_s = None
        if size <= 2000:
            indexed = timed(ctx, "run_indexer", "--once", "--skip-related", "--skip-vectors")
            how = "indexer applied the log"
        else:
            indexed, how = timed(ctx, "rebuild_index", "--skip-vectors"), "rebuild_index"
        # What run_indexer then does in the background: every Q&A's sentence vector (search ranks
        # without them until then), and up to 2,000 Q&As every Q&A's related Q&As. Beyond 2,000 the
        # vectors (~30 ms a Q&A on one core) get VECTOR_BUDGET_S, newest first: enough for the
        # searches to cost what they will once all are there (a query's vector, 50 dot products).
        if size <= 2000:
            vectors = timed(ctx, "run_indexer", "--once", "--skip-related")
            vectors_done = "all (with the demo's)"
            related_s = timed(ctx, "run_indexer", "--once")
        else:
            code = f"from knowledgebase.search import sentences; print('VECTORS', sentences.refresh(seconds={VECTOR_BUDGET_S}))"
            started = time.monotonic()
            out = ctx.manage("shell", "-c", code, capture=True)
            vectors = time.monotonic() - started
            vectors_done = next(line.split()[1] for line in out.splitlines() if line.startswith("VECTORS"))
        _BUILT[size] = KnowledgeBase(ctx, size, imported, indexed, how, vectors, vectors_done, related_s)
    return _BUILT[size]


def _published_ids(ctx: Context) -> list[int]:
    code = (
        "from knowledgebase.models import Article; "
        "print('IDS', *Article.objects.published().values_list('pk', flat=True))"
    )
    out = ctx.manage("shell", "-c", code, capture=True)
    return [int(pk) for pk in next(line for line in out.splitlines() if line.startswith("IDS")).split()[1:]]


def rows(main: Context) -> list[Row]:
    with (ROOT / "knowledgebase" / "evaluation" / "queries.csv").open(encoding="utf-8", newline="") as file:
        queries = [row["query"] for row in csv.DictReader(file) if (row.get("lang") or "ja") == "ja"]
    paths = ["/api/v1/faq/search?" + urlencode({"q": query}) for query in queries]
    pages = ["/search/?" + urlencode({"q": query}) for query in queries]
    result = []
    for size in SIZES:
        kb = knowledge_base(size)
        result.append(
            Row(
                f"import {size:,} Q&As + indexing",
                "-",
                f"{kb.imported_s + kb.indexed_s:6.1f} s",
                f"import {kb.imported_s:.1f} s, {kb.how} {kb.indexed_s:.1f} s (bar 60 s at 2,000)",
            )
        )
        result.append(
            Row(
                f"question vectors for {size:,} Q&As (run_indexer, background)",
                1,
                f"{kb.vectors_s:6.1f} s",
                f"{kb.vectors_done} computed; each new or changed question once, in production a little per poll",
            )
        )
        if kb.related_s is not None:
            result.append(
                Row(
                    f"related Q&As for {size:,} Q&As (run_indexer, background)",
                    1,
                    f"{kb.related_s:6.1f} s",
                    "one search per Q&A; in production a little per poll",
                )
            )
        p50, p95, worst, count = _latency(kb.ctx)
        bar = BARS_MS.get(size)
        result.append(
            Row(
                f"operator search, {size:,} Q&As (in process)",
                1,
                f"p50 {p50:6.1f} ms, p95 {p95:6.1f} ms",
                f"{count} queries each seen once, max {worst:.0f} ms"
                + (f" (bar p95 < {bar} ms)" if bar else ""),
            )
        )
        with gunicorn(kb.ctx, 2) as base:
            result.append(load_row(f"GET /api/v1/faq/search, {size:,} Q&As", 2, measure(base, paths=paths)))
            if size <= 2000:  # the public pages' bars are set at 2,000 Q&As
                result.append(
                    load_row(f"GET /search/ (results page), {size:,} Q&As", 2, measure(base, paths=pages))
                )
                articles = [f"/faq/{pk}/" for pk in _published_ids(kb.ctx)]
                result.append(
                    load_row(
                        f"GET /faq/<id>/ (article page), {size:,} Q&As", 2, measure(base, paths=articles)
                    )
                )
                # 50 visitors at once, each opening the next page as soon as one arrives: a mix of
                # the home page, results pages and Q&A pages, every request bounded by a timeout.
                visitors = ["/"]
                for results_page, first, second in zip(
                    pages, articles, reversed(articles), strict=False
                ):  # a search, then a Q&A or two
                    visitors += [results_page, first, second]
                result.append(
                    load_row(
                        f"50 concurrent visitors (home, results, Q&A pages), {size:,} Q&As",
                        2,
                        measure(base, paths=visitors, connections=50),
                    )
                )
    return result
