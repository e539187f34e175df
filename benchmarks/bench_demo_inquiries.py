"""How long `make run`'s demo data takes: `load_demo_data --inquiries 100000` into a fresh
SQLite database (migrated first, untimed), then again (it adds nothing the second time)."""

import re
import time

from benchmarks.harness import Context, Row

COUNT = 100_000


def rows(main: Context) -> list[Row]:
    workdir = main.workdir.parent / "demo-inquiries"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "db.sqlite3").unlink(missing_ok=True)
    ctx = Context(workdir=workdir, env={**main.env, "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}"})
    ctx.manage("migrate", "--noinput")
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        out = ctx.manage("load_demo_data", "--force", "--inquiries", str(COUNT), capture=True)
        runs.append((time.perf_counter() - started, out))
    (first, out), (again, _out) = runs
    inquiries = re.search(r"Demo inquiries: ([\d,]+) added in ([\d.]+) s", out)
    return [
        Row(
            f"load_demo_data --inquiries {COUNT:,} (SQLite, fresh)",
            "-",
            f"{first:.1f} s",
            f"whole command (start-up, logins, Q&As); the {inquiries.group(1)} inquiries alone "
            f"{inquiries.group(2)} s; second run (adds nothing) {again:.1f} s",
        )
    ]
