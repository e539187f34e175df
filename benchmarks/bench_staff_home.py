"""Throughput and latency of the staff home for a logged-in operator (session, user, groups)."""

from benchmarks.harness import Context, Row, gunicorn, load_row, measure


def rows(ctx: Context) -> list[Row]:
    cookie = ctx.session_cookie("operator")
    result = []
    for workers in (2, 4):
        with gunicorn(ctx, workers) as base:
            result.append(
                load_row("GET /accounts/ (operator)", workers, measure(f"{base}/accounts/", cookie))
            )
    return result
