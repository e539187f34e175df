"""Search at size: importing and indexing N Q&As, then operator search latency.

For each size (BENCH_SEARCH_SIZES, default 2000,20000) a database of its own gets the demo
data plus N synthetic Q&As (benchmarks/corpus.py) through `import_faq --publish`. The
first size is indexed the way production does it, by the indexer applying the log; larger
ones by `rebuild_index`. Then the 310 Japanese evaluation queries run:
- in one process through `search_articles` as the operator console calls it (server-side
  time per search, one at a time, as an operator searches during a call);
- over HTTP through the JSON API on gunicorn, rotating over the same queries.
"""

import os
import re
from urllib.parse import urlencode

from benchmarks.corpus import write_corpus
from benchmarks.harness import ROOT, Context, Row, gunicorn, load_row, measure, prepare, timed
from knowledgebase.search.evaluation import read_queries

SIZES = [int(size) for size in os.environ.get("BENCH_SEARCH_SIZES", "2000,20000").split(",") if size]
BARS_MS = {2000: 100, 20000: 250}


def _latency(ctx: Context) -> tuple[float, float, float, int]:
    out = ctx.script("benchmarks/search_latency.py")
    p50, p95, worst, count = re.search(r"LATENCY (\S+) (\S+) (\S+) (\d+)", out).groups()
    return float(p50), float(p95), float(worst), int(count)


def rows(main: Context) -> list[Row]:
    queries = [
        q.query
        for q in read_queries(ROOT / "knowledgebase" / "evaluation" / "queries.csv")
        if q.language == "ja"
    ]
    paths = ["/api/v1/faq/search?" + urlencode({"q": query}) for query in queries]
    result = []
    for number, size in enumerate(SIZES):
        ctx = prepare(f"kb-{size}")
        corpus = write_corpus(ctx.workdir / "corpus.csv", size)
        imported = timed(ctx, "import_faq", str(corpus), "--publish")
        if number == 0:
            indexed = timed(ctx, "run_indexer", "--once")
            how = "indexer applied the log"
        else:
            indexed = timed(ctx, "rebuild_index")
            how = "rebuild_index"
        result.append(
            Row(
                f"import {size:,} Q&As + indexing",
                "-",
                f"{imported + indexed:6.1f} s",
                f"import {imported:.1f} s, {how} {indexed:.1f} s (bar 60 s at 2,000)",
            )
        )
        p50, p95, worst, count = _latency(ctx)
        bar = BARS_MS.get(size)
        result.append(
            Row(
                f"operator search, {size:,} Q&As (in process)",
                1,
                f"p50 {p50:6.1f} ms, p95 {p95:6.1f} ms",
                f"{count} searches, max {worst:.0f} ms" + (f" (bar p95 < {bar} ms)" if bar else ""),
            )
        )
        with gunicorn(ctx, 2) as base:
            result.append(load_row(f"GET /api/v1/faq/search, {size:,} Q&As", 2, measure(base, paths=paths)))
    return result
