"""Payments as their beneficiary sees them: what was sent for their own subject's applications,
when, into which account (masked), and how far the bank batch went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.service.auth import Caller
from jiuye.service.casework import claimant_sees
from jiuye.service.errors import ForbiddenError
from jiuye.service.models import Application, BankAccount, Payment, PaymentBatch

__all__ = ["PAYMENT_LABELS", "Received", "payments_received"]

PAYMENT_LABELS = {
    "pending": "待发放", "exported": "已送银行", "paid": "已到账", "failed": "发放失败", "unknown": "待银行确认",
    "reversed": "已退回", "voided": "已作废",
}  # fmt: skip
BATCH_LABELS = {"prepared": "已生成", "exported": "已送银行", "reconciled": "已对账", "voided": "已作废"}


@dataclass(frozen=True)
class Received:
    payment_id: int
    application_id: int
    measure_id: str
    amount_fen: int
    pay_date: dt.date
    account_masked: str
    bank_name: str
    status: str
    batch_status: str

    @property
    def status_label(self) -> str:
        return PAYMENT_LABELS.get(self.status, self.status)

    @property
    def batch_label(self) -> str:
        return BATCH_LABELS.get(self.batch_status, self.batch_status)


def payments_received(
    session: Session, caller: Caller, *, application_id: int | None = None, limit: int = 20, offset: int = 0
) -> tuple[int, list[Received]]:
    """(how many, one page of) the payments for the caller's own subject, newest first."""
    if caller.is_staff or caller.subject_id is None:
        msg = "此页面仅供单位和个人账号使用"
        raise ForbiddenError(msg)
    where = [claimant_sees(caller)]
    if application_id is not None:
        where.append(Application.id == application_id)
    joined = (
        select(Payment, Application.measure_id, PaymentBatch.pay_date, PaymentBatch.status, BankAccount)
        .join(Application, Application.id == Payment.application_id)
        .join(PaymentBatch, PaymentBatch.id == Payment.batch_id)
        .join(BankAccount, BankAccount.id == Payment.account_id)
        .where(*where)
    )
    total = session.scalar(select(func.count()).select_from(joined.subquery())) or 0
    rows = session.execute(joined.order_by(Payment.id.desc()).limit(limit).offset(offset)).all()
    found = [
        Received(
            p.id,
            p.application_id,
            measure,
            p.amount_fen,
            day,
            account.account_masked,
            account.bank_name,
            p.status,
            batch,
        )
        for p, measure, day, batch, account in rows
    ]
    return total, found
