"""The leaders' list of all inquiries filtered by a month, with 1,000,000 inquiries on PostgreSQL.

Bar (issue 12): p95 < 300 ms on 2 cores. Needs a PostgreSQL server: BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432/contactcenter_bench, created when missing). The million
demo inquiries are loaded once (about a minute) and kept for the next run; BENCH_INQUIRIES
sets another number. Without a reachable server the row says so instead of a figure.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date

from benchmarks.harness import Context, Row, gunicorn, load_row, measure

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/contactcenter_bench")
INQUIRIES = int(os.environ.get("BENCH_INQUIRIES", "1000000"))
WORKERS = 2


def _months() -> list[str]:
    """The filter a leader uses: each of the last twelve months, one at a time."""
    today = date.today()
    paths = []
    for back in range(12):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        start = date(year, month + 1, 1)
        end_year, end_month = divmod(year * 12 + month + 1, 12)
        end = date(end_year, end_month + 1, 1).toordinal() - 1
        paths.append(f"/console/inquiries/?received_from={start}&received_to={date.fromordinal(end)}")
    return paths


def _pg_context(ctx: Context) -> Context | None:
    name = PG_URL.rsplit("/", 1)[1]
    host = PG_URL.split("@", 1)[1].split("/", 1)[0].split(":")[0]
    try:
        subprocess.run(["createdb", "-h", host, "-U", "postgres", name], capture_output=True, check=False)
        pg = Context(workdir=ctx.workdir, env={**ctx.env, "DATABASE_URL": PG_URL})
        pg.manage("migrate", "--noinput")
    except (OSError, subprocess.CalledProcessError):
        return None
    pg.manage("load_demo_data", "--force", "--inquiries", str(INQUIRIES))
    return pg


def rows(ctx: Context) -> list[Row]:
    pg = _pg_context(ctx)
    if pg is None:
        return [
            Row("all inquiries, one month (PostgreSQL)", WORKERS, "skipped", f"no PostgreSQL at {PG_URL}")
        ]
    cookie = pg.session_cookie("leader")
    with gunicorn(pg, WORKERS) as base:
        load = measure(base, cookie, paths=_months())
    row = load_row(f"all inquiries, one month, {INQUIRIES:,} on PostgreSQL (leader)", WORKERS, load)
    return [row]
