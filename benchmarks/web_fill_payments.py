"""Fill payment batches and the 1131 ledger after ``web_fill.fill`` (for web_pages.py).

Written as the service writes them (:mod:`jiuye.service.disbursement`, :mod:`jiuye.service.bank_files`,
:mod:`jiuye.service.assistance`), in bulk: each paying subject's bank account (blind index, sealed,
masked); the district 450103's paid cases in reconciled batches of 400 with paid payments, and
part of its approved cases in one exported batch (the rest wait for the next batch), each payment
with its idempotency key and the HMAC fingerprint over the fields fixed at approval; graduates in
the ledger with some services given; and the audit events of each step, chained after the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from stdnum.cn import ric
from web_fill import Chain

from jiuye.identifiers import mask_id
from jiuye.payments import payment_fingerprint, payment_key
from jiuye.service.bank_files import approved_payment
from jiuye.service.models import Application, BankAccount, Graduate, Payment, PaymentBatch, ServiceEvent, Subject, User
from jiuye.service.protect import Protector

__all__ = ["fill_ledger", "fill_payments"]

PAY_DATE = dt.date(2025, 10, 15)
BATCH_SIZE = 400


def _accounts(session: Session, protector: Protector, subject_ids: set[int]) -> dict[int, BankAccount]:
    """Each subject's account in force on the pay date (a new one where the subject has none)."""
    have = {a.subject_id for a in session.scalars(select(BankAccount).where(BankAccount.subject_id.in_(subject_ids)))}
    names = dict(session.execute(select(Subject.id, Subject.name).where(Subject.id.in_(subject_ids - have))).all())
    rows = []
    for subject_id, name in names.items():
        number = f"6217{subject_id:015d}"
        rows.append({
            "subject_id": subject_id, "bank_name": "示例银行南宁分行", "holder_name": name,
            "account_index": protector.blind_index("account", number), "account_sealed": protector.seal(number),
            "account_masked": mask_id(number), "valid_from": dt.date(2025, 1, 2), "recorded_on": dt.date(2025, 1, 2),
        })  # fmt: skip
    if rows:
        session.execute(insert(BankAccount), rows)
    accounts: dict[int, BankAccount] = {}
    for account in session.scalars(select(BankAccount).where(BankAccount.subject_id.in_(subject_ids))):
        accounts[account.subject_id] = account  # ordered by id: the latest wins
    return accounts


def _batch(
    session: Session, chain: Chain, fingerprint_key: bytes, finance: User, apps: list[Application],
    accounts: dict[int, BankAccount], number: int, *, paid: bool,
) -> None:  # fmt: skip
    """One batch of ``apps``: reconciled with every payment paid, or exported and awaiting the bank."""
    batch = PaymentBatch(
        batch_no=f"JY{PAY_DATE:%Y%m%d}BENCH{number:03d}", region=finance.region, pay_date=PAY_DATE,
        declared_count=len(apps), declared_total_fen=sum(a.amount_approved_fen or 0 for a in apps),
        status="reconciled" if paid else "exported", created_by=finance.id,
    )  # fmt: skip
    session.add(batch)
    session.flush()
    scope = hashlib.sha256(b"jiuye payment scope" + fingerprint_key).hexdigest()[:12]  # as prepare_batch
    rows: list[dict[str, Any]] = []
    for app in apps:
        account = accounts[app.subject_id]
        payment = Payment(
            application_id=app.id, attempt=1, idempotency_key=payment_key(app.id, 1, scope=scope), batch_id=batch.id,
            account_id=account.id, payee_name=account.holder_name, amount_fen=app.amount_approved_fen or 0,
            status="paid" if paid else "exported", bank_message="成功" if paid else None,
        )  # fmt: skip
        payment.fingerprint = payment_fingerprint(approved_payment(payment, app, account), key=fingerprint_key)
        rows.append({c: getattr(payment, c) for c in (
            "application_id", "attempt", "idempotency_key", "batch_id", "account_id", "payee_name", "amount_fen",
            "fingerprint", "status", "bank_message")})  # fmt: skip
    session.execute(insert(Payment), rows)
    batch.file_sha256 = hashlib.sha256(batch.batch_no.encode()).hexdigest()  # stands for the bank file's digest
    detail = {"batch": batch.batch_no, "count": batch.declared_count, "total_fen": batch.declared_total_fen,
              "held_out": []}  # fmt: skip
    chain.add("finance", "batch.prepare", batch.id, detail, entity="batch")
    chain.add("finance", "batch.export", batch.id, {"batch": batch.batch_no, "format": "text",
                                                    "sha256": batch.file_sha256}, entity="batch")  # fmt: skip
    if paid:
        detail = {"batch": batch.batch_no, "paid": len(apps), "failed": 0, "unknown": 0, "reversed": 0, "problems": []}
        chain.add("finance", "batch.reconcile", batch.id, detail, entity="batch")


