"""Routes of delivery documents: the tax list, deferral notices, loan settlements and records."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from jiuye.delivery import Form
from jiuye.money import fen_to_decimal
from jiuye.service import deliveries as service
from jiuye.service.api.deps import CallerDep, ProtectorDep, SessionDep, engine_of, today
from jiuye.service.models import DeliveryDocument

__all__ = ["router"]

router = APIRouter(prefix="/deliveries", tags=["交付文书"])

DocumentForm = Literal["tax_deduction", "fee_relief", "loan_settlement", "record"]
_RATE = r"^0\.[0-9]{1,6}$"  # an annual rate as a decimal string: never a float
DocumentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="交付文书编号")]


class DeliveryPublic(BaseModel):
    id: int
    number: str
    application_id: int
    subject_id: int
    form: str
    form_label: str = Field(description="交付方式")
    document: str = Field(description="文书名称")
    receiver: str = Field(description="接收单位")
    measure_id: str
    region: str
    issued_on: dt.date
    amount: str | None = Field(description="减免税额或贴息金额（元）；无金额为空")
    status: str
    detail: dict[str, Any] = Field(description="依据、扣减年度、贷款结算等")


class LoanTermsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    principal_fen: int = Field(gt=0, le=10**12, description="贷款本金（分）")
    annual_rate: str = Field(pattern=_RATE, description="合同年利率，如 0.035")
    base_rate: str = Field(pattern=_RATE, description="放款日基准利率（LPR），如 0.0345")
    start: dt.date = Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31), description="起息日")
    end: dt.date = Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31), description="到期日")


def _public(document: DeliveryDocument) -> DeliveryPublic:
    form = Form(document.form)
    return DeliveryPublic(
        id=document.id,
        number=document.number,
        application_id=document.application_id,
        subject_id=document.subject_id,
        form=form.value,
        form_label=form.label,
        document=form.document,
        receiver=form.receiver,
        measure_id=document.measure_id,
        region=document.region,
        issued_on=document.issued_on,
        amount=None if document.amount_fen is None else str(fen_to_decimal(document.amount_fen)),
        status=document.status,
        detail=json.loads(document.detail),
    )


@router.get("", operation_id="listDeliveries", response_model=list[DeliveryPublic])
def list_all(
    caller: CallerDep,
    session: SessionDep,
    form: DocumentForm | None = None,
    measure_id: str | None = Query(default=None, max_length=64),
    limit: int = Query(default=100, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=10**9),
) -> list[DeliveryPublic]:
    """交付文书列表：工作人员看本辖区，申请人看本单位（本人）。"""
    found = service.list_documents(session, caller, form=form, measure_id=measure_id, limit=limit, offset=offset)
    return [_public(d) for d in found]


@router.get("/export", operation_id="exportDeliveries")
def export(
    request: Request, caller: CallerDep, session: SessionDep, protector: ProtectorDep, form: DocumentForm
) -> Response:
    """交给接收单位的清单 Excel（税务部门的减免税名单、社保经办机构的缓缴名单、经办银行的贴息结算清单、认定记录）。"""
    day = today(request)
    data = service.export_documents(session, protector, caller, form=form, today=day)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = {"Content-Disposition": f'attachment; filename="deliveries-{form}-{day.isoformat()}.xlsx"'}
    return Response(data, media_type=kind, headers=disposition)


@router.get("/{document_id}", operation_id="getDelivery", response_model=DeliveryPublic)
def get_one(document_id: DocumentId, caller: CallerDep, session: SessionDep) -> DeliveryPublic:
    """一份交付文书。"""
    return _public(service.get_document(session, caller, document_id))


@router.get("/{document_id}/notice", operation_id="exportDeliveryNotice")
def notice(document_id: DocumentId, caller: CallerDep, session: SessionDep, protector: ProtectorDep) -> Response:
    """文书正文（纯文本）：享受凭证、缓缴决定通知书、贴息结算单或认定记录。"""
    text = service.notice(session, protector, caller, document_id)
    disposition = {"Content-Disposition": f'attachment; filename="delivery-{document_id}.txt"'}
    return Response(text.encode("utf-8"), media_type="text/plain; charset=utf-8", headers=disposition)


@router.post("/{document_id}/loan", operation_id="recordLoanTerms", response_model=DeliveryPublic)
def record_loan(
    document_id: DocumentId, body: LoanTermsBody, request: Request, caller: CallerDep, session: SessionDep
) -> DeliveryPublic:
    """登记经办银行报送的贷款（本金、利率、期限），按政策参数计算贴息与经办银行奖励。"""
    document = service.record_loan(
        session, engine_of(request).params, caller, document_id, principal_fen=body.principal_fen,
        annual_rate=Decimal(body.annual_rate), base_rate=Decimal(body.base_rate), start=body.start, end=body.end,
    )  # fmt: skip
    return _public(document)
