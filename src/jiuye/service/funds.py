"""The fund ledger: what each fund was given for a region and year, what approvals committed,
what was paid, and the budget check at approval.

Allocations are rows that add up (a reduction is a negative row), never edits. Commitments are
the live grant items of approved claims; payments are paid payments: both read from the tables
that guarantee them, so the ledger cannot drift from them. Once a fund has an allocation for a
region and year, approving beyond it is refused (blocking fund-safety check "budget exceeded");
a fund without any allocation is not budget-controlled (a bureau that has not entered its
allocations yet), which :func:`position` shows as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.catalog import FUND_NAMES
from jiuye.money import format_yuan
from jiuye.regions import contains, prefix_of, validate_region
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ConflictError, ForbiddenError, InputError
from jiuye.service.models import Application, FundAllocation, GrantItem, Payment

__all__ = ["Position", "allocate", "allocations", "check_budget", "position"]


@dataclass(frozen=True)
class Position:
    fund: str
    region: str
    year: int
    controlled: bool  # any allocation recorded
    allocated_fen: int
    committed_fen: int
    paid_fen: int

    @property
    def available_fen(self) -> int:
        return self.allocated_fen - self.committed_fen


def allocate(
    session: Session, caller: Caller, *, fund: str, region: str, year: int, amount_fen: int, note: str
) -> FundAllocation:
    if caller.role not in ("finance", "admin"):
        msg = "只有财务人员或管理员可以登记资金下达"
        raise ForbiddenError(msg)
    if fund not in FUND_NAMES:
        msg = f"资金渠道 {fund!r} 不存在；提示：可选 {'、'.join(FUND_NAMES)}"
        raise InputError(msg)
    try:
        where = validate_region(region)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if not contains(caller.region, where):
        msg = f"地区 {where} 不在您的辖区 {caller.region} 之内"
        raise ForbiddenError(msg)
    if not note.strip():
        msg = "资金下达须注明依据（文号或说明）"
        raise InputError(msg)
    row = FundAllocation(
        fund=fund, region=where, year=year, amount_fen=amount_fen, note=note.strip(), created_by=caller.user_id
    )
    session.add(row)
    session.flush()
    detail = {"fund": fund, "region": where, "year": year, "amount_fen": amount_fen, "note": note.strip()}
    record(session, actor=caller.username, action="fund.allocate", entity="fund", entity_id=row.id, detail=detail)
    return row


def allocations(
    session: Session,
    caller: Caller,
    *,
    year: int | None = None,
    fund: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[FundAllocation]]:
    """Allocation rows within the caller's region (staff), newest first, and how many in all."""
    if not caller.is_staff:
        msg = "只有工作人员可以查看资金下达"
        raise ForbiddenError(msg)
    where = [FundAllocation.region.startswith(prefix_of(caller.region))]
    if year is not None:
        where.append(FundAllocation.year == year)
    if fund:
        where.append(FundAllocation.fund == fund)
    total = session.scalar(select(func.count()).select_from(FundAllocation).where(*where)) or 0
    query = select(FundAllocation).where(*where).order_by(FundAllocation.id.desc()).offset(offset)
    return int(total), list(session.scalars(query.limit(min(limit, 5000))))


def _measures_of(fund: str) -> list[str]:
    from jiuye.policies.registry import all_measures

    return [m.id for m in all_measures() if m.fund == fund]


def position(session: Session, *, fund: str, region: str, year: int, lock: bool = False) -> Position:
    """The fund's budget, commitments and payments for claims located within ``region`` in ``year``."""
    allocations = select(FundAllocation).where(
        FundAllocation.fund == fund, FundAllocation.region == region, FundAllocation.year == year
    )
    rows = list(session.scalars(allocations.with_for_update() if lock else allocations))
    inside = Application.region.startswith(prefix_of(region))
    in_year = func.extract("year", Application.as_of_approved) == year
    measures = _measures_of(fund)
    committed = session.scalar(
        select(func.coalesce(func.sum(GrantItem.amount_fen), 0))
        .join(Application, Application.id == GrantItem.application_id)
        .where(GrantItem.status == "live", GrantItem.measure_id.in_(measures), inside, in_year)
    )
    paid = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_fen), 0))
        .join(Application, Application.id == Payment.application_id)
        .where(Payment.status == "paid", Application.measure_id.in_(measures), inside, in_year)
    )
    return Position(
        fund, region, year, bool(rows), sum(r.amount_fen for r in rows), int(committed or 0), int(paid or 0)
    )


def check_budget(session: Session, app: Application, fund: str | None, amount_fen: int) -> None:
    """Refuse an approval that would commit more than an enclosing region's allocation for the year.

    The allocation rows are locked (PostgreSQL), so two approvals cannot both take the last yuan."""
    if fund is None or app.as_of_approved is None:
        return
    year = app.as_of_approved.year
    regions = select(FundAllocation.region).where(FundAllocation.fund == fund, FundAllocation.year == year).distinct()
    for region in session.scalars(regions):
        if not contains(region, app.region):
            continue
        state = position(session, fund=fund, region=region, year=year, lock=True)
        if state.committed_fen + amount_fen > state.allocated_fen:
            name = FUND_NAMES.get(fund, fund)
            msg = (
                f"超出预算：{name}在 {region} {year} 年下达 {format_yuan(state.allocated_fen)}，已核准 "
                f"{format_yuan(state.committed_fen)}，本件 {format_yuan(amount_fen)}；提示：追加资金下达后再核准"
            )
            raise ConflictError(msg)
