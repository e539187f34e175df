"""Throughput and latency of the trivial health view (the floor for any page)."""

from benchmarks.harness import Context, Row, gunicorn, load_row, measure


def rows(ctx: Context) -> list[Row]:
    result = []
    for workers in (2, 4):
        with gunicorn(ctx, workers) as base:
            result.append(load_row("GET /healthz", workers, measure(f"{base}/healthz")))
    return result
