"""A ceiling (最高, 不超过) is never approved or paid as an amount: the caseworker sets the amount within
it, approval checks it against the day's ceiling, and the payment carries the amount set (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from claims_world import CLOSED_ON, FIRMS, PERSON, World, built_world
from jiuye.service import applications as apps
from jiuye.service import disbursement as pay
from jiuye.service.accounts import add_bank_account
from jiuye.service.amounts import (
    AmountAboveCeilingError,
    AmountLockedError,
    AmountNotACeilingError,
    AmountNotSetError,
    set_amount,
)
from jiuye.service.models import Application, GrantItem, Payment

PAY_DAY = dt.date(2025, 12, 15)
CEILING_FEN = 250_000  # 中级工每人最高2500元（行动方案（八））


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, accounts=True) as built:
        built.add_person("P", PERSON)
        built.step(
            add_bank_account, built.protector, built.callers["finance"], built.subjects["P"],
            bank_name="示例银行", holder_name="个人P", account_no="6217000011112222003", today=dt.date(2025, 1, 1),
        )  # fmt: skip
        yield built


def _training() -> dict[str, Any]:
    """A worker's training subsidy (gx.training): an intermediate certificate, up to 2500 yuan."""
    return {
        "employers": [{"id": "E1", "uscc": FIRMS["E1"], "kind": "enterprise", "region": "450103"}],
        "persons": [{"id": "P1", "id_number": PERSON}],
        "certificates": [
            {"person": "P1", "employer": "E1", "level": "intermediate", "occupation_name": "焊工",
             "ai_shortage_occupation": False, "issued_on": "2025-09-20", "compliant_training": True}
        ],
    }  # fmt: skip


def _claim(world: World) -> int:
    return world.claim("P", data=_training(), measure="gx.training", claimant="P1")


def _app(world: World, app_id: int) -> Application:
    with world.sessions() as session:
        app = session.get(Application, app_id)
        assert app is not None
        return app


def _paid(world: World) -> list[int]:
    batch = world.step(
        pay.prepare_batch, world.protector, world.fingerprint_key, world.callers["finance"], pay_date=PAY_DAY,
        today=PAY_DAY,
    )  # fmt: skip
    if batch is None:
        return []
    with world.sessions() as session:
        return list(session.scalars(select(Payment.amount_fen).where(Payment.batch_id == batch.id)))


def test_the_submission_keeps_the_ceiling_apart_from_the_amount_due(world: World) -> None:
    app = _app(world, _claim(world))
    assert (app.status_submitted, app.amount_submitted_fen, app.ceiling_submitted_fen) == (
        "eligible", None, CEILING_FEN
    )  # fmt: skip


def test_a_ceiling_is_not_approved_until_the_caseworker_sets_the_amount(world: World) -> None:
    app_id = _claim(world)
    world.to_notice(app_id)
    with pytest.raises(AmountNotSetError, match=re.escape("最高限额（2,500.00元）")) as refused:
        world.step(apps.close_notice, world.engine, None, app_id, today=CLOSED_ON)
    assert (refused.value.status, refused.value.code) == (409, "AMOUNT_NOT_SET")
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(GrantItem)) == 0, "未核准：发放台账中没有事项"
    assert _app(world, app_id).amount_approved_fen is None
    assert _paid(world) == [], "最高限额不能作为金额进入代发批次"


def test_an_amount_above_the_ceiling_is_refused(world: World) -> None:
    app_id = _claim(world)
    with pytest.raises(AmountAboveCeilingError, match=re.escape("超过政策规定的最高限额 2,500.00元")) as refused:
        world.step(set_amount, world.callers["clerk"], app_id, CEILING_FEN + 1, "按培训成本核定")
    assert (refused.value.status, refused.value.code) == (422, "AMOUNT_ABOVE_CEILING")
    assert _app(world, app_id).amount_set_fen is None


def test_the_amount_set_within_the_ceiling_is_approved_and_paid_not_the_ceiling(world: World) -> None:
    app_id = _claim(world)
    world.step(set_amount, world.callers["clerk"], app_id, 180_000, "按实际培训成本1800元核定")
    world.to_notice(app_id)
    world.step(apps.close_notice, world.engine, None, app_id, today=CLOSED_ON)
    assert _app(world, app_id).amount_approved_fen == 180_000
    with world.sessions() as session:
        assert list(session.scalars(select(GrantItem.amount_fen))) == [180_000]
    assert _paid(world) == [180_000]


def test_the_amount_is_locked_once_a_reviewer_approved(world: World) -> None:
    app_id = _claim(world)
    world.step(set_amount, world.callers["clerk"], app_id, 180_000, "按实际培训成本核定")
    world.to_notice(app_id)
    with pytest.raises(AmountLockedError) as refused:
        world.step(set_amount, world.callers["clerk"], app_id, 250_000, "改为按最高标准")
    assert refused.value.code == "AMOUNT_LOCKED"


def test_a_measure_whose_amount_the_rules_compute_needs_no_amount_set(world: World) -> None:
    app_id = world.claim("E1")  # gx.expansion: 1500 yuan per person, an amount due
    with pytest.raises(AmountNotACeilingError) as refused:
        world.step(set_amount, world.callers["clerk"], app_id, 100_000, "试图改动金额")
    assert refused.value.code == "AMOUNT_NOT_A_CEILING"
    assert _app(world, app_id).amount_submitted_fen == 150_000
