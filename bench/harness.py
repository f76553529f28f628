"""Benchmark harness: a generated database, gunicorn on loopback, a keep-alive load generator.

Every figure is printed as one `name: value` line. A rate is a ratio to the baseline (bench/bare.py,
served the same way), from ROUNDS rounds that each measure the bare endpoint and then the page back
to back, with the same client, concurrency and warm-up; the line gives the median and the spread,
`name: median  (min…max, n rounds)`, and flags a spread over 15 % of the median.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SPREAD_LIMIT = 0.15
SECRET = "bench-secret-key-not-for-production"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start in time")


def gunicorn(app_spec: str, env: dict, port: int, log_path: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "--keep-alive", "30", app_spec]
    # Server errors go to a file (a pipe nobody reads would block the workers once full).
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                                   stdout=subprocess.DEVNULL, stderr=log)
    _wait_for(port, process)
    return process


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    statuses: dict

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load(base_url: str, path: str, *, method: str = "GET", seconds: float = SECONDS,
         concurrency: int = CONCURRENCY, headers: dict | None = None,
         make_body: Callable[[int, int], tuple[bytes, str]] | None = None,
         expect: tuple[int, ...] = (200, 302, 304)) -> Load:
    """Hit one path from `concurrency` threads on keep-alive connections for `seconds`.

    make_body(thread_index, request_index) returns (body, content_type) for POSTs.
    """
    host = urlsplit(base_url)
    counts = [0] * concurrency
    errors = [0] * concurrency
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    barrier = threading.Barrier(concurrency)

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        barrier.wait()
        n = 0
        while time.monotonic() < stop_at:
            body, hdrs = None, dict(headers or {})
            if make_body is not None:
                body, ctype = make_body(i, n)
                hdrs["Content-Type"] = ctype
            try:
                conn.request(method, path, body=body, headers=hdrs)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
                errors[i] += 1
                continue
            n += 1
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            if status in expect:
                counts[i] += 1
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Load(sum(counts), sum(errors), time.monotonic() - started, statuses)


class Bench:
    """What a bench module gets: the app, the data set, the running server and the baseline."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="eventhub-bench-")
        tmp = Path(self.tmp.name)
        from eventhub.config import normalise_database_url

        shared = os.environ.get("BENCH_DATABASE_URL")
        self.database_url = normalise_database_url(shared) if shared else f"sqlite:///{tmp / 'bench.db'}"
        self.bare_database_url = normalise_database_url(shared) if shared else f"sqlite:///{tmp / 'bare.db'}"
        self.processes: list[subprocess.Popen] = []
        self.failures: list[str] = []
        self.app = None
        self.dataset = None
        self.base_url = ""
        self.baseline_rps = 0.0

    # --- set-up ---------------------------------------------------------------------------------
    def setup(self) -> None:
        from flask_migrate import upgrade

        from bench.dataset import build
        from eventhub import create_app

        env = self.server_env()
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": SECRET,
                               "RATELIMIT_ENABLED": False, "MAIL_DIR": str(Path(self.tmp.name) / "mail")})
        with self.app.app_context():
            upgrade()
        started = time.perf_counter()
        self.dataset = build(self.app)
        self.report("dataset.build_s", round(time.perf_counter() - started, 2))

        bare_port = free_port()
        bare_url = self.bare_database_url
        if bare_url.startswith("sqlite"):
            sa.create_engine(bare_url).dispose()
        engine = sa.create_engine(bare_url)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bench_hits (id INTEGER PRIMARY KEY, path VARCHAR(100))"
                                 if engine.dialect.name == "sqlite" else
                                 "CREATE TABLE IF NOT EXISTS bench_hits (id SERIAL PRIMARY KEY, path VARCHAR(100))")
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
        self.processes.append(gunicorn("bench.bare:app", {"BARE_DATABASE_URL": bare_url}, bare_port,
                                       Path(self.tmp.name) / "bare.log"))
        self.bare_url = f"http://127.0.0.1:{bare_port}"

        port = free_port()
        self.server_log = Path(self.tmp.name) / "server.log"
        self.processes.append(gunicorn("wsgi:app", env, port, self.server_log))
        self.base_url = f"http://127.0.0.1:{port}"

        # gunicorn listens before its workers have loaded the app: wait for them, or the baseline
        # would share the CPU with their start-up.
        load(self.base_url, "/", seconds=2, concurrency=WORKERS * 2)
        self.report("baseline.bare_insert_rps", round(self.measure_baseline(), 1))

    def server_env(self) -> dict:
        return {"DATABASE_URL": self.database_url, "SECRET_KEY": SECRET, "EVENTHUB_ENV": "production", "PUBLIC_BASE_URL": "http://127.0.0.1",
                "RATELIMIT_ENABLED": "0", "MAIL_DIR": str(Path(self.tmp.name) / "mail"),
                "SESSION_COOKIE_SECURE": "0"}

    def close(self) -> None:
        log = getattr(self, "server_log", None)
        if log is not None and log.exists() and b"Traceback" in log.read_bytes():
            print("# the server logged errors:", file=sys.stderr)
            print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.tmp.cleanup()

    # --- for bench modules ---------------------------------------------------------------------
    def report(self, name: str, value) -> None:
        print(f"{name}: {value}", flush=True)

    def measure_baseline(self) -> float:
        load(self.bare_url, "/bare", seconds=1)  # warm up
        self.baseline_rps = load(self.bare_url, "/bare").rps
        return self.baseline_rps

    def report_ratio(self, name: str, path: str, *, rps_name: str | None = None, **kwargs) -> float:
        """Measure `path` against the baseline in ROUNDS rounds; print the ratio's median and spread
        (and the page's median rate as `rps_name`). Returns the median ratio."""
        concurrency = kwargs.get("concurrency", CONCURRENCY)
        warm_up = {k: v for k, v in kwargs.items() if k != "seconds"}
        rates, ratios = [], []
        for _ in range(ROUNDS):
            load(self.bare_url, "/bare", seconds=1, concurrency=concurrency)
            bare = load(self.bare_url, "/bare", concurrency=concurrency).rps
            load(self.base_url, path, seconds=1, **warm_up)
            result = load(self.base_url, path, **kwargs)
            if result.errors:
                self.failures.append(f"{path}: {result.errors} unexpected answers {result.statuses}")
            rates.append(result.rps)
            ratios.append(result.rps / bare if bare else 0.0)
            self.baseline_rps = bare
        if rps_name:
            self.report(rps_name, round(statistics.median(rates), 1))
        return self.report_rounds(name, ratios)

    def report_rounds(self, name: str, ratios: list[float]) -> float:
        """Print `name: median  (min…max, n rounds)` and flag a spread over SPREAD_LIMIT."""
        median = statistics.median(ratios)
        low, high = min(ratios), max(ratios)
        spread = (high - low) / median if median else 0.0
        flag = f"  SPREAD {spread:.0%} > {SPREAD_LIMIT:.0%}" if spread > SPREAD_LIMIT else ""
        print(f"{name}: {median:.3f}  ({low:.3f}…{high:.3f}, {len(ratios)} rounds){flag}", flush=True)
        if flag:
            self.failures.append(f"{name}: spread {spread:.0%} over {len(ratios)} rounds; measure on a quieter machine")
        return round(median, 3)

    def median_get_ms(self, path: str, headers: dict, runs: int = 9) -> float:
        """The median answer time of `runs` GETs of `path` on one connection, after one to warm up."""
        host = urlsplit(self.base_url)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        times = []
        for i in range(runs + 1):
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
            if i:  # the first request warms the worker up
                times.append((time.perf_counter() - started) * 1000)
        conn.close()
        return statistics.median(times)

    def login(self, email: str, password: str) -> dict:
        """Log in through the real form (CSRF included); returns headers carrying the session cookie."""
        host = urlsplit(self.base_url)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        conn.request("GET", "/login")
        response = conn.getresponse()
        page = response.read().decode()
        cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page)
        body = urlencode({"email": email, "password": password, "csrf_token": token.group(1) if token else ""})
        conn.request("POST", "/login", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = conn.getresponse()
        response.read()
        session_cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
        conn.close()
        if response.status != 302 or not session_cookie:
            raise RuntimeError(f"bench log-in as {email} failed ({response.status})")
        return {"Cookie": session_cookie}

    def csrf_token(self, headers: dict, path: str) -> str:
        """A CSRF token valid for the session in `headers`, read from the form at `path`."""
        host = urlsplit(self.base_url)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        conn.request("GET", path, headers=headers)
        page = conn.getresponse().read().decode()
        conn.close()
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if not match:
            raise RuntimeError(f"no CSRF token in {path}")
        return match.group(1)
