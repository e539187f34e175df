"""A busy hour on loopback: 50 citizens on the public site and 10 operators logging calls, for
60 s, against gunicorn on a PostgreSQL server of the bench's own; then the same with that
server restarted in the middle.

Bars (issue 15): no error at all in the first run; p95 per page. In the second, once the
database is back not one 500 and no error, and no saved inquiry lost; while it is down, public
pages come from the page cache where they can, and otherwise a 503 with Retry-After.

Each citizen opens the home page, searches, opens a Q&A and sometimes votes, with 0.5-2 s of
reading between pages; each operator opens the console, searches as the caller talks and saves
the inquiry, 1-3 s apart. An operator whose save is refused while the database is down sends
the same form again (the form token makes a double post save once), as the console lets them.
"""

from __future__ import annotations

import random
import re
import statistics
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.client import HTTPConnection
from urllib.parse import quote, urlencode

from benchmarks.harness import Context, PrivatePostgres, Row, gunicorn, prepare, private_postgres

CITIZENS = 50
OPERATORS = 10
SECONDS = 60
RESTART_AT = 25  # seconds into the second run
WARM_UP = 10  # seconds of the same load before the first run, not counted
WORKERS = 4
TIMEOUT_S = 10
STAFF = ["operator", *(f"operator{n}" for n in range(2, 9)), "leader", "leader2"]
CITIZEN_QUERIES = [
    "粗大ごみ", "住民票 コンビニ", "避難所", "児童手当", "保育園 申し込み", "マイナンバーカード 更新",
    "国民健康保険 脱退", "ごみの出し方", "転入届", "犬の登録", "市民税 納付", "ハザードマップ",
]  # fmt: skip
OPERATOR_QUERIES = ["粗大ごみ 申込", "住民票 郵送", "国保 脱退", "児童手当", "転入 手続き", "除雪"]


@dataclass
class Tally:
    """What every request got, by page: latencies of answers, and each status (or failure)."""

    started: float = field(default_factory=time.monotonic)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # (seconds into the run, page, status) of every answer that was not a success.
    failures: list[tuple[float, str, str]] = field(default_factory=list)
    served_stale: int = 0
    saved: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, page: str, began: float, status: str, ok: bool) -> None:
        with self.lock:
            self.statuses[page][status] += 1
            if ok:
                self.latencies[page].append((time.monotonic() - began) * 1000)
            else:
                self.failures.append((began - self.started, page, status))


