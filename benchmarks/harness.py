"""Shared pieces of `make bench`: a prepared database, gunicorn on loopback, a load generator.

Throughput and latency come from wrk (Debian package) when it is installed, otherwise
from a small threaded Python client; the table says which, and how much of the
machine's CPU the load generator itself used, since it shares the cores with gunicorn.
"""

from __future__ import annotations

import contextlib
import os
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
# Requests unanswered after this many seconds count as errors.
TIMEOUT_S = 5
WRK_ROTATE = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %f %f %f %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


@dataclass
class Row:
    name: str
    workers: int | str
    value: str
    detail: str = ""


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    errors: int
    generator_cpu_share: float


@dataclass
class Context:
    """Everything the row scripts share: environment, database, a logged-in session."""

    workdir: Path
    env: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            text=True,
            capture_output=capture,
            stdout=None if capture else subprocess.DEVNULL,
        )
        return result.stdout if capture else ""

    def script(self, path: str, *args: str) -> str:
        """Run a helper script of benchmarks/ with this context's environment; return its output."""
        return subprocess.run(
            [PYTHON, path, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=True
        ).stdout

    def session_cookie(self, username: str) -> str:
        """A valid session cookie for `username`, made without going through the login form."""
        if username not in self.cookies:
            code = (
                "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, "
                "HASH_SESSION_KEY\n"
                "from django.contrib.sessions.backends.db import SessionStore\n"
                f"u = get_user_model().objects.get(username={username!r})\n"
                "s = SessionStore()\n"
                "s[SESSION_KEY] = str(u.pk)\n"
                "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
                "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
                "s.set_expiry(3600)\n"
                "s.save()\n"
                "print('KEY', s.session_key)\n"
            )
            out = self.manage("shell", "-c", code, capture=True)
            self.cookies[username] = next(
                line.split()[1] for line in out.splitlines() if line.startswith("KEY")
            )
        return f"sessionid={self.cookies[username]}"


_BASE_DIR = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="contactcenter-bench-"))


