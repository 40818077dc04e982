"""Payment batches (网上发放): the list of the region's batches, a new batch of approved claims, a
batch's payments and its bank file. The same service steps as ``/batches`` of the API
(:mod:`jiuye.service.disbursement`): finance acts, auditors read, everyone else is refused."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from jiuye.money import fen_to_decimal
from jiuye.service import disbursement, voids
from jiuye.service.api.deps import Id, ProtectorDep, SessionDep, SettingsDep, today
from jiuye.service.api.voids import _STATUS_LABELS as PAYMENT_LABELS  # one wording, the API's
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError, InputError
from jiuye.service.models import BankAccount, Payment, PaymentBatch
from jiuye.web.exports import xlsx_response
from jiuye.web.forms import read_form, validate
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["BATCH_LABELS", "payment_rows", "router"]

router = APIRouter()
BATCH_LABELS = {"prepared": "已生成", "exported": "已导出", "reconciled": "已对账", "voided": "已作废"}
Status = Literal["prepared", "exported", "reconciled", "voided"]


class BatchForm(BaseModel):
    pay_date: dt.date


def _batch_row(b: PaymentBatch) -> list[Any]:
    return [b.batch_no, b.pay_date.isoformat(), b.declared_count, str(fen_to_decimal(b.declared_total_fen)),
            BATCH_LABELS.get(b.status, b.status)]  # fmt: skip


def _list_page(
    request: Request, session: SessionDep, caller: Caller, *, status: str | None, page: int, per_page: int,
    values: dict[str, Any] | None = None, errors: dict[str, str] | None = None, code: int = 200,
) -> Response:  # fmt: skip
    total, _ = disbursement.batch_page(session, caller, status=status, limit=0)
    paging = Paging.of(page=page, per_page=per_page, total=total)
    _, batches = disbursement.batch_page(session, caller, status=status, offset=paging.offset, limit=per_page)
    context = {
        "batches": batches, "paging": paging, "status": status or "", "labels": BATCH_LABELS,
        "values": values or {"pay_date": today(request).isoformat()}, "errors": errors or {},
        "can_act": caller.role == "finance", "created": request.query_params.get("created"),
    }  # fmt: skip
    return render(request, "finance/batches.html", context, status=code)


@router.get("/staff/batches")
def batches_page(
    request: Request, session: SessionDep, caller: StaffCaller, status: Status | None = None,
    page: PageNo = 1, per_page: PerPage = 20,
) -> Response:  # fmt: skip
    return _list_page(request, session, caller, status=status, page=page, per_page=per_page)


@router.get("/staff/batches/export.xlsx")
def batches_export(session: SessionDep, caller: StaffCaller, status: Status | None = None) -> Response:
    _, batches = disbursement.batch_page(session, caller, status=status, limit=5000)
    headers = ["批次号", "付款日期", "笔数", "合计金额（元）", "状态"]
    return xlsx_response("发放批次.xlsx", headers, [_batch_row(b) for b in batches])


@router.post("/staff/batches")
async def batch_create(
    request: Request, session: SessionDep, settings: SettingsDep, protector: ProtectorDep, caller: StaffCaller
) -> Response:
    if caller.role != "finance":  # refused before the form is read: an auditor's page has no form to show errors
        raise ForbiddenError("只有财务人员可以生成发放批次")
    form = validate(BatchForm, await read_form(request))
    day = today(request)
    errors = dict(form.errors)
    if form.model is not None and form.model.pay_date < day:
        errors["pay_date"] = f"付款日期不能早于今天（{day.year}年{day.month}月{day.day}日）"
    if errors or form.model is None:
        return _list_page(request, session, caller, status=None, page=1, per_page=20, values=form.values,
                          errors=errors, code=422)  # fmt: skip
    batch = disbursement.prepare_batch(
        session, protector, settings.fingerprint_key, caller, pay_date=form.model.pay_date, today=day
    )
    if batch is None:  # as the API: answered, the fund-safety hits found on the way are kept
        msg = "没有可发放的已核准申请（收款账户未登记或无法写入代发文件，或资金安全核查待处置）"
        return _list_page(request, session, caller, status=None, page=1, per_page=20, values=form.values,
                          errors={"_form": msg}, code=404)  # fmt: skip
    return RedirectResponse(f"/staff/batches/{batch.id}?created=1", status_code=303)


def payment_rows(session: SessionDep, payments: list[Payment]) -> list[dict[str, Any]]:
    """What a page or export shows of each payment: the account masked, the status in Chinese."""
    rows = []
    for p in payments:
        account = session.get(BankAccount, p.account_id)
        rows.append({
            "id": p.id, "application_id": p.application_id, "attempt": p.attempt, "key": p.idempotency_key,
            "payee": p.payee_name, "account": account.account_masked if account else "", "amount_fen": p.amount_fen,
            "status": p.status, "status_label": PAYMENT_LABELS.get(p.status, p.status),
            "bank_message": p.bank_message or "", "void_reason": p.void_reason or "",
        })  # fmt: skip
    return rows


def batch_context(
    session: SessionDep, caller: Caller, batch_id: int, *, page: int = 1, per_page: int = 50
) -> dict[str, Any]:
    batch, payments = voids.batch_payments(session, caller, batch_id)
    paging = Paging.of(page=page, per_page=per_page, total=len(payments))
    counts: dict[str, int] = {}
    for p in payments:
        counts[p.status] = counts.get(p.status, 0) + 1
    shown = payments[paging.offset : paging.offset + paging.per_page]
    return {
        "batch": batch, "labels": BATCH_LABELS, "payments": payment_rows(session, shown), "paging": paging,
        "counts": [(PAYMENT_LABELS.get(k, k), n) for k, n in sorted(counts.items())],
        "can_act": caller.role == "finance", "values": {}, "errors": {},
        "voidable": any(p.status in ("pending", "exported") for p in payments) and batch.status != "voided",
    }  # fmt: skip


@router.get("/staff/batches/{batch_id}")
def batch_page(
    request: Request, batch_id: Id, session: SessionDep, caller: StaffCaller, page: PageNo = 1,
    per_page: PerPage = 50,
) -> Response:  # fmt: skip
    context = batch_context(session, caller, batch_id, page=page, per_page=per_page)
    context["created"] = request.query_params.get("created")
    return render(request, "finance/batch.html", context)


@router.get("/staff/batches/{batch_id}/payments.xlsx")
def payments_export(batch_id: Id, session: SessionDep, caller: StaffCaller) -> Response:
    batch, payments = voids.batch_payments(session, caller, batch_id)
    headers = ["申请编号", "第几次付款", "用途（幂等键）", "收款人", "收款账号（脱敏）", "金额（元）", "状态",
               "银行说明", "作废原因"]  # fmt: skip
    rows = [[r["application_id"], r["attempt"], r["key"], r["payee"], r["account"],
             str(fen_to_decimal(r["amount_fen"])), r["status_label"], r["bank_message"], r["void_reason"]]
            for r in payment_rows(session, payments)]  # fmt: skip
    return xlsx_response(f"发放批次{batch.batch_no}.xlsx", headers, rows)


class FileForm(BaseModel):
    format: Literal["text", "xlsx"] = "text"
    encoding: Literal["utf-8-sig", "gbk"] = "utf-8-sig"


def _payer(settings: SettingsDep) -> str:
    if not settings.payer_account:
        msg = "未配置付款账号；提示：设置环境变量 JIUYE_PAYER_ACCOUNT（资金专户账号）后重启服务"
        raise InputError(msg)
    return settings.payer_account


@router.post("/staff/batches/{batch_id}/file")
async def bank_file(
    request: Request, batch_id: Id, session: SessionDep, settings: SettingsDep, protector: ProtectorDep,
    caller: StaffCaller, payer: Annotated[str, Depends(_payer)],
) -> Response:  # fmt: skip
    """The bank file (a form post: exporting marks the batch exported and is audited)."""
    form = validate(FileForm, await read_form(request))
    if form.model is None:
        raise InputError("文件格式只能是 文本 或 Excel，编码只能是 UTF-8 或 GBK")
    choice = form.model
    try:
        data = disbursement.export_batch(
            session, protector, settings.fingerprint_key, caller, batch_id, payer_account=payer,
            fmt=choice.format, encoding=choice.encoding,
        )  # fmt: skip
    except disbursement.TamperedError as exc:  # answered, not raised: the refusal's audit event commits
        ctx = {"title": "付款记录被改动，拒绝导出", "status": exc.status, "code": exc.code, "message": str(exc)}
        return render(request, "error.html", ctx, status=exc.status)
    xlsx = choice.format == "xlsx"
    kind = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if xlsx
            else f"text/plain; charset={'gbk' if choice.encoding == 'gbk' else 'utf-8'}")  # fmt: skip
    name = f"batch-{batch_id}.{'xlsx' if xlsx else 'txt'}"
    return Response(data, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"'})
