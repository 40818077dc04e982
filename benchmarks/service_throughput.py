"""Benchmark: claim submission and approval throughput and latency, on SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/service_throughput.py [--claims 200] [--threads 8] [--postgres URL]

Each claim is a gx.expansion application of its own enterprise for its own hire, taken through
the service functions (one transaction per step, as the API does): create + submit (the engine's
automatic check and the ledger lookup), then accept + approve + close the notice (the engine again,
and the grant written to the ledger). ``--threads`` workers run concurrently. Prints throughput
and the median and 99th-percentile latency of each step, per database. PostgreSQL runs in a
schema of its own, dropped at the end (skipped when the server is not reachable).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from claims_world import APPROVED_ON, CLOSED_ON, FIRMS, SUBMITTED, World, credit_code, facts, id_number
from jiuye.service import applications as apps
from jiuye.service.auth import create_user
from jiuye.service.migrate import upgrade
from jiuye.service.subjects import register_subject


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _prepare(world: World, claims: int) -> list[tuple[str, int, str]]:
    """``claims`` enterprises with their own user: (username, subject id, person number)."""
    out = []
    with world.sessions() as session, session.begin():
        for i in range(claims):
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
            out.append((name, subject.id, number))
    return out


def _run(url: str, claims: int, threads: int) -> dict[str, list[float]]:
    world = World(url)
    firms = _prepare(world, claims)
    with world.sessions() as session:
        from sqlalchemy import select

        from jiuye.service.auth import Caller
        from jiuye.service.models import User

        users = {u.username: u for u in session.scalars(select(User))}
    timings: dict[str, list[float]] = {"submit": [], "approve": []}

    def submit(i: int) -> int:
        name, subject_id, number = firms[i]
        user = users[name]
        caller = Caller(user.id, name, "enterprise", "450103", subject_id)
        body = facts("E1", id_number(f"450103200305{i % 28 + 1:02d}{i:03d}"[:17]))
        body["employers"][0]["uscc"] = number
        started = time.perf_counter()
        app = world.step(
            apps.create_application, world.engine, caller, measure_id="gx.expansion", subject_id=subject_id,
            claimant_ref="E1", facts=body,
        )  # fmt: skip
        world.step(apps.submit, world.engine, caller, app.id, today=SUBMITTED)
        timings["submit"].append(time.perf_counter() - started)
        return int(app.id)

    def approve(app_id: int) -> None:
        started = time.perf_counter()
        world.step(apps.accept, world.callers["clerk"], app_id)
        world.step(apps.approve, world.callers["reviewer1"], app_id, today=APPROVED_ON)
        world.step(apps.close_notice, world.engine, None, app_id, today=CLOSED_ON)
        timings["approve"].append(time.perf_counter() - started)

    with ThreadPoolExecutor(threads) as pool:
        t0 = time.perf_counter()
        ids = list(pool.map(submit, range(claims)))
        timings["submit_wall"] = [time.perf_counter() - t0]
        t0 = time.perf_counter()
        list(pool.map(approve, ids))
        timings["approve_wall"] = [time.perf_counter() - t0]
    assert world.live_items() == claims, "每件申请核准一次"
    world.db.dispose()
    return timings


def _report(label: str, timings: dict[str, list[float]], claims: int, threads: int) -> None:
    for step in ("submit", "approve"):
        wall = timings[f"{step}_wall"][0]
        values = timings[step]
        print(
            f"{label} {step:8s} {claims} claims, {threads} threads: {claims / wall:6.1f} claims/s; "
            f"latency median {statistics.median(values) * 1000:6.0f} ms, p99 {_percentile(values, 0.99) * 1000:6.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("submit = create + submit (engine check, ledger lookup); approve = accept + approve + close notice (grant)")
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    _report("SQLite    ", _run(url, args.claims, args.threads), args.claims, args.threads)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # no server here: say so
        print(f"PostgreSQL skipped: {type(exc).__name__}")
        return
    try:
        pg = f"{args.postgres}?options=-csearch_path%3D{schema}"
        upgrade(pg)
        _report("PostgreSQL", _run(pg, args.claims, args.threads), args.claims, args.threads)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    assert FIRMS  # the world's own two enterprises are created too; the benchmark adds its own
    main()
