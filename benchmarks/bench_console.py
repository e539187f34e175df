"""The operator console: the page, the search as the operator types, and saving a call.

Bars (issue 12, 2 cores): console page p95 < 100 ms, search-as-you-type p95 < 50 ms, saving
an inquiry p95 < 100 ms, with the demo data (2,000 Q&As order, 100,000 inquiries).
"""

from __future__ import annotations

import re
import statistics
import threading
import time
import uuid
from http.client import HTTPConnection
from urllib.parse import quote, urlencode

from benchmarks.harness import DURATION, Context, Row, gunicorn, load_row, measure

# What operators type while a caller explains (prefixes included: the search runs as they type).
TYPED = [
    "粗大", "粗大ごみ", "粗大ごみ 申込", "住民票", "住民票 郵送", "マイナンバーカード 暗証番号", "国保 脱退",
    "児童手当", "保育園 入園", "ごみ 収集日", "除雪", "敬老パス", "犬 登録", "転入 手続き", "市民税 納付",
]  # fmt: skip
SAVERS = 2
WORKERS = 2


def _save_latencies(base: str, cookie: str) -> tuple[list[float], int]:
    """POST new inquiries for DURATION seconds from SAVERS connections; latency of each save."""
    host = base.removeprefix("http://")
    conn = HTTPConnection(host, timeout=10)
    conn.request("GET", "/console/", headers={"Cookie": cookie})
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    received_at = re.search(r'name="received_at" value="([^"]+)"', page).group(1)
    cookies = f"{cookie}; csrftoken={csrf_cookie.group(1)}" if csrf_cookie else cookie
    conn.close()
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + DURATION

    def saver() -> None:
        nonlocal errors
        conn = HTTPConnection(host, timeout=10)
        while time.monotonic() < stop:
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "form_token": str(uuid.uuid4()),
                    "received_at": received_at,
                    "channel": "phone",
                    "language": "ja",
                    "kind": "question",
                    "outcome": "resolved",
                    "summary": "粗大ごみの出し方",
                    "answer": "粗大ごみ受付センターへの申込みを案内",
                    "age_band": "70s",
                    "gender": "female",
                    "caller_type": "resident",
                    "area": "chuo",
                    "settled_q": "粗大ごみ 出し方",
                    "settled_total": "12",
                    "action": "save",
                }
            )
            started = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    "/console/",
                    body=body,
                    headers={
                        "Cookie": cookies,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"{base}/console/",
                    },
                )
                response = conn.getresponse()
                response.read()
                ok = response.status == 302
            except OSError:
                conn.close()
                conn = HTTPConnection(host, timeout=10)
                ok = False
            with lock:
                if ok:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1

    threads = [threading.Thread(target=saver) for _ in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), errors


def rows(ctx: Context) -> list[Row]:
    cookie = ctx.session_cookie("operator")
    paths = [f"/console/search/?{urlencode({'q': q, 'search_lang': 'ja'}, quote_via=quote)}" for q in TYPED]
    with gunicorn(ctx, WORKERS) as base:
        result = [
            load_row("GET /console/ (operator)", WORKERS, measure(f"{base}/console/", cookie)),
            load_row("search as the operator types", WORKERS, measure(base, cookie, paths=paths)),
        ]
        latencies, errors = _save_latencies(base, cookie)
    p50 = statistics.median(latencies) if latencies else float("nan")
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    detail = f"{SAVERS} operators saving at once" + (f", {errors} errors" if errors else "")
    result.append(
        Row(
            "save an inquiry (POST /console/)",
            WORKERS,
            f"{len(latencies) / DURATION:7.0f} saves/s, p50 {p50:6.1f} ms, p95 {p95:6.1f} ms",
            detail,
        )
    )
    return result
