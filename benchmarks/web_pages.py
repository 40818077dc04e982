"""Benchmark: the lists and case pages with 10,000 cases in the database (SQLite or PostgreSQL).

Run: .venv/bin/python benchmarks/web_pages.py [--database sqlite|postgresql] [--cases 10000] [--repeat 30]

Fills a new database (SQLite in a temporary folder, or a schema of its own on the PostgreSQL
server ``--postgres-url``, dropped afterwards; migrated, the demo accounts, ``web_fill.fill``:
valid subjects, applications with sealed facts, approvals and the HMAC-chained audit trail, a
fifth of the cases the demo enterprise's; ``web_fill_payments``: payment batches of the paid and
approved cases, graduates in the 1131 ledger), starts the real service (uvicorn, in a thread of
this process) and asks it over HTTP, logged in through the login form as the user each page is
for: the caseworker's queue (first page, a deep page, each filter), case pages in every state and
the Excel export; the public notice board; the enterprise's own list and status pages; finance's
batches and a batch; the auditor's audit trail; the 1131 ledger. Prints the median and the 95th
percentile of each (over ``--repeat`` requests) in a table. Target: median under 200 ms for lists
and case pages (exports are shown, not held to it).
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
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import uvicorn
from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_fill import fill
from web_fill_payments import fill_ledger, fill_payments

from jiuye.params import load_parameters
from jiuye.service.api import create_app
from jiuye.service.audit import verify_chain
from jiuye.service.casework import Engine
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.demo import DEMO_PAYER, DemoClock, seed_demo
from jiuye.service.migrate import upgrade
from jiuye.service.models import Application, User
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings

PASSWORD = "benchmark-password-2025"
POSTGRES = os.environ.get("JIUYE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_MS = 200


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextmanager
def _database(kind: str, folder: Path, postgres: str) -> Iterator[tuple[str, str]]:
    """A new database's URL and its server's version: a SQLite file, or a PostgreSQL schema of its
    own (dropped afterwards, as the tests' ``new_database`` does)."""
    if kind == "sqlite":
        import sqlite3

        yield f"sqlite:///{folder / 'bench.db'}", f"SQLite {sqlite3.sqlite_version}"
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar_one()
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{postgres}?options=-csearch_path%3D{schema}", f"PostgreSQL {version}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@dataclass
class Samples:
    """Ids the pages are asked for: cases by state (the caseworker's, the enterprise's own), batches."""

    staff: list[int] = field(default_factory=list)
    own: list[int] = field(default_factory=list)
    batches: list[int] = field(default_factory=list)


def _prepare(url: str, folder: Path, cases: int) -> tuple[Settings, Samples]:
    settings = Settings(database_url=url, data_dir=folder, master_key=os.urandom(32), payer_account=DEMO_PAYER)
    upgrade(url, audit_key=settings.audit_key)
    db = make_engine(url)
    engine = Engine(load_parameters(), Protector(settings.index_key, settings.encryption_key))
    started = time.perf_counter()
    samples = Samples()
    with transaction(make_sessions(db, audit_key=settings.audit_key)) as session:
        seed_demo(session, engine.protector, PASSWORD)
        counts = fill(session, engine, settings.audit_key, cases)
        session.flush()
        samples.batches = fill_payments(session, engine.protector, settings.audit_key, settings.fingerprint_key)
        graduates = fill_ledger(session, engine.protector, settings.audit_key, max(1, cases // 10))
    with transaction(make_sessions(db, audit_key=settings.audit_key)) as session:
        report = verify_chain(session)
        assert report.intact, report.message()  # the audit rows are linked as the service links them
        own = select(User.subject_id).where(User.username == "qiye").scalar_subquery()
        for state in counts:
            query = select(Application.id).where(Application.state == state).order_by(Application.id).limit(4)
            samples.staff += session.scalars(query.where(Application.region == "450103", Application.subject_id != own))
            samples.own += session.scalars(query.where(Application.subject_id == own))
    db.dispose()
    elapsed = time.perf_counter() - started
    print(f"filled {cases} cases, {len(samples.batches)} batches, {graduates} graduates, {report.events} audit events"
          f" in {elapsed:.1f} s: {counts}")  # fmt: skip
    return settings, samples


class _Client:
    """A browser-like client: keeps the cookies, logs in through the form with its CSRF value."""

    def __init__(self, base: str, username: str | None = None) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        if username:
            self.login(username)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + quote(path, safe="/?=&"), timeout=60) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:  # say which page answered what, with its message
            found = re.search(rb'class="notice error"[^>]*>(.*?)<', exc.read(), re.S)
            raise AssertionError(f"{path}: {exc.code} {found.group(1).decode() if found else ''}") from None

    def login(self, username: str) -> None:
        _, page = self.get("/login")
        found = re.search(rb'name="csrf" value="([^"]+)"', page)
        assert found
        form = urlencode({"username": username, "password": PASSWORD, "csrf": found.group(1).decode()}).encode()
        with self.opener.open(self.base + "/login", data=form, timeout=60) as answer:
            assert answer.status == 200, answer.status  # followed to the user's home page


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
    print(f"  {label:<46} median {median:7.1f} ms   p95 {p95:7.1f} ms", flush=True)
    return label, median, p95


def _last_page(client: _Client, path: str) -> int:
    """The number of pages a list says it has (第 1/N 页)."""
    _, first = client.get(path)
    found = re.search(rb"\xe7\xac\xac \d+/(\d+) \xe9\xa1\xb5", first)
    assert found, path
    return int(found.group(1))


def _runs(base: str, samples: Samples) -> list[tuple[_Client, str, list[str]]]:
    clerk, public, firm = _Client(base, "clerk"), _Client(base), _Client(base, "qiye")
    finance, auditor = _Client(base, "finance"), _Client(base, "auditor")
    queue = _last_page(clerk, "/staff?queue=all&per_page=20")
    notices = _last_page(public, "/notices")
    mine = _last_page(firm, "/my/applications")
    audit = _last_page(auditor, "/admin/audit")
    batch = samples.batches[0]
    payments = _last_page(finance, f"/staff/batches/{batch}")
    return [
        (clerk, "queue 待受理, first page", ["/staff"]),
        (clerk, "queue 全部, first page", ["/staff?queue=all"]),
        (clerk, f"queue 全部, deep page ({queue - 1} of {queue})", [f"/staff?queue=all&page={queue - 1}"]),
        (clerk, "queue 待审核, 100 a page", ["/staff?queue=review&per_page=100"]),
        (clerk, "queue filter: measure", ["/staff?queue=all&measure=gx.expansion"]),
        (clerk, "queue filter: source 主动", ["/staff?queue=all&source=proactive"]),
        (clerk, "queue filter: date range", ["/staff?queue=all&date_from=2025-07-01&date_to=2025-07-31"]),
        (clerk, "queue filter: subject name", ["/staff?queue=all&name=基准测试00042"]),
        (clerk, "queue filter: all together, deep page", [
            "/staff?queue=all&measure=gx.expansion&source=applied&date_from=2025-06-01&date_to=2025-09-30"
            "&name=基准测试&page=50"]),
        (clerk, "case page (every state)", [f"/staff/cases/{i}" for i in samples.staff]),
        (public, "notices 公示, first page", ["/notices"]),
        (public, f"notices 公示, deep page ({notices - 1} of {notices})", [f"/notices?page={notices - 1}"]),
        (public, "notices 公示, region 450103", ["/notices?region=450103"]),
        (firm, "my applications, first page", ["/my/applications"]),
        (firm, f"my applications, deep page ({mine - 1} of {mine})", [f"/my/applications?page={mine - 1}"]),
        (firm, "my application status (every state)", [f"/my/applications/{i}" for i in samples.own]),
        (finance, "batches, first page", ["/staff/batches"]),
        (finance, f"batch page, first page (of {payments})", [f"/staff/batches/{batch}"]),
        (finance, "batch page, last page", [f"/staff/batches/{batch}?page={payments}"]),
        (auditor, "audit trail, first page", ["/admin/audit"]),
        (auditor, f"audit trail, deep page ({audit - 1} of {audit})", [f"/admin/audit?page={audit - 1}"]),
        (auditor, "audit trail, filter: entity batch", ["/admin/audit?entity=batch"]),
        (auditor, "audit trail, filter: action, actor", ["/admin/audit?action=application.&actor=clerk"]),
        (clerk, "1131 ledger, first page", ["/staff/ledger"]),
        (clerk, "1131 ledger, overdue only", ["/staff/ledger?overdue=1"]),
        (clerk, "export 待受理 (Excel, every filtered row)", ["/staff/queue.xlsx?queue=intake"]),
        (clerk, "export 全部 (Excel, every row of the region)", ["/staff/queue.xlsx?queue=all"]),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES, help="a server and database to make a schema in")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, _database(args.database, Path(folder), args.postgres_url) as (
        url, version):  # fmt: skip
        machine = f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}, {version}"
        print(f"machine: {machine}")
        settings, samples = _prepare(url, Path(folder), args.cases)
        server, base = _serve(settings)
        try:
            results = [_measure(client, label, paths, args.repeat) for client, label, paths in _runs(base, samples)]
        finally:
            server.should_exit = True
    print(f"\n{args.cases} cases; {machine}; median and p95 of {args.repeat} requests")
    print(f"| page | median ms | p95 ms | target met (median < {TARGET_MS} ms) |\n|---|---:|---:|---|")
    for label, median, p95 in results:
        met = "(export: not a target)" if label.startswith("export") else ("yes" if median < TARGET_MS else "no")
        print(f"| {label} | {median:.1f} | {p95:.1f} | {met} |")
    slow = [label for label, median, _ in results if median >= TARGET_MS and not label.startswith("export")]
    print("target (median < 200 ms for lists and case pages):", "met" if not slow else f"NOT met: {slow}")


if __name__ == "__main__":
    main()
