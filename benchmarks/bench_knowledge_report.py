"""The knowledge report (/reports/knowledge/), its CSV downloads, and the open-data rebuild and
page: on the demo data (SQLite) and, when BENCH_PG_URL is set, with 1,000,000 inquiries on
PostgreSQL (the database bench_inquiry_list makes and keeps). The nightly counts
(rebuild_open_data) is timed too.

Bars (issue 14, 2 cores): a report page under 1 s server side (aim 0.5 s), each CSV export
under 5 s. The demo writes no search log, so BENCH_SEARCHES searches (default 100,000, a year's
worth for a large city's FAQ) and a "Was this helpful?" answer for every tenth are added once.
"""

from __future__ import annotations

import os
import re
import time
import urllib.request
from datetime import date

from benchmarks.harness import Context, Row, gunicorn, load_row, measure

SEARCHES = int(os.environ.get("BENCH_SEARCHES", "100000"))
WORKERS = 2

SEED = """
import random
from datetime import timedelta
from django.utils import timezone
from knowledgebase.models import Article, Feedback, SearchLog
wanted = {searches}
have = SearchLog.objects.count()
if have < wanted:
    rng = random.Random(14)
    words = ["ごみ", "粗大", "収集", "住民", "票", "転入", "保育", "申込", "手当", "税", "除雪", "犬",
             "登録", "パス", "国保", "年金", "印鑑", "証明", "駐輪", "公園", "図書館", "検診", "予防接種"]
    articles = list(Article.objects.values_list("pk", flat=True)[:2000])
    now = timezone.now()
    rows, feedback = [], []
    for number in range(wanted - have):
        terms = sorted(set(rng.sample(words, rng.randint(1, 3))))
        at = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        opened = rng.choice(articles) if articles and rng.random() < 0.5 else None
        rows.append(SearchLog(query="".join(terms) + "について", normalized=" ".join(terms), language="ja",
                              channel=rng.choice(["public", "public", "operator"]),
                              result_count=0 if rng.random() < 0.3 else rng.randint(1, 20),
                              opened_article_id=opened, created_at=at))
        if articles and number % 10 == 0:
            feedback.append(Feedback(article_id=rng.choice(articles[:300]), helpful=rng.random() < 0.7,
                                     language="ja", created_at=at))
    SearchLog.objects.bulk_create(rows, batch_size=5000)
    Feedback.objects.bulk_create(feedback, batch_size=5000)
print("SEARCHES", SearchLog.objects.count())
"""


def _fiscal_year() -> int:
    today = date.today()
    return today.year if today.month >= 4 else today.year - 1


def _seconds_to_download(url: str, cookie: str | None) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        size = len(response.read())
    return time.perf_counter() - started, size


def _rebuild_seconds(ctx: Context) -> str:
    out = ctx.manage("rebuild_open_data", capture=True)
    match = re.search(r"([\d,]+) counts for (\d+) months in ([\d.]+) s", out)
    return f"{match.group(3)} s ({match.group(1)} cells, {match.group(2)} months)" if match else out.strip()


def _rows(ctx: Context, label: str) -> list[Row]:
    ctx.manage("shell", "-c", SEED.format(searches=SEARCHES))
    rows = [
        Row(f"rebuild_open_data, all months ({label})", "-", _rebuild_seconds(ctx), "one aggregate query")
    ]
    cookie = ctx.session_cookie("leader")
    year = _fiscal_year()
    page = f"/reports/knowledge/?fy={year}"
    with gunicorn(ctx, WORKERS) as base:
        # One request at a time: the time a leader waits for the page (server side, loopback).
        rows.append(
            load_row(f"GET {page}, one at a time ({label})", WORKERS, measure(base, cookie, [page], 1))
        )
        rows.append(
            load_row(
                f"GET /open-data/, {WORKERS * 4} connections ({label})",
                WORKERS,
                measure(base, None, ["/open-data/"], WORKERS * 4),
            )
        )
        for path, who in (
            (f"/reports/knowledge/searches.csv?fy={year}", cookie),
            (f"/reports/knowledge/gaps.csv?fy={year}", cookie),
            ("/open-data/inquiries.csv", None),
        ):
            seconds, size = _seconds_to_download(base + path, who)
            rows.append(Row(f"GET {path} ({label})", WORKERS, f"{seconds:.2f} s", f"{size:,} bytes"))
    return rows


def rows(ctx: Context) -> list[Row]:
    result = _rows(ctx, "demo, SQLite")
    if os.environ.get("BENCH_PG_URL"):
        from benchmarks.bench_inquiry_list import INQUIRIES, _pg_context

        pg = _pg_context(ctx)
        if pg is None:
            result.append(Row("knowledge report (PostgreSQL)", WORKERS, "skipped", "no PostgreSQL"))
        else:
            result += _rows(pg, f"{INQUIRIES:,} inquiries, PostgreSQL")
    return result
