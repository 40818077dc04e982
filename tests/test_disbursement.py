"""Paying approved grants exactly once: batches, bank files, return files, concurrency and crashes.

On SQLite and PostgreSQL. Properties held throughout: at most one live payment per grant, and
the sum paid never exceeds the sum granted."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from claims_world import CLOSED_ON, TWO_GRANTS, World, built_world, id_number
from jiuye.cases import CaseError
from jiuye.payments import Outcome
from jiuye.service import applications as apps
from jiuye.service import disbursement as pay
from jiuye.service.errors import ServiceError
from jiuye.service.models import LIVE_PAYMENT, Application, GrantItem, Payment

PAY_DAY = dt.date(2025, 12, 15)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, accounts=True, granted=TWO_GRANTS) as built:
        yield built


def _finance(world: World) -> Any:
    return world.callers["finance"]


def _prepare(world: World) -> int | None:
    args = (world.protector, world.fingerprint_key, _finance(world))
    batch = world.step(pay.prepare_batch, *args, pay_date=PAY_DAY, today=PAY_DAY)
    return None if batch is None else int(batch.id)


def _invariants(world: World) -> dict[str, int]:
    with world.sessions() as session:
        live = session.execute(
            select(Payment.application_id, func.count())
            .where(Payment.status.in_(LIVE_PAYMENT))
            .group_by(Payment.application_id)
        ).all()
        paid = session.scalar(select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(Payment.status == "paid"))
        granted = session.scalar(
            select(func.coalesce(func.sum(GrantItem.amount_fen), 0)).where(GrantItem.status == "live")
        )
    assert all(count == 1 for _, count in live), "每项补贴至多一笔有效付款"
    assert paid <= granted, "已付不得超过已核准"
    return {"live": len(live), "paid_fen": int(paid), "granted_fen": int(granted)}


def test_a_batch_is_exported_paid_and_reconciled_and_nothing_is_left_to_pay(world: World) -> None:
    batch_id = _prepare(world)
    assert batch_id is not None
    data = world.export(batch_id)
    assert world.export(batch_id) == data, "再次导出得到同一文件（同一幂等键）"
    result = world.import_return(batch_id, world.bank_return(batch_id))
    assert len(result.paid) == 2 and not result.problems
    with world.sessions() as session:
        assert {a.state for a in session.scalars(select(Application))} == {"paid"}
    assert _invariants(world) == {"live": 2, "paid_fen": 300_000, "granted_fen": 300_000}
    assert _prepare(world) is None
    again = world.import_return(batch_id, world.bank_return(batch_id))
    assert not again.paid and again.problems, "同一回盘再导入一次：重复成功被标出，不再改动"


def test_a_failed_payment_is_retried_under_a_new_key_and_an_unknown_one_is_never_resent(world: World) -> None:
    batch_id = _prepare(world)
    assert batch_id is not None
    world.export(batch_id)
    with world.sessions() as session:
        first, second = sorted(a.id for a in session.scalars(select(Application)))
    world.import_return(batch_id, world.bank_return(batch_id, {first: Outcome.FAILED, second: Outcome.UNKNOWN}))
    retry = _prepare(world)
    assert retry is not None
    with world.sessions() as session:
        payments = session.scalars(select(Payment).where(Payment.batch_id == retry)).all()
        assert [(p.application_id, p.attempt) for p in payments] == [(first, 2)]
        keys = set(session.scalars(select(Payment.idempotency_key)))
    assert len(keys) == 3
    _invariants(world)


def test_a_payment_changed_after_approval_is_refused_at_export(world: World) -> None:
    batch_id = _prepare(world)
    assert batch_id is not None
    with world.sessions() as session, session.begin():
        session.execute(update(Payment).where(Payment.batch_id == batch_id).values(amount_fen=Payment.amount_fen + 1))
    with pytest.raises(pay.TamperedError, match="指纹不符"):
        world.export(batch_id)


def test_concurrent_payment_runs_include_each_grant_once(world: World) -> None:
    barrier = threading.Barrier(6)
    made: list[int | None] = []

    def run() -> None:
        barrier.wait()
        try:
            made.append(_prepare(world))
        except Exception:  # a run that lost the race is refused whole
            made.append(None)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _invariants(world)["live"] == 2
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 2


def test_a_run_that_crashes_half_way_leaves_nothing_and_the_rerun_pays_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = pay.payment_fingerprint

    def crash_on_second(*args: Any, **kwargs: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("进程在批次生成中途被终止")
        return real(*args, **kwargs)

    monkeypatch.setattr(pay, "payment_fingerprint", crash_on_second)
    with pytest.raises(SystemExit):
        _prepare(world)
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 0
    monkeypatch.setattr(pay, "payment_fingerprint", real)
    batch_id = _prepare(world)
    assert batch_id is not None
    data = world.export(batch_id)
    # crash after export, before the return came back: exporting again resends the same keys
    assert world.export(batch_id) == data
    world.import_return(batch_id, world.bank_return(batch_id))
    assert _invariants(world) == {"live": 2, "paid_fen": 300_000, "granted_fen": 300_000}


def test_fifty_concurrent_approvals_and_payment_runs_pay_each_grant_exactly_once(world: World) -> None:
    """Six more hires, each claimed by both enterprises; 50 threads at once close notices
    (approve) and run payments. Each hire is granted to one enterprise and paid to it exactly once."""
    claims = []
    for n in range(6):
        person = id_number(f"45010320030701{n:03d}")
        claims += [world.claim("E1", person), world.claim("E2", person)]
    for app_id in claims:
        world.to_notice(app_id)
    barrier = threading.Barrier(50)
    errors: list[str] = []

    def worker(n: int) -> None:
        barrier.wait()
        try:
            if n % 2:
                _prepare(world)
            else:
                world.step(apps.close_notice, world.engine, None, claims[n // 2 % len(claims)], today=CLOSED_ON)
        except (ServiceError, CaseError, StaleDataError) as exc:  # refused: taken, lost a race, wrong state
            errors.append(type(exc).__name__)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    while _prepare(world) is not None:  # approvals that committed after the last run
        pass
    with world.sessions() as session:
        batches = [b.id for b in pay.open_batches(session, _finance(world))]
    for batch_id in batches:
        world.export(batch_id)
        world.import_return(batch_id, world.bank_return(batch_id))
    assert world.live_items() == 2 + 6, errors
    with world.sessions() as session:
        paid = session.execute(
            select(Payment.application_id, func.count())
            .where(Payment.status == "paid")
            .group_by(Payment.application_id)
        ).all()
        granted = set(session.scalars(select(GrantItem.application_id).where(GrantItem.status == "live")))
    assert {app_id for app_id, _ in paid} == granted and all(count == 1 for _, count in paid)
    assert _invariants(world) == {"live": 8, "paid_fen": 1_200_000, "granted_fen": 1_200_000}
