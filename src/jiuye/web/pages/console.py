"""The caseworker's and reviewer's console: work queues by state with counts, filters, paging and
the Excel export of the same filtered rows; the case page and its actions are in
:mod:`~jiuye.web.pages.case_page` and :mod:`~jiuye.web.pages.case_actions`."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from jiuye.cases import State
from jiuye.policies.registry import all_measures
from jiuye.service.api.deps import SessionDep
from jiuye.service.queues import QUEUES, CaseFilter, CaseRow, count_queues, find_cases, queue_of
from jiuye.web.exports import xlsx_response
from jiuye.web.formats import cn_date, fen, simplified
from jiuye.web.forms import validate
from jiuye.web.pages import case_actions, case_page
from jiuye.web.pagination import Paging
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["router"]

router = APIRouter()
router.include_router(case_page.router)
router.include_router(case_actions.router)

#: The export holds every filtered row; past this many, narrow the filters (an in-memory workbook).
EXPORT_MAX = 20_000
SOURCE_LABELS = {"self": "申请", "caseworker": "经办代办", "proactive": "主动（免申即享）"}
_QUEUE_KEYS = Literal["intake", "review", "notice", "payable", "returned", "paid", "all"]


@cache
def measure_titles() -> dict[str, str]:
    return {m.id: simplified(m.title) for m in all_measures()}


class QueueQuery(BaseModel):
    """The queue's filters as typed in the address bar or the filter form."""

    model_config = ConfigDict(extra="ignore")

    queue: _QUEUE_KEYS = "intake"
    measure: str | None = Field(default=None, max_length=64)
    source: Literal["applied", "proactive"] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    name: str | None = Field(default=None, max_length=50)
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=20, ge=5, le=200)

    def case_filter(self) -> CaseFilter:
        name = (self.name or "").strip() or None
        return CaseFilter(self.queue, self.measure, self.source, self.date_from, self.date_to, name)

    def kept(self) -> dict[str, Any]:
        """The filters to keep in links (page links, queue tabs, the export)."""
        values: dict[str, Any] = {"queue": self.queue, "measure": self.measure, "source": self.source}
        values["name"] = self.name
        values |= {"date_from": self.date_from and self.date_from.isoformat()}
        values |= {"date_to": self.date_to and self.date_to.isoformat()}
        return {k: v for k, v in values.items() if v}


#: The filter form's fields (errors beside them); the others are said at the top of the page.
_FIELDS = frozenset({"measure", "source", "date_from", "date_to", "name", "per_page"})
_HIDDEN = {"queue": "队列", "page": "页码", "_form": "条件"}


def _parsed(request: Request) -> tuple[QueueQuery | None, dict[str, Any], dict[str, str]]:
    values = {k: v[:200] for k, v in request.query_params.items()}
    form = validate(QueueQuery, values)
    model, problems = form.model, dict(form.errors)
    if model is not None and model.measure is not None and model.measure not in measure_titles():
        problems["measure"] = "政策编号不存在；提示：从列表中选择政策"
    if model is not None and model.date_from and model.date_to and model.date_from > model.date_to:
        problems["date_to"] = "截止日期早于起始日期（起始日期晚于截止日期）；提示：交换两个日期"
    shown = {k: v for k, v in problems.items() if k in _FIELDS}
    hidden = [f"{_HIDDEN.get(k, k)}：{v}" for k, v in problems.items() if k not in _FIELDS]
    if hidden:  # a cross-field problem, or one in the address bar (the queue, the page): said at the top
        shown["_form"] = "筛选条件有误：" + "；".join(hidden)
    return (None if shown else model), values, shown


@router.get("/staff")
def queue_page(request: Request, caller: StaffCaller, session: SessionDep) -> Response:
    query, values, errors = _parsed(request)
    context: dict[str, Any] = {
        "queues": QUEUES, "measures": measure_titles(), "sources": SOURCE_LABELS, "values": values,
        "errors": errors,
    }  # fmt: skip
    kept = query.kept() if query else {}
    context["tabs"] = {q.key: "/staff?" + urlencode({**kept, "queue": q.key}) for q in QUEUES}
    if query is None:
        context |= {"counts": {}, "rows": [], "paging": None, "kept": {}, "current": None}
        return render(request, "staff/queue.html", context, status=422)
    where = query.case_filter()
    counts = count_queues(session, caller, where)
    paging = Paging.of(page=query.page, per_page=query.per_page, total=counts[query.queue])
    rows = find_cases(session, caller, where, limit=paging.per_page, offset=paging.offset)
    context |= {"counts": counts, "rows": rows, "paging": paging, "kept": kept, "current": queue_of(query.queue)}
    context["export"] = "/staff/queue.xlsx?" + urlencode(kept)
    return render(request, "staff/queue.html", context)


_HEADERS = ("编号", "政策", "申请对象", "对象号码（脱敏）", "身份核验", "来源", "状态", "提交日期", "金额", "最高限额")


def _export_row(row: CaseRow) -> tuple[Any, ...]:
    state = State(row.state).label
    return (
        row.id, measure_titles().get(row.measure_id, row.measure_id), row.subject_name, row.subject_number,
        "已核验" if row.identity_status == "verified" else "待核验", SOURCE_LABELS.get(row.source, row.source),
        state, cn_date(row.submitted_on), fen(row.amount_fen) if row.amount_fen is not None else "",
        fen(row.ceiling_fen) if row.ceiling_fen is not None else "",
    )  # fmt: skip


def _refused(request: Request, title: str, code: str, message: str) -> Response:
    context = {"title": title, "status": 422, "code": code, "message": message}
    return render(request, "error.html", context, status=422)


@router.get("/staff/queue.xlsx")
def queue_export(request: Request, caller: StaffCaller, session: SessionDep) -> Response:
    """Every row of the filtered queue (not only the page shown), masked as on the page."""
    query, _values, errors = _parsed(request)
    if query is None:
        return _refused(request, "导出条件有误", "INPUT_INVALID", "；".join(errors.values()))
    where = query.case_filter()
    total = count_queues(session, caller, where)[query.queue]
    if total > EXPORT_MAX:
        message = f"符合条件的案件有 {total} 件，超过一次导出的上限 {EXPORT_MAX} 件；提示：缩小范围后分次导出"
        return _refused(request, "导出范围过大", "EXPORT_TOO_LARGE", message)
    rows = find_cases(session, caller, where, limit=EXPORT_MAX, offset=0)
    stamp = dt.date.today().strftime("%Y%m%d")
    return xlsx_response(f"案件队列-{queue_of(query.queue).label}-{stamp}.xlsx", _HEADERS, map(_export_row, rows))
