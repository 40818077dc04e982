"""Benchmark: one 2,500-person claim in flight while other enterprises file small claims, over HTTP.

Run: .venv/bin/python benchmarks/claim_contention.py [--persons 2500] [--writers 4] [--postgres URL]

For each database (a SQLite file; a PostgreSQL schema of its own, dropped at the end, skipped when
the server is not reachable) the app runs in-process (FastAPI's TestClient, routes in its thread
pool). One enterprise files a gx.expansion claim for ``--persons`` hires (facts built here, shaped
as ``tests/claims_world.py``'s), then submits it (the engine's automatic check), is reviewed, and
the notice is closed (the engine again, and the grant items). While each of those two engine steps
is in flight, ``--writers`` threads file and submit small one-hire claims of their own
enterprises. Prints the big step's time, and the other writers' request count, median and p99
latency during it. The target: the other writers' p99 under 1 s on both databases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from claims_world import credit_code, facts, id_number
from jiuye.service.api import create_app
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.migrate import upgrade
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings
from jiuye.service.subjects import register_subject

PASSWORD = "correct horse battery"
BIG = credit_code("91450103MA5KB0001")
POSTGRES = os.environ.get("JIUYE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def big_facts(persons: int) -> dict[str, Any]:
    """``persons`` young people registered unemployed, each hired by the big enterprise E1."""
    base = facts("E1")
    base["employers"][0]["uscc"] = BIG
    person, hire = base["persons"][0], base["employments"][0]
    born = dt.date(2001, 1, 1)
    people, hires = [], []
    for i in range(persons):
        birth = born + dt.timedelta(days=i % 2500)
        first17 = f"450103{birth:%Y%m%d}{i // 2500 % 10}{i % 100:02d}"
        people.append({**person, "id": f"P{i}", "id_number": id_number(first17)})
        hires.append({**hire, "person": f"P{i}"})
    return {**base, "persons": people, "employments": hires}


def small_facts(firm: str, k: int) -> dict[str, Any]:
    data = facts("E1", id_number(f"45010319990101{k % 1000:03d}"))
    data["employers"][0]["uscc"] = firm
    return data


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@contextmanager
def _databases(postgres: str | None) -> Iterator[list[tuple[str, str]]]:
    folder = Path(tempfile.mkdtemp(prefix="jiuye-contention-"))
    found = [("SQLite", f"sqlite:///{folder / 'bench.db'}")]
    admin, schema = None, f"bench_{uuid.uuid4().hex[:10]}"
    if postgres:
        try:
            admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            found.append(("PostgreSQL", f"{postgres}?options=-csearch_path%3D{schema}"))
        except Exception as exc:  # no server here: say so and go on with SQLite
            print(f"跳过 PostgreSQL：{type(exc).__name__}")
            admin = None
    try:
        yield found
    finally:
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


def _seed(url: str, settings: Settings, writers: int) -> list[str]:
    """Staff, the big enterprise and one small enterprise per writer, each with a login."""
    engine = make_engine(url)
    protector = Protector(settings.index_key, settings.encryption_key)
    firms = []
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        users = {}
        for name, role in (("clerk", "caseworker"), *[(f"reviewer{r}", "reviewer") for r in (1, 2, 3)]):
            users[name] = create_user(
                session, username=name, password=PASSWORD, role=role, region="450103", display_name=name
            )
        clerk = Caller(users["clerk"].id, "clerk", "caseworker", "450103", None)
        for i, name in enumerate(["big", *[f"small{w}" for w in range(writers)]]):
            number = BIG if name == "big" else credit_code(f"91450103MA5KT{i:04d}")
            subject = register_subject(
                session, protector, clerk, kind="enterprise", number=number, name=name, region="450103"
            )
            create_user(
                session, username=name, password=PASSWORD, role="enterprise", region="450103", display_name=name,
                subject_id=subject.id,
            )  # fmt: skip
            firms.append(f"{subject.id}:{number}")
    engine.dispose()
    return firms


class Clock:
    today = dt.date(2025, 12, 1)

    def __call__(self) -> dt.date:
        return self.today


def _contend(
    client: TestClient, tokens: dict[str, dict[str, str]], firms: list[str], big: Callable[[], Any], counter: list[int]
) -> tuple[float, Any, list[float]]:
    """Run ``big()`` while each small firm files and submits claims in a loop; its time, its answer,
    and the latencies of every small request that overlapped it."""
    done = threading.Event()
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def writer(w: int) -> None:
        subject_id, number = firms[w + 1].split(":")
        headers = tokens[f"small{w}"]
        while not done.is_set():
            with lock:
                counter[0] += 1
                k = counter[0]
            body = {"measure_id": "gx.expansion", "subject_id": int(subject_id), "claimant_ref": "E1",
                    "facts": small_facts(number, k)}  # fmt: skip
            started = time.perf_counter()
            created = client.post("/applications", json=body, headers=headers)
            mid = time.perf_counter()
            assert created.status_code == 201, created.text
            submitted = client.post(f"/applications/{created.json()['id']}/submit", headers=headers)
            end = time.perf_counter()
            assert submitted.status_code == 200, submitted.text
            with lock:
                spans.extend([(started, mid), (mid, end)])

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(len(firms) - 1)]
    for t in threads:
        t.start()
    time.sleep(0.3)  # the writers are going
    started = time.perf_counter()
    answer = big()
    ended = time.perf_counter()
    done.set()
    for t in threads:
        t.join()
    latencies = [b - a for a, b in spans if b > started and a < ended]
    return ended - started, answer, latencies


def _report(what: str, elapsed: float, latencies: list[float]) -> None:
    print(
        f"  {what}：{elapsed:6.2f} s；其间其他写入请求 {len(latencies)} 个，"
        f"中位数 {statistics.median(latencies) * 1000:7.1f} ms，p99 {_percentile(latencies, 0.99) * 1000:7.1f} ms，"
        f"最长 {max(latencies) * 1000:7.1f} ms"
        if latencies
        else f"  {what}：{elapsed:6.2f} s；其间没有完成的其他写入请求"
    )


def run(label: str, url: str, persons: int, writers: int) -> None:
    upgrade(url)
    settings = Settings(database_url=url, data_dir=Path(tempfile.mkdtemp()), master_key=os.urandom(32))
    firms = _seed(url, settings, writers)
    clock = Clock()
    app = create_app(settings, clock=clock)
    data = big_facts(persons)
    print(f"{label}：大额申请 {persons} 人（请求体 {len(json.dumps(data)) / 1e6:.2f} MB），其他写入线程 {writers} 个")
    with TestClient(app) as client:

        def login(name: str) -> dict[str, str]:
            done = client.post("/auth/token", data={"username": name, "password": PASSWORD})
            return {"Authorization": f"Bearer {done.json()['access_token']}"}

        names = ["big", "clerk", "reviewer1", "reviewer2", "reviewer3", *[f"small{w}" for w in range(writers)]]
        tokens = {name: login(name) for name in names}
        counter = [0]
        body = {"measure_id": "gx.expansion", "subject_id": int(firms[0].split(":")[0]), "claimant_ref": "E1",
                "facts": data}  # fmt: skip
        elapsed, created, lat = _contend(
            client, tokens, firms, lambda: client.post("/applications", json=body, headers=tokens["big"]), counter
        )
        assert created.status_code == 201, created.text[:300]
        _report("提出（校验事实、加密保存）", elapsed, lat)
        app_id = created.json()["id"]
        submit = f"/applications/{app_id}/submit"
        elapsed, submitted, lat = _contend(
            client, tokens, firms, lambda: client.post(submit, headers=tokens["big"]), counter
        )
        assert submitted.status_code == 200, submitted.text[:300]
        _report(f"提交（引擎自动校验，{submitted.json()['amount_submitted']} 元）", elapsed, lat)
        assert client.post(f"/applications/{app_id}/accept", headers=tokens["clerk"]).status_code == 200
        clock.today = dt.date(2025, 12, 2)
        for reviewer in ("reviewer1", "reviewer2", "reviewer3"):  # as many as the amount's tier needs
            approved = client.post(f"/applications/{app_id}/approve", headers=tokens[reviewer])
            assert approved.status_code == 200, approved.text[:300]
            if approved.json()["state"] == "public_notice":
                break
        clock.today = dt.date(2025, 12, 10)
        close = f"/applications/{app_id}/close-notice"
        elapsed, closed, lat = _contend(
            client, tokens, firms, lambda: client.post(close, headers=tokens["clerk"]), counter
        )
        assert closed.status_code == 200, closed.text[:300]
        _report(f"核准（引擎重算并写入 {persons} 项台账）", elapsed, lat)
    app.state.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2500)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL URL (empty: SQLite only)")
    args = parser.parse_args()
    print(f"机器：{os.cpu_count()} 核；Python {sys.version.split()[0]}")
    with _databases(args.postgres or None) as databases:
        for label, url in databases:
            run(label, url, args.persons, args.writers)


if __name__ == "__main__":
    main()