def prepare(
    name: str = "main",
    database_url: str | None = None,
    inquiries: int | None = None,
    *,
    vectors: bool = True,
) -> Context:
    """A database and index of their own under the bench directory, with the demo data.

    The main one is on SQLite (or BENCH_DATABASE_URL) with the default demo inquiries; the
    others on SQLite without inquiries, unless `database_url` and `inquiries` say otherwise.
    With `vectors`, the questions' sentence vectors are computed too, so that searches cost
    what they do on a host whose indexer has computed them.
    """
    workdir = _BASE_DIR / name
    workdir.mkdir(parents=True, exist_ok=True)
    if database_url is None:
        database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
        if name == "main":
            database_url = os.environ.get("BENCH_DATABASE_URL", database_url)
    if inquiries is None and name != "main":
        inquiries = 0
    env = {
        **os.environ,
        "DEBUG": "0",
        # gunicorn serves plain HTTP on loopback: no HTTPS redirect, no Secure-only cookies.
        "ALLOW_PLAIN_HTTP": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_BASE_URL": "http://127.0.0.1",  # gunicorn() names the port it serves on
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(workdir / "search_index"),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        "SESSION_COOKIE_AGE": "3600",
        **({} if inquiries is None else {"DEMO_INQUIRIES": str(inquiries)}),
    }
    ctx = Context(workdir=workdir, env=env)
    ctx.manage("migrate", "--noinput")
    ctx.manage("load_demo_data", "--force")
    ctx.manage("collectstatic", "--noinput")
    ctx.manage("rebuild_index", *([] if vectors else ["--skip-vectors"]))
    return ctx


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of the bench's own, which it may restart under load."""

    pg_ctl: list[str]
    datadir: Path
    log: Path
    url: str

    def restart(self) -> float:
        """A real restart (every connection cut, shut down, started); seconds it took."""
        started = time.monotonic()
        self.run("-w", "-m", "fast", "restart")
        return time.monotonic() - started

    def run(self, *args: str) -> None:
        # The server's output goes to its log: a pipe would stay open as long as the server runs.
        command = [*self.pg_ctl, "-D", str(self.datadir), "-l", str(self.log), *args]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres | None]:
    """initdb and start a throwaway server on a free loopback port (None without the server's
    programs); stopped and deleted afterwards. As root, it runs as the `postgres` user."""
    bindir = _postgres_bin()
    if bindir is None:
        yield None
        return
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    home = Path(tempfile.mkdtemp(prefix="contactcenter-bench-pg-"))
    if as_user:
        shutil.chown(home, "postgres")
    datadir, port = home / "data", _free_port()
    pg_ctl = [*as_user, str(bindir / "pg_ctl")]
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)  # fmt: skip
    server = PrivatePostgres(pg_ctl, datadir, home / "log", f"postgres://postgres@127.0.0.1:{port}/postgres")
    server.run("-w", "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {home}", "start")
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.run("-m", "immediate", "stop")
        shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def background(ctx: Context, *args: str) -> Iterator[subprocess.Popen]:
    """A long-running process (the indexer, a busy writer) for the length of a benchmark."""
    proc = subprocess.Popen([PYTHON, *args], cwd=ROOT, env=ctx.env, stdout=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def timed(ctx: Context, *args: str) -> float:
    """Seconds a manage.py command takes, start-up included."""
    started = time.perf_counter()
    ctx.manage(*args)
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(ctx: Context, workers: int, **environ: str) -> Iterator[str]:
    """gunicorn on a free loopback port; `environ` overrides settings for this server alone."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "contactcenter.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**ctx.env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", **environ},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("gunicorn did not come up") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrk_once(
    url: str,
    cookie: str | None,
    paths: list[str] | None = None,
    connections: int = CONNECTIONS,
    duration: float = DURATION,
) -> tuple[int, float, float, float, int, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    rotate = WRK_ROTATE % ", ".join(_lua_string(p) for p in paths) if paths else ""
    script.write_text(rotate + WRK_SCRIPT)
    # A request unanswered after TIMEOUT_S counts as an error: latency stays bounded or shows.
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration:g}s", f"--timeout={TIMEOUT_S}s", "-s", str(script)]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cpu_before = _children_cpu()
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    cpu = _children_cpu() - cpu_before
    script.unlink()
    fields = next(line.split()[1:] for line in out.splitlines() if line.startswith("BENCH"))
    count, seconds, p50, p95, errors = (
        int(fields[0]),
        float(fields[1]),
        *map(float, fields[2:4]),
        int(fields[4]),
    )
    return count, seconds, p50, p95, errors, cpu


def _python_once(
    url: str,
    cookie: str | None,
    paths: list[str] | None = None,
    connections: int = CONNECTIONS,
    duration: float = DURATION,
) -> tuple[int, float, float, float, int, float]:
    host, _, rest = url.removeprefix("http://").partition("/")
    rotation = paths or ["/" + rest]
    counter = iter(range(10**12))
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker() -> None:
        nonlocal errors
        conn = HTTPConnection(host, timeout=TIMEOUT_S)
        headers = {"Cookie": cookie} if cookie else {}
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", rotation[next(counter) % len(rotation)], headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                conn.close()
                conn = HTTPConnection(host, timeout=TIMEOUT_S)
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    cpu_before = time.process_time()
    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    cpu = time.process_time() - cpu_before
    latencies.sort()
    p50 = latencies[len(latencies) // 2] if latencies else float("nan")
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    return len(latencies), seconds, p50, p95, errors, cpu


def generator_name() -> str:
    return "wrk" if shutil.which("wrk") else "python threads"


def measure(
    url: str,
    cookie: str | None = None,
    paths: list[str] | None = None,
    connections: int = CONNECTIONS,
    *,
    duration: float = DURATION,
    runs: int = RUNS,
) -> Load:
    """Median over `runs` runs of requests/s, p50 and p95 latency at `connections` connections.

    With `paths`, requests rotate over them (url is then the base URL).
    """
    once = _wrk_once if shutil.which("wrk") else _python_once
    # Warm-up: imports, connection pools, template caches.
    once(url, cookie, paths, connections, min(duration, DURATION))
    results = [once(url, cookie, paths, connections, duration) for _ in range(runs)]
    cores = os.cpu_count() or 1
    return Load(
        requests_per_second=statistics.median(count / seconds for count, seconds, *_ in results),
        p50_ms=statistics.median(run[2] for run in results),
        p95_ms=statistics.median(run[3] for run in results),
        errors=sum(run[4] for run in results),
        generator_cpu_share=statistics.median(run[5] / (run[1] * cores) for run in results),
    )


def format_load(load: Load) -> str:
    return f"{load.requests_per_second:7.0f} req/s, p50 {load.p50_ms:6.1f} ms, p95 {load.p95_ms:6.1f} ms"


def load_row(name: str, workers: int, load: Load) -> Row:
    detail = f"load generator CPU {load.generator_cpu_share:.0%}"
    if load.errors:
        detail += f", {load.errors} errors"
    return Row(name, workers, format_load(load), detail)


def print_table(rows: list[Row]) -> None:
    headers = ("benchmark", "workers", "result", "notes")
    table = [headers, *[(r.name, str(r.workers), r.value, r.detail) for r in rows]]
    widths = [max(len(str(line[i])) for line in table) for i in range(4)]
    for i, line in enumerate(table):
        print(" | ".join(str(cell).ljust(widths[j]) for j, cell in enumerate(line)))
        if i == 0:
            print("-+-".join("-" * w for w in widths))
