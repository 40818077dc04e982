"""Benchmark: the staff console's pages with 10,000 cases in the database (SQLite).

Run: .venv/bin/python benchmarks/web_pages.py [--cases 10000] [--repeat 30]

Fills a new SQLite database (migrated, the demo accounts, ``web_fill.fill``: valid subjects,
applications with sealed facts, approvals and the HMAC-chained audit trail), starts the real
service (uvicorn, in a thread of this process) and asks it over HTTP, logged in as the demo
caseworker through the login form, for: the queue's first page, a deep page and each filter, the
case page of cases in every state, and the Excel export. Prints the median and the 95th
percentile of each (over ``--repeat`` requests). Target: median under 200 ms for lists and case
pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import uvicorn
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_fill import fill

from jiuye.params import load_parameters
from jiuye.service.api import create_app
from jiuye.service.audit import verify_chain
from jiuye.service.casework import Engine
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.demo import DEMO_PAYER, DemoClock, seed_demo
from jiuye.service.migrate import upgrade
from jiuye.service.models import Application
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings

PASSWORD = "benchmark-password-2025"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _prepare(folder: Path, cases: int) -> tuple[Settings, list[tuple[str, int]]]:
    url = f"sqlite:///{folder / 'bench.db'}"
    settings = Settings(database_url=url, data_dir=folder, master_key=os.urandom(32), payer_account=DEMO_PAYER)
    upgrade(url, audit_key=settings.audit_key)
    db = make_engine(url)
    engine = Engine(load_parameters(), Protector(settings.index_key, settings.encryption_key))
    started = time.perf_counter()
    with transaction(make_sessions(db, audit_key=settings.audit_key)) as session:
        seed_demo(session, engine.protector, PASSWORD)
        counts = fill(session, engine, settings.audit_key, cases)
    with transaction(make_sessions(db, audit_key=settings.audit_key)) as session:
        report = verify_chain(session)
        assert report.intact, report.message()  # the audit rows are linked as the service links them
        samples = []
        for state in counts:
            query = select(Application.id).where(Application.state == state, Application.region == "450103")
            samples += [(state, i) for i in session.scalars(query.order_by(Application.id).limit(4))]
    db.dispose()
    print(f"filled {cases} cases in {time.perf_counter() - started:.1f} s: {counts}")
    return settings, samples


class _Client:
    """A browser-like client: keeps the cookies, logs in through the form with its CSRF value."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(self.base + quote(path, safe="/?=&"), timeout=60) as answer:
            return answer.status, answer.read()

    def login(self, username: str) -> None:
        _, page = self.get("/login")
        found = re.search(rb'name="csrf" value="([^"]+)"', page)
        assert found
        form = urlencode({"username": username, "password": PASSWORD, "csrf": found.group(1).decode()}).encode()
        with self.opener.open(self.base + "/login", data=form, timeout=60) as answer:
            assert answer.status == 200, answer.status  # followed to /staff


def _serve(settings: Settings) -> tuple[uvicorn.Server, str]:
    app = create_app(settings, demo_clock=DemoClock(dt.date(2025, 12, 1)))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def _measure(client: _Client, label: str, paths: list[str], repeat: int) -> tuple[str, float, float]:
    client.get(paths[0])  # warm: templates compiled, caches filled
    times = []
    for i in range(repeat):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        status, body = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200 and body, (path, status)
    median, p95 = statistics.median(times), _percentile(times, 0.95)
    print(f"{label:<44} median {median:7.1f} ms   p95 {p95:7.1f} ms   (n={len(times)})")
    return label, median, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite")
    with tempfile.TemporaryDirectory() as folder:
        settings, samples = _prepare(Path(folder), args.cases)
        server, base = _serve(settings)
        try:
            client = _Client(base)
            client.login("clerk")
            _, first = client.get("/staff?queue=all&per_page=20")
            pages = int(re.search(rb"\xe7\xac\xac \d+/(\d+) \xe9\xa1\xb5", first).group(1))  # type: ignore[union-attr]
            runs = [
                ("queue 待受理, first page", ["/staff"]),
                ("queue 全部, first page", ["/staff?queue=all"]),
                (f"queue 全部, deep page ({pages - 1} of {pages})", [f"/staff?queue=all&page={pages - 1}"]),
                ("queue 待审核, 100 a page", ["/staff?queue=review&per_page=100"]),
                ("filter: measure", ["/staff?queue=all&measure=gx.expansion"]),
                ("filter: source 主动", ["/staff?queue=all&source=proactive"]),
                ("filter: date range", ["/staff?queue=all&date_from=2025-07-01&date_to=2025-07-31"]),
                ("filter: subject name", ["/staff?queue=all&name=基准测试00042"]),
                ("filter: all together, deep page", [
                    "/staff?queue=all&measure=gx.expansion&source=applied&date_from=2025-06-01&date_to=2025-09-30"
                    "&name=基准测试&page=50"]),
                ("case page (every state)", [f"/staff/cases/{i}" for _, i in samples]),
                ("export 待受理 (Excel, every filtered row)", ["/staff/queue.xlsx?queue=intake"]),
                ("export 全部 (Excel, every row of the region)", ["/staff/queue.xlsx?queue=all"]),
            ]  # fmt: skip
            results = [_measure(client, label, paths, args.repeat) for label, paths in runs]
        finally:
            server.should_exit = True
    slow = [label for label, median, _ in results if median >= 200 and "export" not in label]
    print("target (median < 200 ms for lists and case pages):", "met" if not slow else f"NOT met: {slow}")


if __name__ == "__main__":
    main()
