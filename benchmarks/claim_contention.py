"""Benchmark: one 2,500-person claim in flight while other enterprises file small claims, over HTTP.

Run: .venv/bin/python benchmarks/claim_contention.py [--persons 2500] [--writers 4] [--rounds 3] [--postgres URL]

For each database (a SQLite file; a PostgreSQL schema of its own, dropped at the end, skipped when
the server is not reachable) the app runs in-process (FastAPI's TestClient, routes in its thread
pool). ``--writers`` threads file and submit small one-hire claims of their own enterprises, first
with nothing else going on (the idle baseline, ``--idle`` seconds), then while each step of a big
claim is in flight: a new enterprise files a gx.expansion claim for ``--persons`` new hires (facts
shaped as ``tests/claims_world.py``'s), submits it (the engine's automatic check), is reviewed, and
the notice is closed (the engine again, and the grant items). All of it ``--rounds`` times, so that
each p99 rests on many requests. Prints per database a table: the big step's median time, and the
writers' request count, median and p99 latency, idle and during each step, with the ratio to idle.
The target: the other writers' p99 under 1 s on both databases.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pg_scratch import scratch_schema

from claims_world import credit_code, facts, id_number
from jiuye.service.api import create_app
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.migrate import upgrade
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings
from jiuye.service.subjects import register_subject

PASSWORD = "correct horse battery"
STEPS = ("提出", "提交", "核准")  # filing, submission (engine check), closing the notice (engine, grant items)
#: A phase's figures: the big step's times (one a round), the writers' latencies during it.
Steps = dict[str, tuple[list[float], list[float]]]
POSTGRES = os.environ.get("JIUYE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def big_facts(persons: int, firm: str, first: int = 0) -> dict[str, Any]:
    """``persons`` young people registered unemployed (numbered from ``first``: each round hires
    others), each hired by the big enterprise ``firm`` (its USCC)."""
    base = facts("E1")
    base["employers"][0]["uscc"] = firm
    person, hire = base["persons"][0], base["employments"][0]
    born = dt.date(2001, 1, 1)
    people, hires = [], []
    for i in range(first, first + persons):
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
    if not postgres:
        yield found
        return
    with scratch_schema(postgres) as pg:  # no server here: said, and SQLite goes on alone
        yield found if pg is None else [*found, ("PostgreSQL", pg)]


def _seed(url: str, settings: Settings, writers: int, rounds: int) -> list[str]:
    """Staff, a big enterprise a round (``big0``, ``big1``, …) and one small enterprise per writer
    (``small0``, …), each with a login; "subject id:USCC" of the writers' firms, then the big ones."""
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
        names = [f"small{w}" for w in range(writers)] + [f"big{r}" for r in range(rounds)]
        for i, name in enumerate(names):
            number = credit_code(f"91450103MA5K{'B' if name.startswith('big') else 'T'}{i:04d}")
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
    """Run ``big()`` while each small firm (``firms``: the writers') files and submits claims in a
    loop; its time, its answer, and the latencies of every small request that overlapped it."""
    done = threading.Event()
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def writer(w: int) -> None:
        subject_id, number = firms[w].split(":")
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

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(len(firms))]
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


def _table(label: str, persons: int, writers: int, rounds: int, steps: Steps) -> None:
    """One row a phase: the big step's median time over the rounds, then the writers' latencies
    (all rounds together) and their ratio to the idle baseline."""
    machine = f"{os.cpu_count()} 核，Python {sys.version.split()[0]}，负载 {os.getloadavg()[0]:.1f}"
    print(f"\n{label}（{machine}）：{rounds} 轮，每轮新企业大额申请 {persons} 人，其他写入线程 {writers} 个")
    print("| 阶段 | 大额步骤耗时（中位） | 其他写入请求数 | 中位 | p99 | 中位 / 空闲 | p99 / 空闲 |")
    print("|---|---|---|---|---|---|---|")
    idle = steps["空闲"][1]
    idle_median, idle_p99 = statistics.median(idle), _percentile(idle, 0.99)
    for phase, (times, latencies) in steps.items():
        took = "—" if phase == "空闲" else f"{statistics.median(times):.2f} s"
        if not latencies:
            print(f"| {phase} | {took} | 0 | — | — | — | — |")
            continue
        median, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
        print(
            f"| {phase} | {took} | {len(latencies)} | {median * 1000:.0f} ms | {p99 * 1000:.0f} ms "
            f"| {median / idle_median:.1f}× | {p99 / idle_p99:.1f}× |"
        )


