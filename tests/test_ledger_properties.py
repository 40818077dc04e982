"""Property tests of the ledger over random sequences of claims, reviews, objections, withdrawals,
approvals, payment runs, exports, voids of batches and payments (by a second finance user) and
bank returns, on SQLite and PostgreSQL.

After every step: at most one live grant per ledger key, at most one live payment per grant,
nothing paid without a live grant or above it, Σ paid ≤ Σ granted, a voided payment never paid
nor written to a bank file again, and each grant paid at most once however often it was voided
and re-run. Refusals (a hire already
granted, a wrong state, a lost race) are part of the game; any other error fails the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from claims_world import CLOSED_ON, World, id_number
from conftest import new_database
from jiuye.cases import CaseError
from jiuye.payments import Outcome
from jiuye.service import applications as apps
from jiuye.service import disbursement as pay
from jiuye.service import voids
from jiuye.service.errors import ServiceError
from jiuye.service.models import LIVE_PAYMENT, Application, GrantItem, Payment

PERSONS = [id_number(f"45010320030801{n:03d}") for n in range(3)]  # few, so claims compete
REFUSED = (ServiceError, CaseError, StaleDataError)
VOID = "收款账户待核实，本批暂缓发放"


#: Operations a walk is made of, with the target they pick by index (claims, batches, outcomes).
OPERATIONS = st.tuples(
    st.sampled_from(["claim", "claim_reviewed", "claim_reviewed", "close", "close", "object", "withdraw", "granted",
                     "prepare", "prepare", "export", "return", "return", "void_batch", "void_payment"]),
    st.integers(min_value=0, max_value=1_000),
    st.sampled_from(list(Outcome)),
)  # fmt: skip


class Walk:
    """One random walk over a fresh database: every step, then the invariants."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.claims: list[int] = []
        self.batches: list[int] = []

    def _try(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.world.step(fn, *args, **kwargs)
        except REFUSED:
            return None

    def do(self, name: str, pick: int, outcome: Outcome) -> None:
        world, callers = self.world, self.world.callers
        target = self.claims[pick % len(self.claims)] if self.claims else None
        if name.startswith("claim") or name == "granted":
            self.claims.append(world.claim(("E1", "E2")[pick % 2], PERSONS[pick // 2 % len(PERSONS)]))
            if name in ("claim_reviewed", "granted"):
                self._try(apps.accept, callers["clerk"], self.claims[-1])
                self._try(apps.approve, callers["reviewer1"], self.claims[-1], today=dt.date(2025, 12, 2))
            if name == "granted":  # so that batches of several payments, and partial voids, come up
                self._try(apps.close_notice, world.engine, None, self.claims[-1], today=CLOSED_ON)
        elif name == "close" and target:
            self._try(apps.close_notice, world.engine, None, target, today=CLOSED_ON)
        elif name == "object" and target:
            self._try(apps.object_to, callers["clerk"], target, "群众反映该人员未实际到岗")
        elif name == "withdraw" and target:
            self._try(apps.withdraw, callers["clerk"], target)
        elif name == "prepare":
            batch = self._try(
                pay.prepare_batch,
                world.protector,
                world.fingerprint_key,
                callers["finance"],
                pay_date=dt.date(2025, 12, 15),
                today=dt.date(2025, 12, 15),
            )
            if batch is not None:
                self.batches.append(int(batch.id))
        elif name == "export" and self.batches:
            self._export(self.batches[pick % len(self.batches)])
        elif name == "void_batch" and self.batches:
            # the walk's bank executes a file only at "return", so the statement is true here
            batch_id = self.batches[pick % len(self.batches)]
            self._try(voids.void_batch, callers["finance2"], batch_id, reason=VOID, bank_not_executed=True)
        elif name == "void_payment" and self.batches:
            with world.sessions() as session:
                ids = sorted(session.scalars(select(Payment.id)))
            if ids:
                payment_id = ids[pick % len(ids)]
                self._try(voids.void_payment, callers["finance2"], payment_id, reason=VOID, bank_not_executed=True)
        elif name == "return" and self.batches:
            batch_id = self.batches[pick % len(self.batches)]
            if not self._export(batch_id):
                return  # a voided batch: the bank never gets it
            with world.sessions() as session:
                ids = sorted(session.scalars(select(Payment.application_id).where(Payment.batch_id == batch_id)))
            # the first payment gets the drawn outcome, the rest are paid
            by_app = {app_id: outcome if n == 0 else Outcome.PAID for n, app_id in enumerate(ids)}
            world.import_return(batch_id, world.bank_return(batch_id, by_app))

    def _export(self, batch_id: int) -> bool:
        """Export a batch; its file names no voided payment. False if the batch was voided."""
        try:
            data = self.world.export(batch_id)
        except pay.BatchVoidedError:
            return False
        sent = {row.split("|")[4] for row in data.decode("utf-8-sig").split("\r\n")[1:] if row}
        with self.world.sessions() as session:
            voided = set(session.scalars(select(Payment.idempotency_key).where(Payment.status == "voided")))
        assert not sent & voided, "作废的付款不得再写入代发文件"
        return True

    def check(self) -> None:
        with self.world.sessions() as session:
            keys = (GrantItem.ledger_key, GrantItem.item_key, GrantItem.period)
            twice = select(*keys).where(GrantItem.status == "live").group_by(*keys).having(func.count() > 1)
            assert not session.execute(twice).all(), "同一事项有两笔有效补贴"
            live = select(Payment.application_id).where(Payment.status.in_(LIVE_PAYMENT))
            counts = session.execute(live.add_columns(func.count()).group_by(Payment.application_id)).all()
            assert all(count == 1 for _, count in counts), "每项补贴至多一笔有效付款"
            granted = dict(
                session.execute(
                    select(GrantItem.application_id, func.sum(GrantItem.amount_fen))
                    .where(GrantItem.status == "live")
                    .group_by(GrantItem.application_id)
                ).all()
            )
            paid = session.execute(
                select(Payment.application_id, func.sum(Payment.amount_fen))
                .where(Payment.status == "paid")
                .group_by(Payment.application_id)
            ).all()
            paid_count = select(Payment.application_id).where(Payment.status == "paid").group_by(Payment.application_id)
            assert not session.execute(paid_count.having(func.count() > 1)).all(), "同一补贴不得付款两次"
            for app_id, amount in paid:
                assert amount <= granted.get(app_id, 0), f"申请 {app_id} 已付超过核准"
                assert session.get(Application, app_id).state == "paid"
            assert sum(a for _, a in paid) <= sum(granted.values()), "已付总额不得超过核准总额"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_ledger_invariants_hold_over_random_operation_sequences(kind: str, tmp_path: Path) -> None:
    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(OPERATIONS, min_size=20, max_size=40))
    def walk(steps: list[tuple[str, int, Outcome]]) -> None:
        with new_database(kind, tmp_path) as url:
            world = World(url)
            try:
                world.open_accounts()
                walker = Walk(world)
                for step in steps:
                    walker.do(*step)
                    walker.check()
            finally:
                world.db.dispose()

    walk()
