"""The bank's return file (回盘) of a batch, reconciled as ``POST /batches/{id}/return`` does, and
voids of a batch or one payment as ``/batches/{id}/void`` and ``/payments/{id}/void`` do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from jiuye.payments import PaymentError, Reconciliation
from jiuye.service import disbursement, voids
from jiuye.service.api.deps import Id, ProtectorDep, SessionDep, SettingsDep
from jiuye.service.errors import NotFoundError
from jiuye.service.models import Payment
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.finance.batches import _payer, batch_context, payment_rows
from jiuye.web.pages.finance.common import Posted, attempt
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["router"]

router = APIRouter()
_MAX_RETURN = 20 * 1024 * 1024  # named assumption: a return file of 100,000 lines is well under 20 MB


def _again(request: Request, session: SessionDep, caller: StaffCaller, batch_id: int, errors: dict[str, str],
           status: int, values: dict[str, Any] | None = None) -> Response:  # fmt: skip
    context = batch_context(session, caller, batch_id)
    context.update(errors=errors, values=values or {})
    return render(request, "finance/batch.html", context, status=status)


@router.post("/staff/batches/{batch_id}/return")
async def upload_return(
    request: Request, batch_id: Id, session: SessionDep, settings: SettingsDep, protector: ProtectorDep,
    caller: StaffCaller, posted: Posted,
) -> Response:  # fmt: skip
    batch_context(session, caller, batch_id)  # not found, or not the caller's, before reading any file
    upload = posted.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _again(request, session, caller, batch_id, {"file": "请选择银行回盘文件（文本或 Excel）"}, 422)
    data = await upload.read(_MAX_RETURN + 1)
    if not data or len(data) > _MAX_RETURN:
        why = "回盘文件是空的" if not data else "回盘文件超过 20 MB；提示：确认是否选错了文件"
        return _again(request, session, caller, batch_id, {"file": why}, 422)
    payer = _payer(settings)
    try:
        # Nothing is written before the file is read whole: an unreadable file changes nothing.
        result = disbursement.import_return(
            session, protector, settings.fingerprint_key, caller, batch_id, data, payer_account=payer
        )
    except disbursement.TamperedError as exc:  # answered, not raised: the refusal's audit event commits
        return _again(request, session, caller, batch_id, {"file": str(exc)}, exc.status)
    except PaymentError as exc:  # unreadable: encoding, no header, a corrupt workbook
        return _again(request, session, caller, batch_id, {"file": str(exc)}, 422)
    settled = len(result.paid) + len(result.failed) + len(result.unknown) + len(result.reversed)
    context = _result_context(session, caller, batch_id, result)
    # A file that confirms nothing (another batch's, a damaged one) is the caller's input to fix.
    return render(request, "finance/reconciled.html", context, status=200 if settled or not result.problems else 422)


def _result_context(session: SessionDep, caller: StaffCaller, batch_id: int, result: Reconciliation) -> dict[str, Any]:
    batch, payments = voids.batch_payments(session, caller, batch_id)
    by_key = {r["key"]: r for r in payment_rows(session, payments)}

    def lines(group: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [{"line": r.line, "key": r.key, "amount_fen": r.amount_fen, "bank_message": r.bank_message,
                 "payment": by_key.get(r.key, {})} for r in group]  # fmt: skip

    return {
        "batch": batch, "paid": lines(result.paid), "failed": lines(result.failed),
        "unknown": lines(result.unknown), "reversed": lines(result.reversed),
        "problems": [p.message for p in result.problems],
        "missing": [by_key.get(k, {"key": k}) for k in result.missing],
    }  # fmt: skip


class VoidForm(BaseModel):
    reason: str = Field(min_length=4, max_length=500)
    bank_not_executed: bool = False


def _void_values(values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "bank_not_executed": values.get("bank_not_executed") == "on"}


@router.post("/staff/batches/{batch_id}/void")
async def void_batch(request: Request, batch_id: Id, session: SessionDep, caller: StaffCaller) -> Response:
    form = validate(VoidForm, _void_values(await read_form(request)))
    if form.model is None:
        return _again(request, session, caller, batch_id, form.errors, 422, form.values)
    model = form.model
    _, refused = attempt(session, lambda: voids.void_batch(
        session, caller, batch_id, reason=model.reason, bank_not_executed=model.bank_not_executed))  # fmt: skip
    if isinstance(refused, NotFoundError):
        raise refused
    if refused is not None:
        return _again(request, session, caller, batch_id, {"reason": str(refused)}, refused.status, form.values)
    return RedirectResponse(f"/staff/batches/{batch_id}", status_code=303)


def _payment(session: SessionDep, caller: StaffCaller, batch_id: int, payment_id: int) -> dict[str, Any]:
    _, payments = voids.batch_payments(session, caller, batch_id)
    found = [p for p in payments if p.id == payment_id]
    if not found:
        msg = f"付款 {payment_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return payment_rows(session, found)[0]


@router.get("/staff/batches/{batch_id}/payments/{payment_id}/void")
def void_payment_form(
    request: Request, batch_id: Id, payment_id: Id, session: SessionDep, caller: StaffCaller
) -> Response:
    context = {"payment": _payment(session, caller, batch_id, payment_id), "batch_id": batch_id}
    return render(request, "finance/void_payment.html", context)


@router.post("/staff/batches/{batch_id}/payments/{payment_id}/void")
async def void_payment(
    request: Request, batch_id: Id, payment_id: Id, session: SessionDep, caller: StaffCaller
) -> Response:
    shown = _payment(session, caller, batch_id, payment_id)
    form = validate(VoidForm, _void_values(await read_form(request)))
    context: dict[str, Any] = {"payment": shown, "batch_id": batch_id, "values": form.values}
    if form.model is None:
        return render(request, "finance/void_payment.html", {**context, "errors": form.errors}, status=422)
    model = form.model

    def void() -> Payment:
        return voids.void_payment(
            session, caller, payment_id, reason=model.reason, bank_not_executed=model.bank_not_executed
        )

    _, refused = attempt(session, void)
    if refused is not None:
        errors = {"_form": str(refused)}
        return render(request, "finance/void_payment.html", {**context, "errors": errors}, status=refused.status)
    return RedirectResponse(f"/staff/batches/{batch_id}", status_code=303)
