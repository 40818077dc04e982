"""Voiding batches and payments: by a second finance user, only while the bank cannot have paid,
and the grant payable again under a new key; a bank that pays a voided key anyway is surfaced.
On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from claims_world import PAYER, TWO_GRANTS, World, built_world
from jiuye.payments import Outcome, ProblemKind, simulate_return
from jiuye.service import disbursement as pay
from jiuye.service import voids
from jiuye.service.errors import ForbiddenError, InputError
from jiuye.service.models import Application, AuditEvent, Payment, PaymentBatch, SafetyHit

PAY_DAY = dt.date(2025, 12, 15)
REASON = "收款账户待核实，本批暂缓发放"


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, accounts=True, granted=TWO_GRANTS) as built:
        yield built


def _prepare(world: World) -> int | None:
    args = (world.protector, world.fingerprint_key, world.callers["finance"])
    batch = world.step(pay.prepare_batch, *args, pay_date=PAY_DAY, today=PAY_DAY)
    return None if batch is None else int(batch.id)


def _payments(world: World, batch_id: int) -> list[Payment]:
    with world.sessions() as session:
        return list(session.scalars(select(Payment).where(Payment.batch_id == batch_id).order_by(Payment.id)))


def _void_payment(world: World, payment_id: int, who: str = "finance2", **kw: Any) -> Any:
    return world.step(voids.void_payment, world.callers[who], payment_id, reason=REASON, **kw)


def _void_batch(world: World, batch_id: int, who: str = "finance2", **kw: Any) -> Any:
    return world.step(voids.void_batch, world.callers[who], batch_id, reason=REASON, **kw)


def test_a_pending_payment_is_voided_by_a_second_finance_user_and_paid_again_under_a_new_key(world: World) -> None:
    batch_id = _prepare(world)
    assert batch_id is not None
    first, second = _payments(world, batch_id)
    with pytest.raises(ForbiddenError, match="生成该批次的财务人员"):
        _void_payment(world, first.id, who="finance")
    with pytest.raises(ForbiddenError):
        world.step(voids.void_payment, world.callers["clerk"], first.id, reason=REASON)
    with pytest.raises(InputError, match="写明原因"):
        world.step(voids.void_payment, world.callers["finance2"], first.id, reason="无")
    _void_payment(world, first.id)
    rows = world.export(batch_id).decode("utf-8-sig").split("\r\n")
    assert len(rows) == 3 and rows[0].split("|")[1:3] == ["1", "1500.00"], "作废的付款不进代发文件，汇总随之调整"
    world.import_return(batch_id, world.bank_return(batch_id))
    retry = _prepare(world)
    assert retry is not None
    (again,) = _payments(world, retry)
    assert (again.application_id, again.attempt) == (first.application_id, 2)
    assert again.idempotency_key != first.idempotency_key
    world.export(retry)
    world.import_return(retry, world.bank_return(retry))
    with world.sessions() as session:
        assert {a.state for a in session.scalars(select(Application))} == {"paid"}
        paid = session.scalars(select(Payment.application_id).where(Payment.status == "paid")).all()
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "payment.void"))
        assert session.get(PaymentBatch, batch_id).status == "reconciled"
    assert sorted(paid) == sorted([first.application_id, second.application_id]), "每项补贴只付一次"
    assert event is not None and event.actor == "finance2" and REASON in event.detail


def test_an_exported_payment_is_voided_only_on_the_statement_that_the_bank_did_not_execute(world: World) -> None:
    batch_id = _prepare(world)
    assert batch_id is not None
    world.export(batch_id)
    first, _ = _payments(world, batch_id)
    with pytest.raises(voids.StatementRequiredError, match="银行未执行"):
        _void_payment(world, first.id)
    assert _void_payment(world, first.id, bank_not_executed=True).status == "voided"
    with pytest.raises(voids.VoidRefusedError, match="已作废"):
        _void_payment(world, first.id, bank_not_executed=True)


def test_paid_and_unknown_payments_are_never_voided(world: World) -> None:
    batch_id = _prepare(world)
    assert batch_id is not None
    world.export(batch_id)
    first, second = _payments(world, batch_id)
    world.import_return(batch_id, world.bank_return(batch_id, {second.application_id: Outcome.UNKNOWN}))
    with pytest.raises(voids.VoidRefusedError, match="已付款成功"):
        _void_payment(world, first.id, bank_not_executed=True)
    with pytest.raises(voids.VoidRefusedError, match="结果未知"):
        _void_payment(world, second.id, bank_not_executed=True)
    with pytest.raises(voids.VoidRefusedError, match="结果未知"):
        _void_batch(world, batch_id, bank_not_executed=True)
    assert [p.status for p in _payments(world, batch_id)] == ["paid", "unknown"]


def test_a_voided_batch_cannot_be_exported_and_its_grants_go_into_the_next_run_once(world: World) -> None:
    batch_id = _prepare(world)
    assert batch_id is not None
    with pytest.raises(ForbiddenError):
        _void_batch(world, batch_id, who="finance")
    assert len(_void_batch(world, batch_id)) == 2
    with pytest.raises(pay.BatchVoidedError):
        world.export(batch_id)
    with world.sessions() as session:
        batch = session.get(PaymentBatch, batch_id)
        assert (batch.status, batch.void_reason, batch.declared_count) == ("voided", REASON, 0)
        assert [b.id for b in pay.open_batches(session, world.callers["finance"])] == []
    retry = _prepare(world)
    assert retry is not None and [p.attempt for p in _payments(world, retry)] == [2, 2]
    assert _prepare(world) is None, "重新发放只生成一次"


def test_a_bank_that_pays_a_voided_key_anyway_is_surfaced_and_the_grant_is_not_paid_again(world: World) -> None:
    batch_id = _prepare(world)
    assert batch_id is not None
    world.export(batch_id)
    with world.sessions() as session:  # the file as it went to the bank, before the void
        batch = session.get(PaymentBatch, batch_id)
        sent, payments = pay.bank_batch(
            session, world.protector, world.fingerprint_key, world.callers["finance"], batch, PAYER
        )
    _void_batch(world, batch_id, bank_not_executed=True)  # the statement turns out to be wrong
    late = simulate_return(sent, {}, at=dt.datetime(2025, 12, 16, 9))  # every line paid
    result = world.import_return(batch_id, late)
    assert not result.paid and [p.kind for p in result.problems] == [ProblemKind.VOIDED_KEY] * 2
    assert "已作废" in result.problems[0].message
    with world.sessions() as session:
        hits = session.scalars(select(SafetyHit).where(SafetyHit.rule == "voided_executed")).all()
        assert sorted(h.application_id for h in hits) == sorted(p.application_id for p in payments)
        assert {p.status for p in session.scalars(select(Payment))} == {"voided"}
        assert session.get(PaymentBatch, batch_id).status == "voided"
    assert _prepare(world) is None, "银行已付作废的付款：核实前不再发放"
