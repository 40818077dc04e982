"""The bank's files of a payment batch: the file we send (every payment's fingerprint checked
first, the same file whenever exported again) and the return file it answers with (paid, failed,
unknown, reversed), reconciled against what was sent. Steps 2 and 3 of :mod:`jiuye.service.disbursement`,
which re-exports these names."""

from __future__ import annotations

import hashlib
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import Action, Role, State, transition
from jiuye.payments import (
    ApprovedPayment,
    BankBatch,
    BatchHeader,
    Outcome,
    PaymentLine,
    Reconciliation,
    parse_return,
    render_excel,
    render_text,
    verify_fingerprint,
)
from jiuye.policies.registry import get_measure
from jiuye.regions import prefix_of
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError, NotFoundError, ServiceError
from jiuye.service.models import Application, BankAccount, ClaimPerson, Payment, PaymentBatch
from jiuye.service.person_checks import departure_hits
from jiuye.service.protect import Protector
from jiuye.service.safety import revisit_sample
from jiuye.service.voids import voided_lines

__all__ = ["BatchVoidedError", "TamperedError", "approved_payment", "bank_batch", "export_batch", "import_return",
           "require_finance"]  # fmt: skip


class TamperedError(ServiceError):
    status = 409
    code = "PAYMENT_TAMPERED"


class BatchVoidedError(ServiceError):
    status = 409
    code = "BATCH_VOIDED"


def require_finance(caller: Caller) -> None:
    if caller.role != "finance":
        msg = f"角色 {caller.role} 不能办理资金发放；提示：由财务人员办理"
        raise ForbiddenError(msg)


def approved_payment(payment: Payment, app: Application, account: BankAccount) -> ApprovedPayment:
    return ApprovedPayment(
        grant_id=app.id,
        subject_id=app.subject_id,
        measure_id=app.measure_id,
        amount_fen=payment.amount_fen,
        account_index=account.account_index,
        payee_name=payment.payee_name,
        idempotency_key=payment.idempotency_key,
    )


def _batch(session: Session, caller: Caller, batch_id: int) -> PaymentBatch:
    require_finance(caller)
    # Locked: an export, an import and a void of the same batch take their turns (PostgreSQL).
    batch = session.get(PaymentBatch, batch_id, with_for_update=True)
    if batch is None or not batch.region.startswith(prefix_of(caller.region)):
        msg = f"发放批次 {batch_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return batch


def bank_batch(
    session: Session,
    protector: Protector,
    fingerprint_key: bytes,
    caller: Caller,
    batch: PaymentBatch,
    payer: str,
    *,
    include_voided: bool = False,
) -> tuple[BankBatch, list[Payment]]:
    """The batch as the bank sees it, every payment's fingerprint checked first. Voided payments
    are left out of the file; ``include_voided`` keeps them, to recognise their keys in a return."""
    query = select(Payment).where(Payment.batch_id == batch.id)
    if not include_voided:
        query = query.where(Payment.status != "voided")
    payments = list(session.scalars(query.order_by(Payment.id)))
    lines = []
    for seq, payment in enumerate(payments, start=1):
        app = session.get(Application, payment.application_id)
        account = session.get(BankAccount, payment.account_id)
        assert app is not None and account is not None
        if not verify_fingerprint(approved_payment(payment, app, account), payment.fingerprint, key=fingerprint_key):
            # On the record when the caller commits before raising on (the API does: see
            # jiuye.service.api.payments); nothing else of this step is written.
            msg = (
                f"付款记录 {payment.idempotency_key} 与核准时的指纹不符（金额、账户或户名被改动）；提示：停止发放并核查"
            )
            detail = {"batch": batch.batch_no, "payment": payment.idempotency_key, "reason": "fingerprint"}
            record(session, actor=caller.username, action="batch.refused", entity="batch", entity_id=batch.id,
                   detail=detail)  # fmt: skip
            raise TamperedError(msg)
        title = get_measure(app.measure_id).title
        account_no = protector.unseal(account.account_sealed)
        lines.append(
            PaymentLine(seq, payment.payee_name, account_no, payment.amount_fen, payment.idempotency_key, title)
        )
    header = BatchHeader(batch.batch_no, batch.declared_count, batch.declared_total_fen, payer, batch.pay_date)
    return BankBatch(header, tuple(lines)), payments


