"""How soon a published change is searchable while four other processes keep saving.

On the 2,000-Q&A database of bench_search. The indexer runs as in production (`run_indexer`, polling every 0.25 s) beside gunicorn;
four busy writers each save a Q&A every 0.25 s; a probe publishes new Q&As one at a time
and polls the JSON API until each is found.
"""

import contextlib
import re
import statistics

from benchmarks.bench_search import knowledge_base
from benchmarks.harness import Context, Row, background, gunicorn

SIZE = 2000  # Q&As in the database
WRITERS = 4
PROBES = 10


def rows(main: Context) -> list[Row]:
    ctx = knowledge_base(SIZE).ctx
    with contextlib.ExitStack() as stack:
        stack.enter_context(background(ctx, "manage.py", "run_indexer"))
        base = stack.enter_context(gunicorn(ctx, 2))
        for seed in range(WRITERS):
            stack.enter_context(background(ctx, "benchmarks/busy_writer.py", str(seed)))
        out = ctx.script("benchmarks/freshness_probe.py", base, str(PROBES))
    delays = [float(value) for value in re.search(r"FRESH (.*)", out).group(1).split()]
    return [
        Row(
            f"publish → searchable, {SIZE:,} Q&As, {WRITERS} writers saving",
            2,
            f"median {statistics.median(delays):.2f} s, max {max(delays):.2f} s",
            f"{len(delays)} Q&As, writers saving 16 Q&As/s in all (bar 2 s)",
        )
    ]
