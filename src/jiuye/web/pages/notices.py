"""The public notice board (公示): who is about to be paid what, until when anyone may object, and how."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from jiuye.cases import load_notice_settings
from jiuye.errors import RegionError
from jiuye.policies.documents import citation_text
from jiuye.regions import region_name, validate_region
from jiuye.service.api.deps import SessionDep, today
from jiuye.service.errors import InputError
from jiuye.service.notice_board import board, count, objections, regions
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import OptionalCaller

__all__ = ["router"]

router = APIRouter()

RegionQ = Annotated[str | None, Query(max_length=6, description="行政区划代码（6位），如 450103")]


def _region(code: str | None) -> str | None:
    """The region filter: empty is every region; anything else must be a valid code (else 422)."""
    code = (code or "").strip()
    if not code:
        return None
    try:
        return validate_region(code)
    except RegionError as exc:
        raise InputError(str(exc)) from None


def _choices(session: Session, chosen: str | None) -> list[str]:
    """The regions with notices now, and the one asked for (a city, or a region with none)."""
    found = regions(session)
    return found if not chosen or chosen in found else [chosen, *found]


@router.get("/notices")
def notice_board(
    request: Request,
    caller: OptionalCaller,
    session: SessionDep,
    region: RegionQ = None,
    page: PageNo = 1,
    per_page: PerPage = 20,
) -> Response:
    request.state.caller = caller
    where = _region(region)
    paging = Paging.of(page=page, per_page=per_page, total=count(session, region=where))
    entries = board(session, region=where, limit=paging.per_page, offset=paging.offset)
    rules = objections()
    settings = load_notice_settings()
    context = {
        "entries": entries,
        "paging": paging,
        "filters": {"region": where or ""},
        "values": {"region": where or ""},
        "region_label": region_name(where) if where else "",
        "regions": [("", "全部地区")] + [(code, region_name(code)) for code in _choices(session, where)],
        "rules": rules,
        "rules_citation": citation_text(rules.document, rules.clause) if rules.document else "",
        "working_days": settings.working_days,
        "period_assumption": settings.assumption,
        "today": today(request),
    }
    return render(request, "public/notices.html", context)
