"""Voiding payments and batches, and reading a batch's payments.

Which payments may be voided (a void frees the grant for a new attempt under a new key, so it
must never free one the bank may pay):

* ``pending`` (prepared, the file not yet exported): yes.
* ``exported``: only with the caller's explicit statement that the bank has not executed the
  file (it was not handed over, or the bank cancelled it). Should a later return report a voided
  key paid (or unknown, or reversed), that is surfaced as a problem of the reconciliation and a
  blocking hit (``voided_executed``), never lost: see :func:`voided_lines`.
* ``unknown``: no, the bank may have paid; a bank inquiry settles it first.
* ``paid``: never; a reversal is the bank's (退汇 in a return file).
* ``failed``, ``reversed``, ``voided``: nothing to void, the grant is already free.

Voiding a batch voids its pending and exported payments (paid, failed and reversed ones stay as
the bank reported them); a batch with a payment of unknown outcome is not voided.

Separation of duties (named assumption: a four-eyes rule of our own, as for approvals): a void is
made by a finance user other than the one who prepared the batch. The preparer could otherwise
export a file, void it and prepare again on their own, and both files might reach the bank.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.payments import Outcome, ProblemKind, Reconciliation, ReturnLine, ReturnProblem
from jiuye.regions import prefix_of
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.models import Application, Payment, PaymentBatch
from jiuye.service.safety import record_hit

__all__ = ["VoidRefusedError", "batch_payments", "void_batch", "void_payment", "voided_lines"]

_REASON_MIN, _REASON_MAX = 4, 500  # as a hit's disposition note: a sentence, not a word


class VoidRefusedError(ConflictError):
    code = "VOID_REFUSED"


class StatementRequiredError(InputError):
    code = "VOID_STATEMENT_REQUIRED"


_NOT_VOIDABLE = {
    "paid": "已付款成功，不能作废；提示：如需收回，由银行退汇后按退汇处理",
    "unknown": "银行结果未知，银行可能已付款，不能作废；提示：先向银行查询该笔结果",
    "failed": "银行已确认失败，无需作废；提示：下一次生成批次时将以新的幂等键重新发放",
    "reversed": "已退汇，无需作废；提示：下一次生成批次时将以新的幂等键重新发放",
    "voided": "已作废；提示：下一次生成批次时将以新的幂等键重新发放",
}


def _reason(reason: str) -> str:
    text = reason.strip()
    if not _REASON_MIN <= len(text) <= _REASON_MAX:
        msg = f"作废须写明原因（{_REASON_MIN}—{_REASON_MAX} 字）；提示：如“收款账户错误，待更正后重发”"
        raise InputError(msg)
    return text


def _batch_for_void(session: Session, caller: Caller, batch_id: int) -> PaymentBatch:
    if caller.role != "finance":
        msg = f"角色 {caller.role} 不能作废付款；提示：由财务人员办理"
        raise ForbiddenError(msg)
    batch = session.get(PaymentBatch, batch_id, with_for_update=True, populate_existing=True)
    if batch is None or not batch.region.startswith(prefix_of(caller.region)):
        msg = f"发放批次 {batch_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    if batch.created_by == caller.user_id:
        msg = "生成该批次的财务人员不能作废其中的付款；提示：由另一名财务人员复核后作废"
        raise ForbiddenError(msg)
    return batch


def _void(payment: Payment, caller: Caller, reason: str, *, bank_not_executed: bool) -> None:
    if payment.status in _NOT_VOIDABLE:
        msg = f"付款 {payment.idempotency_key} {_NOT_VOIDABLE[payment.status]}"
        raise VoidRefusedError(msg)
    if payment.status == "exported" and not bank_not_executed:
        msg = (
            f"付款 {payment.idempotency_key} 已导出代发文件；提示：确认银行未执行该文件（未提交或已撤销）后，"
            "以 bank_not_executed=true 声明再作废"
        )
        raise StatementRequiredError(msg)
    payment.status, payment.void_reason, payment.voided_by = "voided", reason, caller.user_id


def void_payment(
    session: Session, caller: Caller, payment_id: int, *, reason: str, bank_not_executed: bool = False
) -> Payment:
    """Void one payment; its grant is payable again in the next run, under the next attempt's key."""
    text = _reason(reason)
    found = session.get(Payment, payment_id)
    batch = None if found is None else _batch_or_none(session, caller, found.batch_id)
    if found is None or batch is None:
        msg = f"付款 {payment_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    # The batch row first, then the payment: the order void_batch and export take them in.
    batch = _batch_for_void(session, caller, batch.id)
    payment = session.get(Payment, payment_id, with_for_update=True, populate_existing=True)
    assert payment is not None
    before = payment.status
    _void(payment, caller, text, bank_not_executed=bank_not_executed)
    batch.declared_count -= 1  # the file leaves the line out; its header must agree
    batch.declared_total_fen -= payment.amount_fen
    if batch.declared_count == 0 and batch.status in ("prepared", "exported"):
        batch.status, batch.void_reason, batch.voided_by = "voided", text, caller.user_id
    detail = {
        "batch": batch.batch_no, "payment": payment.idempotency_key, "before": before, "reason": text,
        "bank_not_executed": bank_not_executed,
    }  # fmt: skip
    record(session, actor=caller.username, action="payment.void", entity="payment", entity_id=payment.id,
           detail=detail)  # fmt: skip
    return payment


