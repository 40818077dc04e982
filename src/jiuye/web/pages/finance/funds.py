"""The fund position (资金台账): for the caller's region and a year, each fund's allocations,
commitments (approved), payments and what is left; the allocation rows; a new allocation (finance
and administrators, as ``POST /funds/allocations``). Reads and writes :mod:`jiuye.service.funds`."""

from __future__ import annotations

from typing import Annotated, Any

from annotated_types import Ge, Le
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from jiuye.catalog import FUND_NAMES
from jiuye.money import fen_to_decimal
from jiuye.service import funds
from jiuye.service.api.deps import FEN_MAX, SessionDep, today
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError
from jiuye.service.models import FundAllocation
from jiuye.web.exports import xlsx_response
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.finance.common import YuanText, attempt, hinted, yuan_to_fen
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["router"]

router = APIRouter()
Year = Annotated[int, Ge(2000), Le(2100)]  # as the API: the years a fund ledger can concern
_ALLOCATORS = ("finance", "admin")


class AllocationForm(BaseModel):
    fund: str = Field(max_length=32)
    region: str = Field(pattern=r"^\d{6}$")
    year: Year
    amount: YuanText
    note: str = Field(min_length=1, max_length=200)


_HINTS = {
    "amount": "金额应为元，最多两位小数（如 1,000,000.00；追减写负数）",
    "region": "应为6位行政区划代码，如 450103",
}


def _positions(session: SessionDep, caller: Caller, year: int) -> list[funds.Position]:
    """Every fund in the caller's region, then each region within it that has an allocation that year."""
    _, rows = funds.allocations(session, caller, year=year, limit=5000)
    regions = [caller.region, *sorted({r.region for r in rows} - {caller.region})]
    found = []
    for region in regions:
        if not caller.covers(region):  # allocations() is scoped already: a second lock on the door
            msg = f"地区 {region} 不在您的辖区之内"
            raise ForbiddenError(msg)
        for fund in FUND_NAMES:
            state = funds.position(session, fund=fund, region=region, year=year)
            if region == caller.region or state.controlled:
                found.append(state)
    return found


def _page(
    request: Request, session: SessionDep, caller: Caller, *, year: int | None, page: int, per_page: int,
    values: dict[str, Any] | None = None, errors: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    shown_year = year or today(request).year
    total, _ = funds.allocations(session, caller, year=shown_year, limit=0)
    paging = Paging.of(page=page, per_page=per_page, total=total)
    _, rows = funds.allocations(session, caller, year=shown_year, offset=paging.offset, limit=per_page)
    defaults = {"region": caller.region, "year": str(shown_year), "fund": "employment_fund"}
    context = {
        "year": shown_year, "positions": _positions(session, caller, shown_year), "rows": rows, "paging": paging,
        "fund_names": FUND_NAMES, "can_allocate": caller.role in _ALLOCATORS, "values": values or defaults,
        "errors": errors or {}, "saved": request.query_params.get("saved"),
    }  # fmt: skip
    return render(request, "finance/funds.html", context, status=status)


@router.get("/staff/funds")
def funds_page(
    request: Request, session: SessionDep, caller: StaffCaller, year: Year | None = None, page: PageNo = 1,
    per_page: PerPage = 20,
) -> Response:  # fmt: skip
    return _page(request, session, caller, year=year, page=page, per_page=per_page)


@router.get("/staff/funds/export.xlsx")
def funds_export(request: Request, session: SessionDep, caller: StaffCaller, year: Year | None = None) -> Response:
    shown_year = year or today(request).year
    _, rows = funds.allocations(session, caller, year=shown_year, limit=5000)
    headers = ["资金渠道", "地区", "年度", "金额（元）", "依据", "登记时间"]
    data = [[FUND_NAMES.get(r.fund, r.fund), r.region, r.year, str(fen_to_decimal(r.amount_fen)), r.note,
             r.created_at.isoformat(timespec="minutes") if r.created_at else ""] for r in rows]  # fmt: skip
    return xlsx_response(f"资金下达{shown_year}.xlsx", headers, data)


@router.post("/staff/funds/allocations")
async def allocate(request: Request, session: SessionDep, caller: StaffCaller) -> Response:
    if caller.role not in ("finance", "admin"):  # refused before the form: others are shown no form
        raise ForbiddenError("只有财务人员和管理员可以登记资金下达")
    form = validate(AllocationForm, await read_form(request))
    errors = hinted(form.errors, _HINTS)
    model = form.model
    if model is not None:
        fen = yuan_to_fen(model.amount)
        if fen == 0 or abs(fen) > FEN_MAX:
            errors["amount"] = "金额不能为零，也不能超过一万亿元"
        if model.fund not in FUND_NAMES:
            errors["fund"] = "请选择资金渠道"
    if errors or model is None:
        year = model.year if model else None
        return _page(request, session, caller, year=year, page=1, per_page=20, values=form.values, errors=errors,
                     status=422)  # fmt: skip

    def add() -> FundAllocation:
        return funds.allocate(
            session, caller, fund=model.fund, region=model.region, year=model.year, amount_fen=fen, note=model.note
        )

    row, refused = attempt(session, add)
    if refused is not None or row is None:
        why = {"_form": str(refused)}
        return _page(request, session, caller, year=model.year, page=1, per_page=20, values=form.values, errors=why,
                     status=refused.status if refused else 422)  # fmt: skip
    return RedirectResponse(f"/staff/funds?year={model.year}&saved=1", status_code=303)
