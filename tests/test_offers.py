"""政策找我: a claimant confirms their own 免申即享 case with an account of their own, audited, and
the payment run pays into that account; anyone else's case or account is refused. Confirmation
is not a guard on approval (jiuye.service.offers). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from claims_world import PERSON, World, built_world
from jiuye.service import disbursement as pay
from jiuye.service.accounts import add_bank_account
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.models import Application, AuditEvent, BankAccount, Payment
from jiuye.service.offers import confirm_offer, list_offers

PAY_DAY = dt.date(2025, 12, 15)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, accounts=True, granted=(("E1", PERSON),)) as built:
        yield built


def _proactive(world: World) -> tuple[int, int, int]:
    """E1's granted claim as a 免申即享 case, and E1's two accounts (older, newer)."""
    with world.sessions() as session, session.begin():
        app = session.scalars(select(Application).where(Application.subject_id == world.subjects["E1"])).one()
        app.source = "proactive"
        app_id = app.id
    newer = world.step(
        add_bank_account, world.protector, world.callers["finance"], world.subjects["E1"], bank_name="另一银行",
        holder_name="企业E1", account_no="6217000011112222999", today=dt.date(2025, 6, 1),
    )  # fmt: skip
    with world.sessions() as session:
        older = session.scalars(
            select(BankAccount.id).where(BankAccount.subject_id == world.subjects["E1"]).order_by(BankAccount.id)
        ).first()
    assert older is not None
    return app_id, int(older), int(newer.id)


def _paid_into(world: World, app_id: int) -> int:
    batch = world.step(pay.prepare_batch, world.protector, world.fingerprint_key, world.callers["finance"],
                       pay_date=PAY_DAY, today=PAY_DAY)  # fmt: skip
    assert batch is not None
    with world.sessions() as session:
        return int(session.scalars(select(Payment.account_id).where(Payment.application_id == app_id)).one())


def test_the_confirmed_account_is_paid_into(world: World) -> None:
    app_id, older, _ = _proactive(world)
    firm = world.callers["firm_E1"]
    total, offers = world.step(list_offers, firm)
    assert total == 1 and offers[0].id == app_id
    world.step(confirm_offer, firm, app_id, older)
    with world.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "application.claimant_confirm")).all()
        assert [e.entity_id for e in events] == [str(app_id)] and "6217" in events[0].detail
        assert "6217000011112222001" not in events[0].detail, "审计记录只留脱敏账号"
    with pytest.raises(ConflictError):
        world.step(confirm_offer, firm, app_id, older)
    assert _paid_into(world, app_id) == older, "按本人确认时选定的账户发放"


def test_unconfirmed_cases_are_paid_into_the_latest_account(world: World) -> None:
    app_id, _, newer = _proactive(world)
    assert _paid_into(world, app_id) == newer


def test_only_the_own_case_and_an_own_account(world: World) -> None:
    app_id, older, _ = _proactive(world)
    with pytest.raises(NotFoundError):
        world.step(confirm_offer, world.callers["firm_E2"], app_id, older)
    with world.sessions() as session:
        e2_account = session.scalars(select(BankAccount.id).where(BankAccount.subject_id == world.subjects["E2"])).one()
    with pytest.raises(InputError):
        world.step(confirm_offer, world.callers["firm_E1"], app_id, e2_account)
    with pytest.raises(ForbiddenError):
        world.step(confirm_offer, world.callers["clerk"], app_id, older)
    with world.sessions() as session:
        app = session.get(Application, app_id)
        assert app is not None and app.claimant_confirmed_at is None and app.confirmed_account_id is None