def _big_round(
    client: TestClient, clock: Clock, tokens: dict[str, dict[str, str]], writers: list[str], big: str,
    body: dict[str, Any], counter: list[int], steps: Steps,
) -> None:  # fmt: skip
    """One big claim (``body``) of the enterprise logged in as ``big``: filed, submitted, reviewed
    and its notice closed, the three timed steps each run under the writers' load."""

    def timed(step: str, call: Callable[[], Any]) -> Any:
        elapsed, answer, latencies = _contend(client, tokens, writers, call, counter)
        assert answer.status_code in (200, 201), answer.text[:300]
        steps[step][0].append(elapsed)
        steps[step][1].extend(latencies)
        return answer.json()

    clock.today = dt.date(2025, 12, 1)
    app_id = timed("提出", lambda: client.post("/applications", json=body, headers=tokens[big]))["id"]
    timed("提交", lambda: client.post(f"/applications/{app_id}/submit", headers=tokens[big]))
    assert client.post(f"/applications/{app_id}/accept", headers=tokens["clerk"]).status_code == 200
    clock.today = dt.date(2025, 12, 2)
    for reviewer in ("reviewer1", "reviewer2", "reviewer3"):  # as many as the amount's tier needs
        approved = client.post(f"/applications/{app_id}/approve", headers=tokens[reviewer])
        assert approved.status_code == 200, approved.text[:300]
        if approved.json()["state"] == "public_notice":
            break
    clock.today = dt.date(2025, 12, 10)
    timed("核准", lambda: client.post(f"/applications/{app_id}/close-notice", headers=tokens["clerk"]))


def run(label: str, url: str, persons: int, writers: int, rounds: int, idle: float) -> None:
    upgrade(url)
    settings = Settings(database_url=url, data_dir=Path(tempfile.mkdtemp()), master_key=os.urandom(32))
    firms = _seed(url, settings, writers, rounds)
    clock = Clock()
    app = create_app(settings, clock=clock)
    steps: Steps = {phase: ([], []) for phase in ("空闲", *STEPS)}
    with TestClient(app) as client:

        def login(name: str) -> dict[str, str]:
            done = client.post("/auth/token", data={"username": name, "password": PASSWORD})
            return {"Authorization": f"Bearer {done.json()['access_token']}"}

        names = ["clerk", "reviewer1", "reviewer2", "reviewer3", *[f"small{w}" for w in range(writers)]]
        tokens = {name: login(name) for name in (*names, *[f"big{r}" for r in range(rounds)])}
        counter = [0]
        for r in range(rounds):
            clock.today = dt.date(2025, 12, 1)
            _, _, latencies = _contend(client, tokens, firms[:writers], lambda: time.sleep(idle), counter)
            steps["空闲"][1].extend(latencies)
            subject_id, number = firms[writers + r].split(":")
            data = big_facts(persons, number, first=r * persons)
            body = {"measure_id": "gx.expansion", "subject_id": int(subject_id), "claimant_ref": "E1", "facts": data}
            if r == 0:
                print(f"{label}：请求体 {len(json.dumps(data)) / 1e6:.2f} MB", flush=True)
            _big_round(client, clock, tokens, firms[:writers], f"big{r}", body, counter, steps)
    app.state.engine.dispose()
    _table(label, persons, writers, rounds, steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2500)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="big claims a database, each of a new enterprise")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds of idle baseline a round")
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL URL (empty: SQLite only)")
    args = parser.parse_args()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"机器：{os.cpu_count()} 核；Python {sys.version.split()[0]}；开始时负载 {load}")
    with _databases(args.postgres or None) as databases:
        for label, url in databases:
            run(label, url, args.persons, args.writers, args.rounds, args.idle)


if __name__ == "__main__":
    main()
