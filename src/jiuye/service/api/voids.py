"""Routes of voids: a batch or one payment voided (by a second finance user), and a batch's payments."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from jiuye.money import fen_to_decimal
from jiuye.service import voids
from jiuye.service.api.deps import CallerDep, Id, SessionDep
from jiuye.service.models import BankAccount, Payment

__all__ = ["router"]

router = APIRouter(tags=["资金发放"])

_STATUS_LABELS = {
    "pending": "待导出",
    "exported": "已导出",
    "paid": "已付款",
    "failed": "失败",
    "unknown": "结果未知",
    "reversed": "已退汇",
    "voided": "已作废",
}


class VoidRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500, description="作废原因")
    bank_not_executed: bool = Field(
        default=False, description="已导出的付款须声明：银行未执行该代发文件（未提交或已撤销）"
    )


class PaymentPublic(BaseModel):
    id: int
    batch_id: int
    application_id: int
    attempt: int
    key: str = Field(description="付款幂等键（代发文件“用途”）")
    account: str = Field(description="脱敏收款账号")
    amount: str = Field(description="金额（元）")
    status: str
    status_label: str
    bank_message: str | None
    void_reason: str | None


def _public(payment: Payment, account: BankAccount | None) -> PaymentPublic:
    return PaymentPublic(
        id=payment.id,
        batch_id=payment.batch_id,
        application_id=payment.application_id,
        attempt=payment.attempt,
        key=payment.idempotency_key,
        account=account.account_masked if account else "",
        amount=str(fen_to_decimal(payment.amount_fen)),
        status=payment.status,
        status_label=_STATUS_LABELS.get(payment.status, payment.status),
        bank_message=payment.bank_message,
        void_reason=payment.void_reason,
    )


@router.get("/batches/{batch_id}/payments", operation_id="listBatchPayments", response_model=list[PaymentPublic])
def list_payments(batch_id: Id, caller: CallerDep, session: SessionDep) -> list[PaymentPublic]:
    """批次中的各笔付款及状态（作废的附原因；因收款账户无法写入代发文件而留出的见资金安全核查 payee_unexportable）。"""
    _, payments = voids.batch_payments(session, caller, batch_id)
    return [_public(p, session.get(BankAccount, p.account_id)) for p in payments]


@router.post("/batches/{batch_id}/void", operation_id="voidBatch", response_model=list[PaymentPublic])
def void_batch(batch_id: Id, body: VoidRequest, caller: CallerDep, session: SessionDep) -> list[PaymentPublic]:
    """作废批次及其未付款的付款（须由生成批次以外的财务人员办理）；作废的补贴在下一批次以新幂等键重新发放。"""
    done = voids.void_batch(session, caller, batch_id, reason=body.reason, bank_not_executed=body.bank_not_executed)
    return [_public(p, session.get(BankAccount, p.account_id)) for p in done]


@router.post("/payments/{payment_id}/void", operation_id="voidPayment", response_model=PaymentPublic)
def void_payment(payment_id: Id, body: VoidRequest, caller: CallerDep, session: SessionDep) -> PaymentPublic:
    """作废一笔付款（待导出的可作废；已导出的须声明银行未执行；已付款、结果未知的不能作废）。"""
    done = voids.void_payment(session, caller, payment_id, reason=body.reason, bank_not_executed=body.bank_not_executed)
    return _public(done, session.get(BankAccount, done.account_id))
