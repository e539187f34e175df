"""`make bench`: run every benchmarks/bench_*.py and print one table.

Each script exposes `rows(ctx) -> list[Row]`. Select some with BENCH_ONLY=health,staff_home.
Runs, seconds per run and connections: BENCH_RUNS, BENCH_SECONDS, BENCH_CONNECTIONS.
"""

import importlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness


def main() -> None:
    only = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
    scripts = sorted(Path(__file__).parent.glob("bench_*.py"))
    ctx = harness.prepare()
    rows: list[harness.Row] = []
    for script in scripts:
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(f"benchmarks.{script.stem}").rows(ctx))
    print()
    print(
        f"{os.cpu_count()} cores; load generator: {harness.generator_name()}, "
        f"{harness.CONNECTIONS} connections, median of {harness.RUNS} runs × {harness.DURATION:g} s"
    )
    harness.print_table(rows)


if __name__ == "__main__":
    main()
