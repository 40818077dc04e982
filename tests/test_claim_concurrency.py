# ruff: noqa: F811  (the site fixture is imported)
"""The engine runs outside the write transaction, and racing writers get 409, never 500, on both databases.

* Submission and approval evaluate with no database connection held, so other writers go on
  (on SQLite the one writer lock is free while the engine runs).
* A change between the read and the write (another closing, an objection) is a conflict: nothing
  of the losing request is written.
* Twenty concurrent close-notice calls: one grant, the rest 409 with a stable code.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from claims_world import CLOSED_ON, FIRMS, World, credit_code
from jiuye.service import applications as apps
from jiuye.service import claims
from jiuye.service.api.deps import SessionDep
from jiuye.service.api.errors import install_error_handlers
from jiuye.service.auth import Caller
from jiuye.service.db import read_committed, transaction
from jiuye.service.decisions import _apply_close, _evaluate, _read_close
from jiuye.service.errors import StaleWriteError
from jiuye.service.models import Application, FundAllocation, GrantItem
from jiuye.service.subjects import register_subject
from test_claimant_binding import Site, _facts_of, site  # noqa: F401


def _to_notice(site: Site) -> int:
    """A claim of E1 reviewed and published; the notice is over on the site's clock."""
    as_e1, clerk = site.headers("user_E1"), site.headers("clerk")
    app_id = int(site.file("user_E1", "E1", _facts_of("E1", FIRMS["E1"])).json()["id"])
    assert site.client.post(f"/applications/{app_id}/submit", headers=as_e1).json()["state"] == "auto_checked"
    site.client.post(f"/applications/{app_id}/accept", headers=clerk)
    site.clock.today = dt.date(2025, 12, 2)
    assert site.client.post(f"/applications/{app_id}/approve", headers=site.headers("reviewer1")).status_code == 200
    site.clock.today = dt.date(2025, 12, 10)
    return app_id


def _granted(site: Site) -> int:
    with site.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(GrantItem)) or 0)


def _while_deciding(monkeypatch: pytest.MonkeyPatch, during: Any) -> list[Any]:
    """Run ``during()`` in another thread inside every engine evaluation of a claim, waiting 5 s at
    most for it (a writer stuck behind the request's lock gives ``None``); return what it gave."""
    evaluate, seen = claims.evaluate, []

    def spy(*args: Any, **kwargs: Any) -> Any:
        result: list[Any] = []
        worker = threading.Thread(target=lambda: result.append(during()), daemon=True)
        worker.start()
        worker.join(5)
        seen.append(result[0] if result else None)
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(claims, "evaluate", spy)
    return seen


def test_the_engine_runs_with_no_connection_held_and_other_writers_go_on(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = site.client.app.state.engine.pool  # type: ignore[attr-defined]
    sessions = site.client.app.state.sessions  # type: ignore[attr-defined]
    protector = site.client.app.state.protector  # type: ignore[attr-defined]
    clerk = Caller(site.users["clerk"], "clerk", "caseworker", "450103", None)
    numbers = iter([credit_code("91450103MA5KD0011"), credit_code("91450103MA5KD0012")])
    held: list[int] = []

    def other_writer() -> bool:
        held.append(pool.checkedout())  # the request's connections, while its engine runs
        with transaction(sessions) as session:
            number = next(numbers)
            register_subject(session, protector, clerk, kind="enterprise", number=number, name=number, region="450103")
        return True

    seen = _while_deciding(monkeypatch, other_writer)
    app_id = _to_notice(site)
    closed = site.client.post(f"/applications/{app_id}/close-notice", headers=site.headers("clerk"))
    assert closed.status_code == 200 and closed.json()["state"] == "approved"
    assert seen == [True, True] and held == [0, 0]  # submission and approval


def test_a_change_while_the_engine_runs_is_a_conflict_and_nothing_is_granted(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id = _to_notice(site)
    clerk = site.headers("clerk")

    def objection() -> int:
        body = {"reason": "反映该人员未实际到岗"}
        return int(site.client.post(f"/applications/{app_id}/objections", json=body, headers=clerk).status_code)

    seen = _while_deciding(monkeypatch, objection)
    lost = site.client.post(f"/applications/{app_id}/close-notice", headers=clerk)
    assert seen == [200]
    assert lost.status_code == 409 and lost.json()["code"] == "STALE_WRITE" and "已被他人修改" in lost.json()["message"]
    assert site.client.get(f"/applications/{app_id}", headers=clerk).json()["state"] == "in_review"
    assert _granted(site) == 0


def test_concurrent_close_notice_calls_grant_once_and_the_others_get_409(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id = _to_notice(site)
    clerk = site.headers("clerk")
    barrier = threading.Barrier(20)

    def close(_: int) -> Any:
        barrier.wait()
        return site.client.post(f"/applications/{app_id}/close-notice", headers=clerk)

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(close, range(20)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * 19, codes
    assert all(a.json()["message"] and a.json()["code"] for a in answers if a.status_code == 409)
    assert _granted(site) == 1


def test_a_stale_write_found_at_commit_reaches_the_client_as_409_and_nothing_is_written(database_url: str) -> None:
    """The request's transaction commits before the response is sent: a write that loses at commit
    (the row's version moved on) answers 409, not a 200 for a write that never happened."""
    world = World(database_url)
    app_id = world.claim("E1")
    app = FastAPI()
    install_error_handlers(app)
    app.state.sessions = world.sessions

    @app.post("/touch")
    def touch(session: SessionDep) -> dict[str, bool]:
        claim = session.get(Application, app_id)
        assert claim is not None
        # Someone else's change, behind the ORM's back: the version moves on.
        session.execute(text("UPDATE applications SET version = version + 1 WHERE id = :id"), {"id": app_id})
        claim.handlers = "99"
        session.add(FundAllocation(fund="ui_fund", region="450103", year=2025, amount_fen=1, note="不应写入",
                                   created_by=world.callers["clerk"].user_id))  # fmt: skip
        return {"ok": True}

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.post("/touch")
    assert answer.status_code == 409 and answer.json()["code"] == "STALE_WRITE"
    with world.sessions() as session:
        assert session.get(Application, app_id).handlers == ""  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(FundAllocation)) == 0
    world.db.dispose()


def test_the_staged_read_waits_for_no_writer(database_url: str) -> None:
    """The read before the engine runs is one statement outside any transaction: a writer holding
    its transaction open (on SQLite, the one writer lock) does not delay it, and the step's write
    still refuses a claim changed meanwhile."""
    world = World(database_url)
    app_id = world.claim("E1")
    world.to_notice(app_id)
    held, done = threading.Event(), threading.Event()

    def writer() -> None:
        with transaction(world.sessions) as session:
            session.execute(text("UPDATE applications SET handlers = handlers WHERE id = :id"), {"id": app_id})
            held.set()
            done.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(10)
        with read_committed(world.sessions) as session:
            started = time.perf_counter()
            snapshot = _read_close(session, world.callers["clerk"], app_id, CLOSED_ON)
            assert time.perf_counter() - started < 2, "the read waited for the writer"
    finally:
        done.set()
        thread.join()
    assert snapshot.application_id == app_id and snapshot.subject.id == world.subjects["E1"]
    world.step(apps.object_to, world.callers["clerk"], app_id, "反映该人员未实际在岗")  # the claim moves on
    with pytest.raises(StaleWriteError):  # the write, after the engine, sees it changed
        world.step(_apply_close, None, snapshot, _evaluate(world.engine, snapshot, CLOSED_ON), CLOSED_ON)
    world.db.dispose()
