"""Fund-safety checks: a blocking hit stops the payment until cleared; flags and the post-payment
sample are recorded once with masked evidence. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from claims_world import TWO_GRANTS, World, built_world
from jiuye.service import disbursement as pay
from jiuye.service import safety
from jiuye.service.accounts import add_bank_account
from jiuye.service.errors import ForbiddenError, InputError
from jiuye.service.models import Payment, SafetyHit, Subject

PAY_DAY = dt.date(2025, 12, 15)


def _account(world: World, ref: str, number: str, since: dt.date) -> None:
    world.step(
        add_bank_account, world.protector, world.callers["finance"], world.subjects[ref],
        bank_name="示例银行", holder_name=f"企业{ref}", account_no=number, today=since,
    )  # fmt: skip


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, granted=TWO_GRANTS) as built:
        yield built


def _prepare(world: World) -> Any:
    finance = world.callers["finance"]
    return world.step(
        pay.prepare_batch, world.protector, world.fingerprint_key, finance, pay_date=PAY_DAY, today=PAY_DAY
    )


def _hits(world: World, rule: str) -> list[SafetyHit]:
    with world.sessions() as session:
        return list(session.scalars(select(SafetyHit).where(SafetyHit.rule == rule).order_by(SafetyHit.id)))


def _paid_ids(world: World, batch_id: int) -> list[int]:
    with world.sessions() as session:
        return [p.application_id for p in session.scalars(select(Payment).where(Payment.batch_id == batch_id))]


def test_an_account_changed_just_before_payout_blocks_the_payment_until_cleared(world: World) -> None:
    _account(world, "E1", "6217000011112222001", dt.date(2025, 1, 1))
    _account(world, "E1", "6217000011119999001", PAY_DAY - dt.timedelta(days=10))  # the new one
    _account(world, "E2", "6217000011112222002", dt.date(2025, 1, 1))
    first = _prepare(world)
    held = _hits(world, "account_changed")
    assert len(held) == 1 and held[0].mode == "blocking" and held[0].disposition == "open"
    evidence = json.loads(held[0].evidence)
    assert "10 天" in evidence["说明"] and "9999" not in evidence["新账户"][:12]
    assert _paid_ids(world, first.id) == [held[0].application_id + 1], "只有未被阻断的申请进入批次"
    assert _prepare(world) is None and len(_hits(world, "account_changed")) == 1, "再次运行不重复记录"
    with pytest.raises(ForbiddenError):
        world.step(safety.dispose, world.callers["finance"], held[0].id, "cleared", "电话核实为本单位新开账户")
    with pytest.raises(InputError):
        world.step(safety.dispose, world.callers["reviewer1"], held[0].id, "cleared", "无")
    world.step(safety.dispose, world.callers["reviewer1"], held[0].id, "cleared", "电话核实为本单位新开账户")
    released = _prepare(world)
    assert released is not None and _paid_ids(world, released.id) == [held[0].application_id]


def test_an_account_older_than_the_window_does_not_block(world: World) -> None:
    _account(world, "E1", "6217000011112222001", dt.date(2025, 1, 1))
    _account(world, "E1", "6217000011119999001", PAY_DAY - dt.timedelta(days=safety.ACCOUNT_CHANGE_DAYS + 1))
    _account(world, "E2", "6217000011112222002", dt.date(2025, 1, 1))
    assert len(_paid_ids(world, _prepare(world).id)) == 2
    assert _hits(world, "account_changed") == []


def test_one_account_shared_by_two_claimants_is_flagged_without_stopping_payment(world: World) -> None:
    _account(world, "E1", "6217000011112222001", dt.date(2025, 1, 1))
    _account(world, "E2", "6217000011112222001", dt.date(2025, 1, 1))  # the same account number
    batch = _prepare(world)
    assert len(_paid_ids(world, batch.id)) == 2
    flags = _hits(world, "shared_account")
    assert len(flags) == 2 and {h.mode for h in flags} == {"flag"}
    assert "2 个不同对象" in json.loads(flags[0].evidence)["说明"]


def test_one_address_shared_by_two_claimants_is_flagged_whatever_its_spelling(world: World) -> None:
    with world.sessions() as session, session.begin():
        for ref, address in (
            ("E1", "南宁市青秀区民族大道 100号 1201室"),
            ("E2", "南宁市青秀区民族大道100号１２０１室"),
        ):
            session.get(Subject, world.subjects[ref]).address_index = world.protector.blind_index("address", address)
    _account(world, "E1", "6217000011112222001", dt.date(2025, 1, 1))
    _account(world, "E2", "6217000011112222002", dt.date(2025, 1, 1))
    _prepare(world)
    flags = _hits(world, "shared_address")
    assert len(flags) == 2 and "地址" in json.loads(flags[0].evidence)["说明"]


@pytest.mark.parametrize(("rate", "drawn"), [(0, 0), (1_000_000, 2)])
def test_paid_grants_are_drawn_for_a_post_payment_visit_reproducibly(
    world: World, monkeypatch: pytest.MonkeyPatch, rate: int, drawn: int
) -> None:
    monkeypatch.setattr(safety, "REVISIT_RATE_PPM", rate)
    _account(world, "E1", "6217000011112222001", dt.date(2025, 1, 1))
    _account(world, "E2", "6217000011112222002", dt.date(2025, 1, 1))
    batch_id = _prepare(world).id
    world.export(batch_id)
    world.import_return(batch_id, world.bank_return(batch_id))
    visits = _hits(world, "revisit")
    assert len(visits) == drawn and all(h.mode == "post" for h in visits)
