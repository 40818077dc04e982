"""Receiving accounts: stored in the form the bank file takes, effective from the day the service
recorded them (a typed date cannot hide a recent change), and a payee the file cannot carry held
out of its batch without blocking the others. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from claims_world import TWO_GRANTS, World, built_world
from jiuye.identifiers import mask_id
from jiuye.payments import AccountNumberError, PayeeNameError
from jiuye.service import disbursement as pay
from jiuye.service.accounts import BackdatedError, add_bank_account
from jiuye.service.models import Application, AuditEvent, BankAccount, Payment, SafetyHit

PAY_DAY = dt.date(2025, 12, 15)
OPENED = dt.date(2025, 1, 1)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, granted=TWO_GRANTS) as built:
        yield built


def _account(world: World, ref: str, number: str, *, today: dt.date, **more: Any) -> BankAccount:
    holder = more.pop("holder_name", f"企业{ref}")
    return world.step(  # type: ignore[no-any-return]
        add_bank_account, world.protector, world.callers["finance"], world.subjects[ref],
        bank_name="示例银行", holder_name=holder, account_no=number, today=today, **more,
    )  # fmt: skip


def _prepare(world: World, *, pay_date: dt.date = PAY_DAY, today: dt.date = PAY_DAY) -> Any:
    args = (world.protector, world.fingerprint_key, world.callers["finance"])
    return world.step(pay.prepare_batch, *args, pay_date=pay_date, today=today)


def _batched(world: World, batch_id: int) -> list[int]:
    with world.sessions() as session:
        return list(session.scalars(select(Payment.application_id).where(Payment.batch_id == batch_id)))


def _hits(world: World, rule: str) -> list[SafetyHit]:
    with world.sessions() as session:
        return list(session.scalars(select(SafetyHit).where(SafetyHit.rule == rule).order_by(SafetyHit.id)))


def _app_of(world: World, ref: str) -> int:
    with world.sessions() as session:
        found = session.scalar(select(Application.id).where(Application.subject_id == world.subjects[ref]))
        assert found is not None
        return int(found)


def test_full_width_input_is_stored_in_the_bank_file_form_and_look_alikes_are_refused(world: World) -> None:
    stored = _account(world, "E1", "６２１７ ０００0-1111 2222 001", today=OPENED, holder_name="\u3000企业Ｅ1 ")
    assert stored.holder_name == "企业E1" and stored.account_masked == "6217***********2001"
    assert world.protector.unseal(stored.account_sealed) == "6217000011112222001"
    with pytest.raises(AccountNumberError, match="「²」") as caught:
        _account(world, "E2", "6217²00011112222002", today=OPENED)
    assert "11112222002" not in str(caught.value)
    with pytest.raises(PayeeNameError, match="分隔符"):
        _account(world, "E2", "6217000011112222002", today=OPENED, holder_name="企业E2|")
    with pytest.raises(PayeeNameError, match="U\\+000A"):
        _account(world, "E2", "6217000011112222002", today=OPENED, holder_name="企业\nE2")
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(BankAccount)) == 1, "被拒绝的登记不留记录"


def test_a_backdated_valid_from_is_refused_and_a_recent_change_blocks_whatever_date_was_typed(world: World) -> None:
    _account(world, "E1", "6217000011112222001", today=OPENED)
    _account(world, "E2", "6217000011112222002", today=OPENED)
    changed = PAY_DAY - dt.timedelta(days=5)
    with pytest.raises(BackdatedError, match="不能倒签"):
        _account(world, "E1", "6217000011119999001", today=changed, valid_from=dt.date(2025, 6, 1))
    # A row typed before the rule: valid_from months back, recorded five days before payment.
    with world.sessions() as session, session.begin():
        session.add(
            BankAccount(
                subject_id=world.subjects["E1"], bank_name="示例银行", holder_name="企业E1",
                account_index=world.protector.blind_index("account", "6217000011119999001"),
                account_sealed=world.protector.seal("6217000011119999001"),
                account_masked=mask_id("6217000011119999001"), valid_from=dt.date(2025, 6, 1), recorded_on=changed,
            )
        )  # fmt: skip
    batch = _prepare(world)
    assert _batched(world, batch.id) == [_app_of(world, "E2")], "五天前登记的变更被阻断"
    held = _hits(world, "account_changed")
    assert len(held) == 1 and "5 天" in json.loads(held[0].evidence)["说明"]


def test_a_far_pay_date_does_not_skip_the_account_change_window(world: World) -> None:
    _account(world, "E1", "6217000011112222001", today=OPENED)
    _account(world, "E1", "6217000011119999001", today=PAY_DAY - dt.timedelta(days=2))
    _account(world, "E2", "6217000011112222002", today=OPENED)
    batch = _prepare(world, pay_date=PAY_DAY + dt.timedelta(days=90))
    assert _batched(world, batch.id) == [_app_of(world, "E2")]
    assert len(_hits(world, "account_changed")) == 1


def test_a_payee_the_file_cannot_carry_is_held_out_without_blocking_the_others(world: World) -> None:
    """Rows stored before the payee rules: a superscript in the number, a bar in the name."""
    bad_number = "6217²00011112222001"
    with world.sessions() as session, session.begin():
        session.add(
            BankAccount(
                subject_id=world.subjects["E1"], bank_name="示例银行", holder_name="企业E1",
                account_index=world.protector.blind_index("account", bad_number),
                account_sealed=world.protector.seal(bad_number), account_masked=mask_id(bad_number),
                valid_from=OPENED, recorded_on=OPENED,
            )
        )  # fmt: skip
    _account(world, "E2", "6217000011112222002", today=OPENED)
    batch = _prepare(world)
    first, second = _app_of(world, "E1"), _app_of(world, "E2")
    assert _batched(world, batch.id) == [second], "无法写入代发文件的收款人单独留出"
    held = _hits(world, "payee_unexportable")
    assert [(h.application_id, h.mode, h.disposition) for h in held] == [(first, "blocking", "open")]
    assert "「²」" in held[0].evidence and "11112222" not in held[0].evidence
    rows = world.export(batch.id).decode("utf-8-sig").split("\r\n")
    assert len(rows) == 3 and "|6217000011112222002|" in rows[1], "其他收款人照常导出"
    with world.sessions() as session:
        actions = set(session.scalars(select(AuditEvent.action)))
        prepared = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "batch.prepare"))
    assert "safety.payee_unexportable" in actions and str(first) in str(prepared)
    assert _prepare(world) is None and len(_hits(world, "payee_unexportable")) == 1, "再次运行仍留出，不重复记录"
    # The fix: a new registration (recorded more than the change window before payment).
    _account(world, "E1", "6217000011112222001", today=PAY_DAY - dt.timedelta(days=40))
    again = _prepare(world)
    assert again is not None and _batched(world, again.id) == [first]
