"""The audit trail for auditors and administrators: a paged, filtered view (details masked), its
Excel export, and the verification of the hash chain with the anchor to keep elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from jiuye.service.api.deps import SessionDep
from jiuye.service.audit import parse_anchor, verify_chain
from jiuye.service.audit_log import AuditFilter, count_events, list_events, shown_detail
from jiuye.service.auth import Caller
from jiuye.service.errors import InputError
from jiuye.web.exports import xlsx_response
from jiuye.web.formats import cn_datetime
from jiuye.web.forms import validate
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import require_roles

__all__ = ["router"]

router = APIRouter(prefix="/admin/audit")

AuditCaller = Annotated[Caller, require_roles("auditor", "admin")]
Text = Annotated[str | None, Query(max_length=64)]
#: The most rows one export holds; a longer trail is exported a date range at a time.
EXPORT_LIMIT = 20_000


class AuditQuery(BaseModel):
    action: str | None = Field(default=None, max_length=64, pattern=r"^[a-z_]+(\.[a-z_]*)*$")
    entity: str | None = Field(default=None, max_length=32, pattern=r"^[a-z_]+$")
    actor: str | None = Field(default=None, max_length=64)
    since: dt.date | None = None
    until: dt.date | None = None


def _query(**given: str | None) -> tuple[dict[str, str], AuditFilter | None, dict[str, str]]:
    kept = {k: v.strip() for k, v in given.items() if v and v.strip()}
    form = validate(AuditQuery, kept)
    if not form.ok or form.model is None:
        return kept, None, form.errors
    if form.model.since and form.model.until and form.model.since > form.model.until:
        return kept, None, {"until": "结束日期早于开始日期"}
    return kept, AuditFilter(**form.model.model_dump()), {}


def _rows(session: Session, caller: Caller, where: AuditFilter, limit: int, offset: int) -> list[dict[str, str]]:
    return [
        {"seq": str(e.seq), "at": e.at, "actor": e.actor, "action": e.action, "entity": e.entity,
         "entity_id": e.entity_id, "detail": shown_detail(e)}
        for e in list_events(session, caller, where, limit=limit, offset=offset)
    ]  # fmt: skip


def _at(text: str) -> str:
    """``2025-11-03T08:00:00.123456Z`` → 2025年11月3日 16:00:00 (Beijing time, as on every page; to the
    second, as audit records are read)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return f"{cn_datetime(moment)}:{moment:%S}"


@router.get("")
def audit_page(
    request: Request, caller: AuditCaller, session: SessionDep, page: PageNo = 1, per_page: PerPage = 50,
    action: Text = None, entity: Text = None, actor: Text = None, since: Text = None, until: Text = None,
) -> Response:  # fmt: skip
    kept, where, errors = _query(action=action, entity=entity, actor=actor, since=since, until=until)
    rows: list[dict[str, str]] = []
    paging = Paging.of(page=1, per_page=per_page, total=0)
    if where is not None:
        paging = Paging.of(page=page, per_page=per_page, total=count_events(session, caller, where))
        rows = _rows(session, caller, where, paging.per_page, paging.offset)
        for row in rows:
            row["at"] = _at(row["at"])
    context = {"rows": rows, "paging": paging, "filters": kept, "values": kept, "errors": errors}
    return render(request, "admin/audit.html", context, status=422 if errors else 200)


@router.get("/export")
def audit_export(
    caller: AuditCaller, session: SessionDep,
    action: Text = None, entity: Text = None, actor: Text = None, since: Text = None, until: Text = None,
) -> Response:  # fmt: skip
    _, where, errors = _query(action=action, entity=entity, actor=actor, since=since, until=until)
    if where is None:
        raise InputError("；".join(errors.values()))
    if count_events(session, caller, where) > EXPORT_LIMIT:
        msg = f"符合条件的记录超过 {EXPORT_LIMIT} 条；提示：缩小日期范围后分次导出"
        raise InputError(msg)
    rows = _rows(session, caller, where, EXPORT_LIMIT, 0)
    headers = ("序号", "时间（UTC）", "操作人", "操作", "对象", "对象编号", "详情（已脱敏）")
    keys = ("seq", "at", "actor", "action", "entity", "entity_id", "detail")
    return xlsx_response("审计日志.xlsx", headers, ([r[k] for k in keys] for r in rows))


@router.get("/verify")
def verify_page(
    request: Request, caller: AuditCaller, session: SessionDep,
    anchor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:  # fmt: skip
    """Read-only (a GET): recompute every link, optionally against an anchor kept from before."""
    kept = (anchor or "").strip()
    if kept:
        try:
            saved = parse_anchor(kept)
        except ValueError as exc:
            refused = {"values": {"anchor": kept}, "errors": {"anchor": str(exc)}, "report": None}
            return render(request, "admin/verify.html", refused, status=422)
    report = verify_chain(session, anchor=saved if kept else None)
    context: dict[str, object] = {"report": report, "values": {"anchor": kept}, "errors": {}}
    context["checked_anchor"] = bool(kept)
    return render(request, "admin/verify.html", context)
