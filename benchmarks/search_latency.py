"""Server-side time of operator searches, in one process: `python benchmarks/search_latency.py`.

Runs the Japanese queries of the shipped evaluation set through `search_articles` as the
operator console does (staff audience, snippets on): the first WARM_UP warm the process,
each other query is timed once, the first time it is seen. Prints `p50 p95 max count`
in milliseconds. Uses the database and index named by the environment.
"""

import statistics
import time

from django_process import ROOT, setup

setup()

WARM_UP = 20

from knowledgebase.search.evaluation import read_queries  # noqa: E402
from knowledgebase.search.query import search_articles, warm_up  # noqa: E402


def main() -> None:
    queries = [
        q.query
        for q in read_queries(ROOT / "knowledgebase" / "evaluation" / "queries.csv")
        if q.language == "ja"
    ]
    warm_up()
    for query in queries[:WARM_UP]:  # the first searches of a fresh worker
        search_articles(query, include_internal=True)
    times = []
    for query in queries[WARM_UP:]:
        started = time.perf_counter()
        search_articles(query, include_internal=True, limit=10)
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    print(f"LATENCY {cuts[49]:.1f} {cuts[94]:.1f} {max(times):.1f} {len(times)}")


if __name__ == "__main__":
    main()
