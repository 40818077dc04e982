"""Routes of disbursement: receiving accounts, payment batches, the bank file and its return."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from jiuye.money import fen_to_decimal
from jiuye.service import disbursement
from jiuye.service.accounts import add_bank_account
from jiuye.service.api.deps import CallerDep, Id, ProtectorDep, SessionDep, SettingsDep, today
from jiuye.service.errors import InputError
from jiuye.service.models import PaymentBatch

__all__ = ["accounts", "batches"]

accounts = APIRouter(prefix="/subjects", tags=["对象（单位与个人）"])
batches = APIRouter(prefix="/batches", tags=["资金发放"])


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bank_name: str = Field(max_length=100)
    holder_name: str = Field(max_length=200, description="户名，须与对象名称一致")
    account_no: str = Field(max_length=60, description="银行账号；全角数字、空格和连字符自动规范化")
    valid_from: dt.date | None = Field(default=None, description="生效日：不早于登记当日，留空为当日")


class AccountPublic(BaseModel):
    id: int
    subject_id: int
    bank_name: str
    holder_name: str
    account: str = Field(description="脱敏账号")
    valid_from: dt.date


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pay_date: dt.date


class BatchPublic(BaseModel):
    id: int
    batch_no: str
    pay_date: dt.date
    declared_count: int
    declared_total: str = Field(description="合计金额（元）")
    status: str


class ReconciliationPublic(BaseModel):
    batch_no: str
    paid: int
    failed: int
    unknown: int
    reversed: int
    problems: list[str]
    missing: int


@accounts.post("/{subject_id}/accounts", operation_id="addBankAccount", response_model=AccountPublic, status_code=201)
def add_account(
    subject_id: Id,
    body: AccountCreate,
    caller: CallerDep,
    session: SessionDep,
    protector: ProtectorDep,
    day: Annotated[dt.date, Depends(today)],
) -> AccountPublic:
    """登记收款账户（户名须与对象一致；变更即新增一条，自登记当日起算，不能倒签）。"""
    account = add_bank_account(session, protector, caller, subject_id, today=day, **body.model_dump())
    return AccountPublic(
        id=account.id,
        subject_id=account.subject_id,
        bank_name=account.bank_name,
        holder_name=account.holder_name,
        account=account.account_masked,
        valid_from=account.valid_from,
    )


def _payer(settings: SettingsDep) -> str:
    if not settings.payer_account:
        msg = "未配置付款账号；提示：设置环境变量 JIUYE_PAYER_ACCOUNT（资金专户账号）后重启服务"
        raise InputError(msg)
    return settings.payer_account


def _refused(exc: disbursement.TamperedError) -> JSONResponse:
    """Answered, not raised, so that the request's transaction commits the refusal's audit event
    (and nothing else: the refused step changed nothing before it was refused)."""
    return JSONResponse({"code": exc.code, "message": str(exc)}, status_code=exc.status)


@batches.post("", operation_id="prepareBatch", response_model=BatchPublic, status_code=201)
def prepare(
    body: BatchCreate,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    protector: ProtectorDep,
    day: Annotated[dt.date, Depends(today)],
) -> BatchPublic | JSONResponse:
    """生成代发批次：本辖区已核准、尚无有效付款、无未处置阻断核查的申请（财务）；收款账户无法写入代发文件的单独留出并记核查结果，不影响其他人。"""
    batch = disbursement.prepare_batch(
        session, protector, settings.fingerprint_key, caller, pay_date=body.pay_date, today=day
    )
    if batch is None:  # answered, not raised: the fund-safety hits found on the way are kept
        msg = "没有可发放的已核准申请（收款账户未登记或无法写入代发文件，或资金安全核查待处置）"
        return JSONResponse({"code": "NOTHING_TO_PAY", "message": msg}, status_code=404)
    return _batch_public(batch)


def _batch_public(batch: PaymentBatch) -> BatchPublic:
    return BatchPublic(
        id=batch.id,
        batch_no=batch.batch_no,
        pay_date=batch.pay_date,
        declared_count=batch.declared_count,
        declared_total=str(fen_to_decimal(batch.declared_total_fen)),
        status=batch.status,
    )


@batches.get("", operation_id="listBatches", response_model=list[BatchPublic])
def list_all(caller: CallerDep, session: SessionDep, open_only: bool = False) -> list[BatchPublic]:
    """本辖区的代发批次（财务、审计）；open_only=true 只列未对账完成的（中断后据此重新导出、导入回盘）。"""
    return [_batch_public(b) for b in disbursement.list_batches(session, caller, open_only=open_only)]


@batches.get("/{batch_id}/file", operation_id="exportBatchFile")
def export(
    batch_id: Id,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    protector: ProtectorDep,
    format: Literal["text", "xlsx"] = "text",
    encoding: Literal["utf-8-sig", "gbk"] = "utf-8-sig",
) -> Response:
    """交银行的代发文件（导出前逐笔核验付款指纹；重复导出得到同一文件）。"""
    try:
        data = disbursement.export_batch(
            session, protector, settings.fingerprint_key, caller, batch_id,
            payer_account=_payer(settings), fmt=format, encoding=encoding,
        )  # fmt: skip
    except disbursement.TamperedError as exc:
        return _refused(exc)
    kind = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if format == "xlsx"
        else f"text/plain; charset={'gbk' if encoding == 'gbk' else 'utf-8'}"
    )
    name = f"batch-{batch_id}.{'xlsx' if format == 'xlsx' else 'txt'}"
    return Response(data, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@batches.post("/{batch_id}/return", operation_id="importBatchReturn", response_model=ReconciliationPublic)
async def import_return(
    batch_id: Id,
    file: UploadFile,
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    protector: ProtectorDep,
) -> ReconciliationPublic | JSONResponse:
    """导入银行回盘：成功、失败（可另批重发）、未知（待查询，绝不重发）、退汇；有问题的行不改动并逐行说明。"""
    data = await file.read()
    try:
        result = disbursement.import_return(
            session, protector, settings.fingerprint_key, caller, batch_id, data, payer_account=_payer(settings)
        )
    except disbursement.TamperedError as exc:
        return _refused(exc)
    return ReconciliationPublic(
        batch_no=result.batch_no,
        paid=len(result.paid),
        failed=len(result.failed),
        unknown=len(result.unknown),
        reversed=len(result.reversed),
        problems=[p.message for p in result.problems],
        missing=len(result.missing),
    )
