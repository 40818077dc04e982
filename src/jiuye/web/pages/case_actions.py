"""The case page's actions: each form calls the same service function as its API route
(``service/api/applications.py``, ``safety.py``, ``app.py``), in a transaction of its own.

The service is the authority: a role, state, tier or separation-of-duties refusal is its Chinese
message, shown on the case page with the refusal's status (the transaction rolled back, nothing
half-written). A success redirects back with a confirmation. The caller is read in a short
transaction of its own, because on SQLite one open transaction holds the only writer's lock and
the closing of a notice runs the engine between two transactions of its own (as its API route does).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from jiuye.errors import JiuyeError
from jiuye.identifiers import redact
from jiuye.money import to_fen
from jiuye.service import amounts, safety
from jiuye.service import applications as service
from jiuye.service.api.deps import Id, SettingsDep, engine_of, today
from jiuye.service.api.errors import status_of
from jiuye.service.auth import Caller
from jiuye.service.db import transaction
from jiuye.service.errors import ForbiddenError, NotFoundError, StaleWriteError
from jiuye.service.models import SafetyHit
from jiuye.service.subjects import unmask_subject, verify_subject
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.case_page import render_case
from jiuye.web.session import LoginRequiredError, caller_or_none

__all__ = ["router"]

router = APIRouter(prefix="/staff/cases/{application_id}")
_CASE = re.compile(r"^/staff/cases/\d+")


def _brief_staff(request: Request, settings: SettingsDep) -> Caller:
    """The logged-in member of staff, checked in a transaction that ends at once."""
    with transaction(request.app.state.sessions) as session:
        caller = caller_or_none(request, session, settings)
    if caller is None:
        found = _CASE.match(request.url.path)
        raise LoginRequiredError(quote(found.group(0) if found else "/staff", safe="/"))
    if not caller.is_staff:
        msg = "此页面仅供工作人员使用"
        raise ForbiddenError(msg)
    request.state.caller = caller
    return caller


BriefStaff = Annotated[Caller, Depends(_brief_staff)]


def _sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def _act(
    request: Request, caller: Caller, application_id: int, done: str, work: Callable[[], object],
    *, form: str | None = None, values: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    """Run ``work`` (its own transactions); on success back to the case with ``done``'s message."""
    try:
        try:
            work()
        except StaleDataError:
            raise StaleWriteError from None
    except NotFoundError:
        raise  # not the caller's case: the 404 page, nothing about the case is shown
    except JiuyeError as exc:
        with transaction(_sessions(request)) as session:
            return render_case(
                request, session, caller, application_id, status=status_of(exc), problem=redact(str(exc)),
                form=form, values=values,
            )  # fmt: skip
    return RedirectResponse(f"/staff/cases/{application_id}?done={done}", status_code=303)


def _invalid(
    request: Request, caller: Caller, application_id: int, form: str, values: dict[str, Any], errors: dict[str, str]
) -> Response:
    with transaction(_sessions(request)) as session:
        return render_case(
            request, session, caller, application_id, status=422, form=form, errors=errors, values=values
        )


def _in_transaction(request: Request, step: Callable[[Session], object]) -> Callable[[], object]:
    def work() -> object:
        with transaction(_sessions(request)) as session:
            return step(session)

    return work