def _batch_or_none(session: Session, caller: Caller, batch_id: int) -> PaymentBatch | None:
    batch = session.get(PaymentBatch, batch_id)
    return batch if batch is not None and batch.region.startswith(prefix_of(caller.region)) else None


def void_batch(
    session: Session, caller: Caller, batch_id: int, *, reason: str, bank_not_executed: bool = False
) -> list[Payment]:
    """Void a batch and its pending and exported payments (all or none); the payments voided."""
    text = _reason(reason)
    batch = _batch_for_void(session, caller, batch_id)
    if batch.status == "voided":
        msg = f"发放批次 {batch.batch_no} 已作废"
        raise VoidRefusedError(msg)
    payments = list(session.scalars(select(Payment).where(Payment.batch_id == batch.id).with_for_update()))
    if any(p.status == "unknown" for p in payments):
        msg = f"发放批次 {batch.batch_no} 中有银行结果未知的付款，银行可能已付款，不能作废；提示：先向银行查询"
        raise VoidRefusedError(msg)
    voided = [p for p in payments if p.status in ("pending", "exported")]
    if not voided:
        msg = f"发放批次 {batch.batch_no} 已没有未付款的付款可作废；提示：已付、失败、退汇的付款以银行结果为准"
        raise VoidRefusedError(msg)
    for payment in voided:
        _void(payment, caller, text, bank_not_executed=bank_not_executed)
        batch.declared_count -= 1
        batch.declared_total_fen -= payment.amount_fen
    batch.status, batch.void_reason, batch.voided_by = "voided", text, caller.user_id
    detail = {
        "batch": batch.batch_no, "payments": [p.idempotency_key for p in voided][:50], "count": len(voided),
        "reason": text, "bank_not_executed": bank_not_executed,
    }  # fmt: skip
    record(session, actor=caller.username, action="batch.void", entity="batch", entity_id=batch.id, detail=detail)
    return voided


def batch_payments(session: Session, caller: Caller, batch_id: int) -> tuple[PaymentBatch, list[Payment]]:
    """A batch's payments with their status (voided ones with the reason), for finance and auditors."""
    if caller.role not in ("finance", "auditor"):
        msg = f"角色 {caller.role} 不能查看发放批次；提示：由财务或审计人员查看"
        raise ForbiddenError(msg)
    batch = _batch_or_none(session, caller, batch_id)
    if batch is None:
        msg = f"发放批次 {batch_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return batch, list(session.scalars(select(Payment).where(Payment.batch_id == batch.id).order_by(Payment.id)))


def voided_lines(
    session: Session, batch: PaymentBatch, by_key: dict[str, Payment], result: Reconciliation
) -> Reconciliation:
    """Lines for payments the service voided change nothing. A confirmed failure agrees with the
    void; anything else (paid, unknown, reversed) means the bank did take the file after all:
    a problem in the result and a blocking hit, so a re-payment of the grant waits for a person."""
    voided = {key for key, p in by_key.items() if p.status == "voided"}
    problems = list(result.problems)
    for line in (*result.paid, *result.failed, *result.unknown, *result.reversed):
        if line.key not in voided:
            continue
        payment = by_key[line.key]
        payment.bank_message = line.bank_message[:200] or None
        if line.outcome is Outcome.FAILED:
            continue
        msg = (
            f"第{line.line}行：用途「{line.key}」的付款已作废，银行却回盘为{line.outcome.label}；"
            "提示：立即向银行核实是否已付款，核实前该项补贴不再发放"
        )
        problems.append(ReturnProblem(line.line, ProblemKind.VOIDED_KEY, msg, line.key))
        app = session.get(Application, payment.application_id)
        assert app is not None
        evidence = {"说明": msg, "批次": batch.batch_no, "作废原因": payment.void_reason or ""}
        key = f"voided_executed:{line.key}:{line.outcome.value}"
        record_hit(session, app, rule="voided_executed", mode="blocking", key=key, evidence=evidence)

    def kept(lines: tuple[ReturnLine, ...]) -> tuple[ReturnLine, ...]:
        return tuple(r for r in lines if r.key not in voided)

    return dataclasses.replace(
        result,
        paid=kept(result.paid),
        failed=kept(result.failed),
        unknown=kept(result.unknown),
        reversed=kept(result.reversed),
        problems=tuple(problems),
    )
