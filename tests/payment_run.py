"""A payment run in its own process, for fault injection: ``python payment_run.py SPEC.json``.

One run is what finance does: prepare a batch of everything approved and unpaid, then for every
batch not yet reconciled export the bank file, let the bank pay it and import the bank's return.
The bank is simulated with the one property that matters: it pays an idempotency key once, and
remembers the keys it paid in a file of its own (a real bank's ledger survives our crashes).

``SPEC["kill"]`` names where the process kills itself with SIGKILL: ``before:N`` (inside the
N-th transaction, just before it commits), ``after:N`` (just after it committed) or ``bank:N``
(after the bank paid the N-th exported batch, before its return was imported).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from jiuye.payments import Outcome, simulate_return
from jiuye.service import disbursement as pay
from jiuye.service.auth import Caller
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.protect import Protector


def _killer(kill: str | None) -> Any:
    commits = {"n": 0}

    def maybe(point: str) -> None:
        if point == kill:
            os.kill(os.getpid(), signal.SIGKILL)

    @event.listens_for(Session, "before_commit")
    def _before(_session: Session) -> None:
        maybe(f"before:{commits['n'] + 1}")

    @event.listens_for(Session, "after_commit")
    def _after(_session: Session) -> None:
        commits["n"] += 1
        maybe(f"after:{commits['n']}")

    return maybe


def _bank_pays(ledger: Path, keys: dict[str, int]) -> None:
    """The bank pays each key it has not paid before, and remembers it durably."""
    paid: list[list[Any]] = json.loads(ledger.read_text()) if ledger.exists() else []
    known = {key for key, _ in paid}
    paid += [[key, app] for key, app in keys.items() if key not in known]
    temporary = ledger.with_suffix(".tmp")
    temporary.write_text(json.dumps(paid))
    temporary.replace(ledger)


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    maybe = _killer(spec.get("kill"))
    keys = {name: bytes.fromhex(value) for name, value in spec["keys"].items()}
    protector = Protector(keys["index"], keys["encryption"])
    finance = Caller(**spec["finance"])
    engine = make_engine(spec["url"])
    sessions = make_sessions(engine, audit_key=keys["audit"])
    pay_date = dt.date.fromisoformat(spec["pay_date"])
    with transaction(sessions) as session:
        pay.prepare_batch(session, protector, keys["fingerprint"], finance, pay_date=pay_date, today=pay_date)
    with sessions() as session:
        batches = [batch.id for batch in pay.open_batches(session, finance)]
    for exported, batch_id in enumerate(batches, start=1):
        with transaction(sessions) as session:
            pay.export_batch(session, protector, keys["fingerprint"], finance, batch_id, payer_account=spec["payer"])
        with sessions() as session:
            batch = session.get(pay.PaymentBatch, batch_id)
            sent, payments = pay.bank_batch(session, protector, keys["fingerprint"], finance, batch, spec["payer"])
            by_key = {p.idempotency_key: p.application_id for p in payments}
        _bank_pays(Path(spec["bank_ledger"]), by_key)
        maybe(f"bank:{exported}")
        data = simulate_return(sent, dict.fromkeys(by_key, Outcome.PAID), at=dt.datetime(2025, 12, 16, 10, 0))
        with transaction(sessions) as session:
            pay.import_return(
                session, protector, keys["fingerprint"], finance, batch_id, data, payer_account=spec["payer"]
            )
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