def export_batch(
    session: Session,
    protector: Protector,
    fingerprint_key: bytes,
    caller: Caller,
    batch_id: int,
    *,
    payer_account: str,
    fmt: Literal["text", "xlsx"] = "text",
    encoding: Literal["utf-8-sig", "gbk"] = "utf-8-sig",
) -> bytes:
    """The bank file; the same file again if exported twice (same lines, same keys)."""
    batch = _batch(session, caller, batch_id)
    if batch.status == "voided":
        msg = f"发放批次 {batch.batch_no} 已作废，不能导出；提示：作废的付款会在下一次生成批次时以新的幂等键重新发放"
        raise BatchVoidedError(msg)
    bank, payments = bank_batch(session, protector, fingerprint_key, caller, batch, payer_account)
    data = render_excel(bank) if fmt == "xlsx" else render_text(bank, encoding=encoding)
    for payment in payments:
        if payment.status == "pending":
            payment.status = "exported"
    if batch.status == "prepared":
        batch.status = "exported"
    batch.file_sha256 = hashlib.sha256(data).hexdigest()
    detail = {"batch": batch.batch_no, "format": fmt, "sha256": batch.file_sha256}
    record(session, actor=caller.username, action="batch.export", entity="batch", entity_id=batch.id, detail=detail)
    return data


_SETTLED = {"paid": Outcome.PAID, "failed": Outcome.FAILED, "unknown": Outcome.UNKNOWN, "reversed": Outcome.REVERSED}


def import_return(
    session: Session,
    protector: Protector,
    fingerprint_key: bytes,
    caller: Caller,
    batch_id: int,
    data: bytes,
    *,
    payer_account: str,
) -> Reconciliation:
    """Apply the bank's return file; lines with problems change nothing and are reported."""
    batch = _batch(session, caller, batch_id)
    sent, payments = bank_batch(session, protector, fingerprint_key, caller, batch, payer_account, include_voided=True)
    by_key = {p.idempotency_key: p for p in payments}
    previous = {p.idempotency_key: _SETTLED[p.status] for p in payments if p.status in _SETTLED}
    result = voided_lines(session, batch, by_key, parse_return(data, sent=sent, previous=previous))
    for line in (*result.paid, *result.failed, *result.unknown, *result.reversed):
        payment = by_key[line.key]
        payment.status, payment.bank_message = line.outcome.value, line.bank_message[:200] or None
        app = session.get(Application, payment.application_id)
        assert app is not None
        if line.outcome is Outcome.PAID and app.state == State.APPROVED.value:
            app.state = transition(State.APPROVED, Action.MARK_PAID, role=Role.FINANCE).value
    revisit_sample(session, payments, batch.batch_no)
    paid = [p.application_id for p in payments if p.status == "paid"]
    departure_hits(
        session, set(session.scalars(select(ClaimPerson.person_index).where(ClaimPerson.application_id.in_(paid))))
    )
    if batch.status != "voided" and all(p.status in ("paid", "failed", "reversed", "voided") for p in payments):
        batch.status = "reconciled"
    detail = {
        "batch": batch.batch_no,
        "paid": len(result.paid),
        "failed": len(result.failed),
        "unknown": len(result.unknown),
        "reversed": len(result.reversed),
        "problems": [p.message for p in result.problems][:20],
    }
    record(session, actor=caller.username, action="batch.reconcile", entity="batch", entity_id=batch.id, detail=detail)
    return result
