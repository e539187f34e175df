"""The supervisors' dashboards over a whole fiscal year with 1,000,000 inquiries on PostgreSQL.

Bars (issue 14): each dashboard page under 1 s server side on 2 cores (aim 0.5 s), each CSV
under 5 s. Uses the same PostgreSQL database as bench_inquiry_list (BENCH_PG_URL,
BENCH_INQUIRIES). Times are measured inside one Django process (no network, no load): the
median and the slowest of BENCH_REPORT_RUNS (5) requests, with the page's query count.
"""

from __future__ import annotations

from benchmarks.bench_inquiry_list import INQUIRIES, PG_URL, _pg_context
from benchmarks.harness import Context, Row


def rows(ctx: Context) -> list[Row]:
    pg = _pg_context(ctx)
    if pg is None:
        return [Row("reports (PostgreSQL)", 1, "skipped", f"no PostgreSQL at {PG_URL}")]
    out = pg.script("benchmarks/report_timing.py")
    result = []
    for line in out.splitlines():
        if not line.startswith("TIME\t"):
            continue
        _tag, name, median, slowest, queries = line.split("\t")
        result.append(
            Row(
                f"report: {name}, last fiscal year, {INQUIRIES:,} inquiries (PostgreSQL)",
                1,
                f"median {median} ms",
                f"slowest {slowest} ms, {queries} queries",
            )
        )
    return result
