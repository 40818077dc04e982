"""The resident posting index in step with the table: commits of this process, other processes, expiry,
and the copy the CLI keeps on disk."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from claims_world import World
from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import Salary
from jiuye.jobs.recommend import PostingIndex, recommend_jobs
from jiuye.service import posting_index
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.jobs import postings_by_id, store_postings
from jiuye.service.models import JobPosting
from jiuye.service.posting_cache import cache_path, load_index, save_index

TODAY = dt.date(2025, 10, 9)
SEEKER = Seeker("s", titles=("会计",), regions=("450100",))


def _posting(n: int, title: str = "会计", *, close_on: dt.date | None = None) -> Posting:
    return Posting(
        id=f"t:{n:03d}", title=f"{title}{n % 3}", employer=f"单位{n}", channel="test", channel_id=str(n),
        region="450103", salary=Salary(Decimal("4000"), Decimal("6000")), close_on=close_on,
    )  # fmt: skip


@pytest.fixture
def world(database_url: str) -> Any:
    built = World(database_url)
    yield built
    built.db.dispose()


def _ranked(session: Any, today: dt.date = TODAY) -> list[tuple[str, float]]:
    index = posting_index.index_for(session, today)
    with index.lock:
        found = recommend_jobs(SEEKER, index, today, k=50, code_title=None)
    fresh = PostingIndex(sorted(postings_by_id(session, today=today).values(), key=lambda p: p.id))
    expected = recommend_jobs(SEEKER, fresh, today, k=50, code_title=None)
    assert [(m.posting.id, m.score) for m in found] == [(m.posting.id, m.score) for m in expected]
    return [(m.posting.id, m.score) for m in found]


def test_each_call_syncs_outside_the_service(world: World) -> None:
    clerk = world.callers["clerk"]
    world.step(store_postings, clerk, [_posting(n) for n in range(6)])
    with world.sessions() as session:
        assert len(_ranked(session)) == 6
    world.step(store_postings, clerk, [_posting(1, close_on=TODAY - dt.timedelta(days=1)), _posting(2, "出纳")])
    with world.sessions() as session:
        assert {i for i, _ in _ranked(session)} == {"t:000", "t:003", "t:004", "t:005"}  # t:002 is 出纳 now
        earlier = {i for i, _ in _ranked(session, TODAY - dt.timedelta(days=5))}  # t:001 was still open then
        assert earlier == {"t:000", "t:001", "t:003", "t:004", "t:005"}


def test_the_service_index_follows_commits_and_syncs(world: World, database_url: str) -> None:
    clerk = world.callers["clerk"]
    world.step(store_postings, clerk, [_posting(n) for n in range(3)])
    resident = posting_index.serve(world.db, world.sessions, lambda: TODAY)
    assert resident.state == "empty"
    resident.start()
    assert resident._ready.wait(30) and resident.state == "ready" and len(resident.revisions) == 3

    world.step(store_postings, clerk, [_posting(3), replace(_posting(0), title="出纳")])  # committed: applied
    assert resident.revisions == {"t:000": 2, "t:001": 1, "t:002": 1, "t:003": 1}
    with pytest.raises(RuntimeError), transaction(world.sessions) as session:  # rolled back: not applied
        store_postings(session, clerk, [_posting(4)])
        raise RuntimeError
    assert "t:004" not in resident.revisions
    with world.sessions() as session:
        _ranked(session)

    other = make_engine(database_url)  # another process: seen at the next sync
    try:
        with transaction(make_sessions(other, audit_key=world.keys["audit"])) as session:
            store_postings(session, clerk, [_posting(5), _posting(1, close_on=TODAY - dt.timedelta(days=2))])
    finally:
        other.dispose()
    with world.sessions() as session:
        assert "t:005" not in posting_index.index_for(session, TODAY)
        assert resident.sync(session, TODAY) == 2  # t:005 added, t:001 (expired) dropped
        assert "t:005" in resident.revisions and "t:001" not in resident.revisions
        _ranked(session)


def test_the_cli_copy_is_reused_and_never_stale(world: World, database_url: str, tmp_path: Path) -> None:
    clerk = world.callers["clerk"]
    world.step(store_postings, clerk, [_posting(n) for n in range(4)])
    path = cache_path(tmp_path)

    def run() -> tuple[bool, list[tuple[str, float]]]:
        engine = make_engine(database_url)  # a new engine per run, as each CLI command
        try:
            with make_sessions(engine, audit_key=world.keys["audit"])() as session:
                used = load_index(session, path)
                ranked = _ranked(session)
                save_index(session, path)
            return used, ranked
        finally:
            engine.dispose()

    assert run()[0] is False and path.is_file()
    used, ranked = run()
    assert used and len(ranked) == 4
    world.step(store_postings, clerk, [_posting(4), replace(_posting(0), title="出纳")])
    used, ranked = run()
    assert used and [i for i, _ in ranked] == ["t:001", "t:002", "t:003", "t:004"]  # updated, not used as saved

    time.sleep(1.1)  # SQLite keeps creation times to the second
    with transaction(world.sessions) as session:  # the rows made anew: same ids, same revisions
        session.query(JobPosting).delete()
    world.step(store_postings, clerk, [replace(_posting(n), region="450203") for n in range(5)])
    assert run()[1] == []  # none in 450100 any more: the saved postings were not trusted