def fill_payments(session: Session, protector: Protector, audit_key: bytes, fingerprint_key: bytes) -> list[int]:
    """Batches of the finance user's district; returns their ids."""
    finance = session.scalars(select(User).where(User.username == "finance")).one()
    query = select(Application).where(Application.region == finance.region, Application.state.in_(("paid", "approved")))
    apps = list(session.scalars(query.order_by(Application.id)))
    accounts = _accounts(session, protector, {a.subject_id for a in apps})
    chain = Chain(session, audit_key, dt.datetime(2025, 10, 14, 1, 0, tzinfo=dt.UTC))
    paid = [a for a in apps if a.state == "paid"]
    batches = [paid[i : i + BATCH_SIZE] for i in range(0, len(paid), BATCH_SIZE)]
    for number, chunk in enumerate(batches, start=1):
        _batch(session, chain, fingerprint_key, finance, chunk, accounts, number, paid=True)
    waiting = [a for a in apps if a.state == "approved"][: BATCH_SIZE // 2]
    if waiting:
        _batch(session, chain, fingerprint_key, finance, waiting, accounts, len(batches) + 1, paid=False)
    chain.write(session)
    return list(session.scalars(select(PaymentBatch.id).order_by(PaymentBatch.id)))


def fill_ledger(session: Session, protector: Protector, audit_key: bytes, graduates: int) -> int:
    """``graduates`` graduates of 2025 in the caseworker's district, registered over the autumn, two
    in three with services given (contact, policy briefing, career guidance); returns how many."""
    clerk = session.scalars(select(User).where(User.username == "clerk")).one()
    people = []
    for i in range(graduates):
        first17 = f"45010320030{7 + i // 9000}{1 + i % 9000 // 300:02d}{i % 300:03d}"
        number = first17 + ric.calc_check_digit(first17 + "0")
        people.append({
            "kind": "person", "name": f"基准毕业生{i:05d}", "region": clerk.region,
            "number_index": protector.blind_index("id_number", number), "number_sealed": protector.seal(number),
            "number_masked": mask_id(number), "identity_status": "verified",
        })  # fmt: skip
    session.execute(insert(Subject), people)
    ids = list(session.scalars(select(Subject.id).where(Subject.name.like("基准毕业生%")).order_by(Subject.id)))
    rows = [{
        "subject_id": sid, "region": clerk.region, "caseworker_id": clerk.id, "school": "广西示例大学",
        "major": "计算机科学与技术", "graduated_on": dt.date(2025, 6, 30),
        "hardship": "low_income_family" if i % 7 == 0 else "", "registered_on": dt.date(2025, 9, 1) + dt.timedelta(
        days=i % 60), "status": "in_service" if i % 3 else "registered",
        "status_since": dt.date(2025, 9, 1) + dt.timedelta(days=i % 60), "profile": "{}",
    } for i, sid in enumerate(ids)]  # fmt: skip
    session.execute(insert(Graduate), rows)
    grads = list(session.execute(select(Graduate.id, Graduate.registered_on).order_by(Graduate.id)).all())
    events = [
        {"graduate_id": gid, "kind": kind, "on": on + dt.timedelta(days=k + 2), "staff_id": clerk.id,
         "channel": "电话", "evidence": "通话记录"}
        for n, (gid, on) in enumerate(grads) if n % 3
        for k, kind in enumerate(("contact", "policy_briefing", "career_guidance"))
    ]  # fmt: skip
    session.execute(insert(ServiceEvent), events)
    chain = Chain(session, audit_key, dt.datetime(2025, 10, 20, 1, 0, tzinfo=dt.UTC))
    for (gid, _), person in zip(grads, people, strict=True):
        chain.add("clerk", "graduate.register", gid, {"number": person["number_masked"], "hardship": []},
                  entity="graduate")  # fmt: skip
    chain.write(session)
    return len(grads)
