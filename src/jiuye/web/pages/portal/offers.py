"""“政策找我”: the proactive cases (免申即享) opened for the caller's own subject, confirmed with one
click and the account to be paid into (``service.offers``); and adding an account of one's own
(``service.accounts.add_bank_account``, as the API's ``addBankAccount``)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from jiuye.cases import State
from jiuye.service.accounts import add_bank_account
from jiuye.service.api.deps import Id, ProtectorDep, SessionDep, today
from jiuye.service.errors import ServiceError
from jiuye.service.offers import CONFIRMABLE_STATES, confirm_offer, list_offers, subject_accounts
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.portal.common import ClaimantCaller, measure_title
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render

__all__ = ["router"]

router = APIRouter()


class AccountForm(BaseModel):
    bank_name: str = Field(min_length=2, max_length=100)
    holder_name: str = Field(min_length=1, max_length=200)
    account_no: str = Field(min_length=6, max_length=40)


class ConfirmForm(BaseModel):
    account_id: int = Field(ge=1, le=2**31 - 1)


def _context(session: Any, caller: ClaimantCaller, page: int, per_page: int) -> dict[str, Any]:
    total, _ = list_offers(session, caller, limit=1)
    paging = Paging.of(page=page, per_page=per_page, total=total)
    _, offers = list_offers(session, caller, limit=paging.per_page, offset=paging.offset)
    rows = [
        {"app": app, "title": measure_title(app.measure_id), "reasons": json.loads(app.reasons or "[]"),
         "open": State(app.state) in CONFIRMABLE_STATES}
        for app in offers
    ]  # fmt: skip
    accounts = subject_accounts(session, caller)
    return {"rows": rows, "paging": paging, "accounts": accounts, "account_names": {a.id: a for a in accounts}}


@router.get("/my/offers")
def offers_page(
    request: Request, caller: ClaimantCaller, session: SessionDep, page: PageNo = 1, per_page: PerPage = 10,
    done: str | None = None,
) -> Response:  # fmt: skip
    context = _context(session, caller, page, per_page)
    context["flash"] = {"confirmed": "已确认，补贴将发往所选账户。", "account": "收款账户已登记。"}.get(done or "")
    return render(request, "portal/offers.html", context)


@router.post("/my/offers/{application_id}/confirm")
async def confirm(request: Request, application_id: Id, caller: ClaimantCaller, session: SessionDep) -> Response:
    form = validate(ConfirmForm, await read_form(request))
    if not form.ok or form.model is None:
        context = _context(session, caller, 1, 10)
        context["errors"] = {"_form": "请选择收款账户"}
        return render(request, "portal/offers.html", context, 422)
    confirm_offer(session, caller, application_id, form.model.account_id)
    return RedirectResponse("/my/offers?done=confirmed", status_code=303)


@router.post("/my/accounts")
async def add_account(
    request: Request, caller: ClaimantCaller, session: SessionDep, protector: ProtectorDep,
    day: dt.date = Depends(today),  # noqa: B008  (FastAPI's dependency spelling)
) -> Response:  # fmt: skip
    form = validate(AccountForm, await read_form(request))
    errors = form.errors
    if form.ok and form.model is not None:
        try:
            with session.begin_nested():
                add_bank_account(session, protector, caller, caller.subject_id or 0, today=day,
                                 **form.model.model_dump())  # fmt: skip
        except ServiceError as exc:
            errors = {"holder_name" if "户名" in str(exc) else "account_no": str(exc)}
        else:
            return RedirectResponse("/my/offers?done=account", status_code=303)
    context = _context(session, caller, 1, 10)
    context.update(errors=errors, values=dict(form.values))
    return render(request, "portal/offers.html", context, 422)
