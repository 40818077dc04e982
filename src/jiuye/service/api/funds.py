"""Routes of the fund ledger: allocations and a fund's position."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from jiuye.money import fen_to_decimal
from jiuye.service import funds
from jiuye.service.api.deps import CallerDep, Fen, SessionDep
from jiuye.service.errors import ForbiddenError

__all__ = ["router"]

router = APIRouter(prefix="/funds", tags=["资金台账"])
Year = Annotated[int, Ge(2000), Le(2100)]  # named assumption: the years a fund ledger can concern


class AllocationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fund: str = Field(description="资金渠道：ui_fund 失业保险基金、employment_fund 就业补助资金……")
    region: str = Field(pattern=r"^\d{6}$")
    year: Year
    amount_fen: Fen = Field(description="金额（分）；追减为负数")
    note: str = Field(max_length=200, description="依据（文号或说明）")


class PositionPublic(BaseModel):
    fund: str
    region: str
    year: int
    controlled: bool = Field(description="是否已登记资金下达（未登记则不做预算控制）")
    allocated: str
    committed: str
    paid: str
    available: str


@router.post("/allocations", operation_id="allocateFunds", response_model=PositionPublic, status_code=201)
def allocate(body: AllocationCreate, caller: CallerDep, session: SessionDep) -> PositionPublic:
    """登记资金下达（财务、管理员），返回该资金渠道的最新情况。"""
    row = funds.allocate(session, caller, **body.model_dump())
    return _public(funds.position(session, fund=row.fund, region=row.region, year=row.year))


@router.get("/position", operation_id="fundPosition", response_model=PositionPublic)
def position(fund: str, region: str, year: Year, caller: CallerDep, session: SessionDep) -> PositionPublic:
    """资金渠道在某地区某年的下达、已核准（承诺）、已支付与可用额度。"""
    if not caller.is_staff or not caller.covers(region):
        msg = f"地区 {region} 不在您的辖区之内"
        raise ForbiddenError(msg)
    return _public(funds.position(session, fund=fund, region=region, year=year))


def _public(state: funds.Position) -> PositionPublic:
    return PositionPublic(
        fund=state.fund,
        region=state.region,
        year=state.year,
        controlled=state.controlled,
        allocated=str(fen_to_decimal(state.allocated_fen)),
        committed=str(fen_to_decimal(state.committed_fen)),
        paid=str(fen_to_decimal(state.paid_fen)),
        available=str(fen_to_decimal(state.available_fen)),
    )