class Browser:
    """One person's keep-alive connection to gunicorn, with their cookies."""

    def __init__(self, base: str, tally: Tally, cookie: str = "") -> None:
        self.host = base.removeprefix("http://")
        self.base = base
        self.tally = tally
        self.cookies = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
        self.conn = HTTPConnection(self.host, timeout=TIMEOUT_S)

    def request(self, page: str, path: str, form: dict[str, str] | None = None) -> tuple[str, str, str]:
        """(status or failure, body, Location) of one request, noted in the tally."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.base,
                "Referer": f"{self.base}{path}",
            }
        began = time.monotonic()
        try:
            self.conn.request("POST" if form is not None else "GET", path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode(errors="replace")
        except OSError as error:  # refused, reset or timed out: the worst a citizen can get
            self.conn.close()
            self.conn = HTTPConnection(self.host, timeout=TIMEOUT_S)
            self.tally.note(page, began, type(error).__name__, ok=False)
            return type(error).__name__, "", ""
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        status = str(response.status)
        self.tally.note(page, began, status, ok=response.status < 400)
        if response.status == 503 and not response.getheader("Retry-After"):
            self.tally.note(page, began, "503 without Retry-After", ok=False)
        return status, text, response.getheader("Location") or ""


def _citizen(base: str, tally: Tally, stop: float, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(base, tally)
    while time.monotonic() < stop:
        _status, home, _ = browser.request("public: home", "/")
        time.sleep(rng.uniform(0.5, 2))
        query = rng.choice(CITIZEN_QUERIES)
        _status, results, _ = browser.request("public: search", f"/search/?{urlencode({'q': query})}")
        links = re.findall(r'href="(/faq/\d+/)[^"]*"', results + home)
        time.sleep(rng.uniform(0.5, 2))
        if not links:
            continue
        link = rng.choice(links)
        status, _page, _ = browser.request("public: Q&A", link)
        if status == "200" and rng.random() < 0.1:
            form = {"helpful": rng.choice(["yes", "no"])}
            browser.request("public: vote", f"{link}feedback/", form)
        time.sleep(rng.uniform(0.5, 2))


def _operator(base: str, tally: Tally, stop: float, cookie: str, seed: int, run_id: str) -> None:
    rng = random.Random(seed)
    browser = Browser(base, tally, cookie)
    while time.monotonic() < stop:
        status, page, _ = browser.request("console: page", "/console/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        received = re.search(r'name="received_at" value="([^"]+)"', page)
        if status != "200" or not token or not received:
            time.sleep(1)
            continue
        for _ in range(2):
            time.sleep(rng.uniform(1, 3))
            query = urlencode({"q": rng.choice(OPERATOR_QUERIES), "search_lang": "ja"}, quote_via=quote)
            browser.request("console: search", f"/console/search/?{query}")
        summary = f"負荷試験 {run_id} {uuid.uuid4().hex[:12]}"
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "form_token": str(uuid.uuid4()),
            "received_at": received.group(1),
            "channel": "phone", "language": "ja", "kind": "question", "outcome": "resolved",
            "summary": summary, "answer": "粗大ごみ受付センターへの申込みを案内",
            "age_band": "70s", "gender": "female", "caller_type": "resident", "area": "chuo",
            "action": "save",
        }  # fmt: skip
        # The same form again until it is taken (the console keeps what was typed).
        while time.monotonic() < stop + 30:
            status, _page, location = browser.request("console: save", "/console/", form)
            if status == "302" and "/login" not in location:
                with tally.lock:
                    tally.saved.add(summary)
                break
            time.sleep(1)
        time.sleep(rng.uniform(1, 3))


def _run(
    ctx: Context, base: str, postgres: PrivatePostgres | None, run_id: str, seconds: float = SECONDS
) -> tuple[Tally, dict]:
    tally = Tally()
    stop = tally.started + seconds
    cookies = [ctx.session_cookie(name) for name in STAFF]
    threads = [threading.Thread(target=_citizen, args=(base, tally, stop, n)) for n in range(CITIZENS)] + [
        threading.Thread(target=_operator, args=(base, tally, stop, cookies[n], n, run_id))
        for n in range(OPERATORS)
    ]
    for thread in threads:
        thread.start()
    outage: dict = {}
    if postgres is not None:
        time.sleep(RESTART_AT)
        outage["down"] = time.monotonic() - tally.started
        outage["restart_s"] = postgres.restart()
        outage["back"] = time.monotonic() - tally.started
    for thread in threads:
        thread.join()
    return tally, outage


def _saved_in_database(ctx: Context, run_id: str) -> int:
    code = (
        "from inquiries.models import Inquiry\n"
        f"print('COUNT', Inquiry.objects.filter(summary__startswith='負荷試験 {run_id} ').count())"
    )
    out = ctx.manage("shell", "-c", code, capture=True)
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("COUNT")))


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[int(len(values) * 0.95)] if values else float("nan")


def _rows(title: str, ctx: Context, tally: Tally, outage: dict, run_id: str) -> list[Row]:
    rows = []
    for page in sorted(tally.statuses):
        latencies = tally.latencies[page]
        counts = ", ".join(f"{status}: {n}" for status, n in sorted(tally.statuses[page].items()))
        value = (
            f"{len(latencies) / SECONDS:6.1f} req/s, p50 {statistics.median(latencies) if latencies else 0:6.1f} ms, "
            f"p95 {_p95(latencies):6.1f} ms"
        )
        rows.append(Row(f"{title}: {page}", WORKERS, value, counts))
    server_errors = sum(1 for _, _, status in tally.failures if status.startswith("5") and status != "503")
    saved, found = len(tally.saved), _saved_in_database(ctx, run_id)
    if outage:
        after = [f for f in tally.failures if f[0] > outage["back"]]
        during = Counter(status for at, _, status in tally.failures if at <= outage["back"])
        summary = (
            f"restart {outage['restart_s']:.1f} s at {outage['down']:.0f} s; "
            f"failures until back {dict(during)}; after it {len(after)}"
        )
    else:
        summary = f"failures {len(tally.failures)}"
    rows.append(
        Row(
            f"{title}: all",
            WORKERS,
            f"{summary}; 500s {server_errors}",
            f"{CITIZENS} citizens + {OPERATORS} operators, {SECONDS} s; inquiries saved {saved}, "
            f"in the database {found}" + (" (none lost)" if found >= saved else " (LOST SOME)"),
        )
    )
    return rows


def rows(_ctx: Context) -> list[Row]:
    with private_postgres() as postgres:
        if postgres is None:
            return [Row("load on PostgreSQL", "-", "not run", "no PostgreSQL server programs (pg_ctl)")]
        ctx = prepare("load-postgres", database_url=postgres.url, inquiries=20_000)
        ctx.env |= {"FEEDBACK_LIMIT_PER_HOUR": "100000", "FEEDBACK_LIMIT_PER_QA_PER_DAY": "100000"}
        result = []
        with gunicorn(ctx, WORKERS) as base:
            _run(ctx, base, None, "warm-up", seconds=WARM_UP)  # each worker's first searches, the caches
            tally, outage = _run(ctx, base, None, "steady")
            result += _rows("load", ctx, tally, outage, "steady")
            tally, outage = _run(ctx, base, postgres, "restart")
            result += _rows("load + PostgreSQL restart", ctx, tally, outage, "restart")
        return result
