"""Benchmark: claim submission and approval throughput and latency, on SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/service_throughput.py [--claims 200] [--threads 4] [--postgres URL]

Each claim is a gx.expansion application of its own enterprise for its own hire, taken through
the service functions the API calls (one transaction per step; the engine runs between two short
transactions, as ``submit_staged`` / ``close_notice_staged`` do): create + submit (the engine's
automatic check and the ledger lookup), then accept + approve + close the notice (the engine again
as of that day, and the grant written to the ledger). ``--threads`` workers run concurrently.

Printed per database, beside the issue's target (issue 13: ≥ 100 claims/s at 4 threads on
PostgreSQL, p99 ≤ 100 ms):

* **live**: claims/s, median and p99 latency of each step, and the share of each step's time spent
  in the engine (the time inside ``Engine.decide``, measured per step in the worker's thread) and
  waiting on the database (each statement from send to answer, of which the audit chain's locking
  read), the statements a step sends (median), and this process's CPU time a claim (all threads:
  what the interpreter, holding one lock, can do at most);
* **anchor, engine**: the bare engine decision on the same claims, one thread, median per
  decision (a claim needs two: at submission and when the notice closes);
* **anchor, service floor**: the same workload on other claims whose decisions are already in the
  engine's decision memo (computed beforehand, one thread): the service with the engine's cost
  removed, i.e. what the database, the audit chain and the rest of the step cost.

The anchors are measured in the same run, so the ratios hold whatever the machine's load.
PostgreSQL runs in a schema of its own, dropped at the end (skipped when the server is not
reachable).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pg_scratch import scratch_schema

from claims_world import APPROVED_ON, CLOSED_ON, SUBMITTED, World, credit_code, facts, id_number
from jiuye.facts import facts_from_data
from jiuye.service import applications as apps
from jiuye.service import auth
from jiuye.service.auth import Caller, create_user
from jiuye.service.migrate import upgrade
from jiuye.service.models import User
from jiuye.service.subjects import register_subject

TARGET_RATE, TARGET_P99_MS = 100.0, 100.0  # issue 13, acceptance: the case service on PostgreSQL
_spent = threading.local()  # seconds inside Engine.decide in this thread since the step began
_sql = threading.local()  # statements this thread sent since the step began, seconds waiting on them


def _count_statements(db: Any) -> None:
    """Count each statement a thread sends and the time until it returns (lock waits included)."""

    @event.listens_for(db, "before_cursor_execute")
    def _before(*_args: Any) -> None:
        _sql.started = time.perf_counter()

    @event.listens_for(db, "after_cursor_execute")
    def _after(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        spent = time.perf_counter() - _sql.started
        _sql.count = getattr(_sql, "count", 0) + 1
        _sql.seconds = getattr(_sql, "seconds", 0.0) + spent
        if statement.startswith("SELECT audit_head") and "FOR UPDATE" in statement:  # waiting for the chain
            _sql.lock = getattr(_sql, "lock", 0.0) + spent


class TimedEngine(apps.Engine):
    """The service's engine, adding the time each thread spends deciding."""

    def decide(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return super().decide(*args, **kwargs)
        finally:
            _spent.seconds = getattr(_spent, "seconds", 0.0) + time.perf_counter() - started


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


Claim = tuple[str, int, dict[str, Any]]  # username, subject id, the facts filed


def _prepare(world: World, first: int, count: int) -> list[Claim]:
    """``count`` enterprises, each with its user and a claim's facts (its own hire, its own person)."""
    out = []
    with world.sessions() as session, session.begin():
        for i in range(first, first + count):
            number = credit_code(f"91450103MA{i:07d}")
            subject = register_subject(
                session, world.protector, world.callers["clerk"], kind="enterprise", number=number,
                name=f"企业{i}", region="450103",
            )  # fmt: skip
            name = f"firm{i}"
            create_user(
                session, username=name, password="correct horse battery", role="enterprise", region="450103",
                display_name=name, subject_id=subject.id,
            )  # fmt: skip
            body = facts("E1", id_number(f"450103200305{i % 28 + 1:02d}{i:03d}"))
            body["employers"][0]["uscc"] = number
            out.append((name, subject.id, body))
    return out


def _engine_anchor(engine: apps.Engine, claims: list[Claim]) -> list[float]:
    """Each claim's two decisions, one thread, seconds each (fills the engine's memo)."""
    out = []
    for _, _, body in claims:
        document = facts_from_data(body)
        for day in (SUBMITTED, CLOSED_ON):
            started = time.perf_counter()
            engine.decide("gx.expansion", "E1", "450103", day, document)
            out.append(time.perf_counter() - started)
    return out


def _workload(world: World, engine: apps.Engine, claims: list[Claim], threads: int) -> dict[str, list[float]]:
    with world.sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    parts = ("", "_engine", "_sql", "_lock", "_statements")
    timings: dict[str, list[float]] = {f"{step}{part}": [] for step in ("submit", "approve") for part in parts}

    def timed(step: str, run: Callable[[], int]) -> int:
        _spent.seconds, _sql.seconds, _sql.lock, _sql.count = 0.0, 0.0, 0.0, 0
        started = time.perf_counter()
        result = run()
        timings[step].append(time.perf_counter() - started)
        timings[f"{step}_engine"].append(_spent.seconds)
        timings[f"{step}_sql"].append(_sql.seconds)
        timings[f"{step}_lock"].append(_sql.lock)
        timings[f"{step}_statements"].append(_sql.count)
        return result

    def submit(claim: Claim) -> int:
        name, subject_id, body = claim
        caller = Caller(users[name].id, name, "enterprise", "450103", subject_id)

        def run() -> int:
            app = world.step(
                apps.create_application, engine, caller, measure_id="gx.expansion", subject_id=subject_id,
                claimant_ref="E1", facts=body,
            )  # fmt: skip
            apps.submit_staged(world.sessions, engine, caller, app.id, today=SUBMITTED)
            return int(app.id)

        return timed("submit", run)

    def approve(app_id: int) -> int:
        def run() -> int:
            world.step(apps.accept, world.callers["clerk"], app_id)
            world.step(apps.approve, world.callers["reviewer1"], app_id, today=APPROVED_ON)
            apps.close_notice_staged(world.sessions, engine, None, app_id, today=CLOSED_ON)
            return app_id

        return timed("approve", run)

    before = world.live_items()
    with ThreadPoolExecutor(threads) as pool:
        t0, cpu = time.perf_counter(), time.process_time()
        ids = list(pool.map(submit, claims))
        timings["submit_wall"] = [time.perf_counter() - t0]
        timings["submit_cpu"] = [time.process_time() - cpu]
        t0, cpu = time.perf_counter(), time.process_time()
        list(pool.map(approve, ids))
        timings["approve_wall"] = [time.perf_counter() - t0]
        timings["approve_cpu"] = [time.process_time() - cpu]
    assert world.live_items() - before == len(claims), "每件申请核准一次"
    return timings


def _report(label: str, timings: dict[str, list[float]], claims: int, threads: int, target: bool) -> None:
    for step in ("submit", "approve"):
        wall, values = timings[f"{step}_wall"][0], timings[step]
        rate, p99 = claims / wall, _percentile(values, 0.99) * 1000
        share = sum(timings[f"{step}_engine"]) / sum(values)
        sql, lock = (sum(timings[f"{step}_{part}"]) / sum(values) for part in ("sql", "lock"))
        statements = statistics.median(timings[f"{step}_statements"])
        goal = f"  [target ≥ {TARGET_RATE:.0f}/s, p99 ≤ {TARGET_P99_MS:.0f} ms]" if target else ""
        print(
            f"  {label:14s} {step:8s} {claims} claims, {threads} threads: {rate:6.1f} claims/s; "
            f"median {statistics.median(values) * 1000:5.0f} ms, p99 {p99:5.0f} ms; engine {share:4.0%}, "
            f"waiting on SQL {sql:4.0%} of step ({lock:4.0%} for the audit chain's lock), {statements:.0f} statements; "
            f"this process's CPU {timings[f'{step}_cpu'][0] / claims * 1000:4.1f} ms a claim{goal}"
        )


def _database(name: str, url: str, claims: int, threads: int) -> None:
    world = World(url)
    _count_statements(world.db)
    engine = TimedEngine(world.engine.params, world.protector)
    live = _prepare(world, 0, claims)
    floor = _prepare(world, claims, claims)
    print(f"{name}:")
    _report("live", _workload(world, engine, live, threads), claims, threads, name == "PostgreSQL")
    warm = TimedEngine(world.engine.params, world.protector)
    decisions = _engine_anchor(warm, floor)
    print(
        f"  {'anchor, engine':14s} one decision, one thread: median {statistics.median(decisions) * 1000:5.1f} ms, "
        f"p99 {_percentile(decisions, 0.99) * 1000:5.1f} ms (two per claim: submission and closing)"
    )
    timings = _workload(world, warm, floor, threads)
    _report("anchor, floor", timings, claims, threads, False)
    world.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    assert args.claims <= 500, "人员号码按序号编排，至多 500 件"
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load {load}")
    print("submit = create + submit (engine check, ledger lookup); approve = accept + approve + close notice (grant)")
    print("floor = the same steps with every decision already in the engine's memo (the engine's cost removed)")
    hashed = auth.hash_password("correct horse battery")
    auth.hash_password = lambda _password: hashed  # nobody logs in here: one slow hash, not one per user
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    _database("SQLite", url, args.claims, args.threads)
    with scratch_schema(args.postgres) as pg:
        if pg is not None:
            upgrade(pg)
            _database("PostgreSQL", pg, args.claims, args.threads)
    print(f"load at the end: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
