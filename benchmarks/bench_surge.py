"""A disaster surge: 500 citizens at once on the home page and the five most viewed Q&As.

Bar (issue 15): wrk with 500 connections for 30 s, zero errors, p95 < 1 s, and at least half
the throughput of /healthz measured in the same run. The same load with the page cache off
shows what the cache buys.
"""

from __future__ import annotations

import re
import urllib.request

from benchmarks.harness import Context, Row, gunicorn, load_row, measure

CONNECTIONS = 500
SECONDS = 30
WORKERS = 4


def _surge_paths(base: str) -> list[str]:
    """The home page and the first five of its "most viewed" list."""
    with urllib.request.urlopen(f"{base}/", timeout=10) as response:
        home = response.read().decode()
    most_viewed = home.split('class="qa-list"', 1)[1]
    return ["/", *re.findall(r'href="(/faq/\d+/)"', most_viewed)[:5]]


def rows(ctx: Context) -> list[Row]:
    result = []
    with gunicorn(ctx, WORKERS) as base:
        paths = _surge_paths(base)
        health = measure(f"{base}/healthz", connections=CONNECTIONS, duration=SECONDS, runs=1)
        surge = measure(base, paths=paths, connections=CONNECTIONS, duration=SECONDS, runs=1)
    result.append(load_row(f"surge: GET /healthz, {CONNECTIONS} connections", WORKERS, health))
    row = load_row(f"surge: home + 5 most viewed Q&As, {CONNECTIONS} conns", WORKERS, surge)
    row.detail += f"; {surge.requests_per_second / health.requests_per_second:.0%} of /healthz"
    result.append(row)
    with gunicorn(ctx, WORKERS, PUBLIC_PAGE_CACHE_SECONDS="0") as base:
        uncached = measure(base, paths=paths, connections=CONNECTIONS, duration=SECONDS, runs=1)
    result.append(load_row("surge, page cache off (for comparison)", WORKERS, uncached))
    return result