@router.post("/accept")
def accept(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    work = _in_transaction(request, lambda s: service.accept(s, caller, application_id))
    return _act(request, caller, application_id, "accept", work)


@router.post("/approve")
def approve(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    day = today(request)
    work = _in_transaction(request, lambda s: service.approve(s, caller, application_id, today=day))
    return _act(request, caller, application_id, "approve", work)


@router.post("/close-notice")
def close_notice(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    day, engine = today(request), engine_of(request)

    def work() -> object:
        return service.close_notice_staged(_sessions(request), engine, caller, application_id, today=day)

    return _act(request, caller, application_id, "close", work)


class _Reason(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


#: The forms that take only a reason: the field's name on the page, and the service's step.
_REASONED: dict[str, tuple[str, Callable[[Session, Caller, int, str], object]]] = {
    "return": ("return_reason", service.return_for_revision),
    "reject": ("reject_reason", service.reject),
    "object": ("object_reason", service.object_to),
}


async def _reasoned(key: str, application_id: int, request: Request, caller: Caller) -> Response:
    name, step = _REASONED[key]
    values = await read_form(request)
    form = validate(_Reason, {"reason": values.get(name)})
    if not form.ok or form.model is None:
        return _invalid(request, caller, application_id, key, values, {name: form.errors.get("reason", "不正确")})
    reason = form.model.reason
    work = _in_transaction(request, lambda s: step(s, caller, application_id, reason))
    return _act(request, caller, application_id, key, work, form=key, values=values)


@router.post("/return")
async def return_for_revision(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    return await _reasoned("return", application_id, request, caller)


@router.post("/reject")
async def reject(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    return await _reasoned("reject", application_id, request, caller)


@router.post("/objection")
async def objection(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    return await _reasoned("object", application_id, request, caller)


class _AmountForm(BaseModel):
    amount: Decimal = Field(ge=0, le=Decimal("1000000000"), decimal_places=2)
    amount_reason: str = Field(min_length=1, max_length=500)


@router.post("/amount")
async def set_amount(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    values = await read_form(request)
    form = validate(_AmountForm, values)
    if not form.ok or form.model is None:
        return _invalid(request, caller, application_id, "amount", values, form.errors)
    fen, reason = to_fen(form.model.amount), form.model.amount_reason
    work = _in_transaction(request, lambda s: amounts.set_amount(s, caller, application_id, fen, reason))
    return _act(request, caller, application_id, "amount", work, form="amount", values=values)


class _Disposition(BaseModel):
    disposition: Literal["cleared", "confirmed"]
    note: str = Field(min_length=1, max_length=500)


@router.post("/hits/{hit_id}/disposition")
async def dispose(application_id: Id, hit_id: Id, request: Request, caller: BriefStaff) -> Response:
    values = await read_form(request)
    fields = {"disposition": values.get(f"disposition_{hit_id}"), "note": values.get(f"note_{hit_id}")}
    form = validate(_Disposition, fields)
    if not form.ok or form.model is None:
        errors = {f"{k}_{hit_id}": v for k, v in form.errors.items()}
        return _invalid(request, caller, application_id, f"hit-{hit_id}", values, errors)
    model = form.model

    def step(session: Session) -> object:
        hit = session.get(SafetyHit, hit_id)
        if hit is None or hit.application_id != application_id:  # a hit of another case: not on this page
            msg = f"核查结果 {hit_id} 不属于申请 {application_id}"
            raise NotFoundError(msg)
        service.get_application(session, caller, application_id)  # the case must be the caller's too
        return safety.dispose(session, caller, hit_id, model.disposition, model.note)

    work = _in_transaction(request, step)
    return _act(request, caller, application_id, "dispose", work, form=f"hit-{hit_id}", values=values)


class _VerifyForm(BaseModel):
    verify_reason: str = Field(min_length=1, max_length=200)


@router.post("/verify-subject")
async def verify(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    values = await read_form(request)
    form = validate(_VerifyForm, values)
    if not form.ok or form.model is None:
        return _invalid(request, caller, application_id, "verify", values, form.errors)
    reason = form.model.verify_reason

    def step(session: Session) -> object:
        app = service.get_application(session, caller, application_id)
        return verify_subject(session, caller, app.subject_id, reason)

    return _act(request, caller, application_id, "verify", _in_transaction(request, step), form="verify", values=values)


class _UnmaskForm(BaseModel):
    unmask_reason: str = Field(min_length=1, max_length=200)


@router.post("/unmask")
async def unmask(application_id: Id, request: Request, caller: BriefStaff) -> Response:
    """The clear number and phone, on this answer only (never in an address): audited with the reason."""
    values = await read_form(request)
    form = validate(_UnmaskForm, values)
    if not form.ok or form.model is None:
        return _invalid(request, caller, application_id, "unmask", values, form.errors)
    reason, protector = form.model.unmask_reason, request.app.state.protector
    try:
        with transaction(_sessions(request)) as session:
            app = service.get_application(session, caller, application_id)
            revealed = unmask_subject(session, protector, caller, app.subject_id, reason)
    except NotFoundError:
        raise
    except JiuyeError as exc:
        with transaction(_sessions(request)) as session:
            return render_case(
                request, session, caller, application_id, status=status_of(exc), problem=str(exc),
                form="unmask", values=values,
            )  # fmt: skip
    with transaction(_sessions(request)) as session:
        flash = "已显示完整号码（已记入审计日志）。"
        return render_case(request, session, caller, application_id, revealed=revealed, flash=flash)
