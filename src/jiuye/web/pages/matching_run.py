"""One 政策找人 run: its progress while it runs; then the budget, the eligible list and the
near-miss list (paged, masked, each with its Excel download), and turning matches into cases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from jiuye.service import matching_lists as lists
from jiuye.service import matching_runs as runs
from jiuye.service.api.deps import Id, SessionDep, engine_of, today
from jiuye.service.auth import Caller
from jiuye.service.errors import InputError
from jiuye.service.models import BackgroundJob, User
from jiuye.service.proactive import ProactiveReport
from jiuye.web.exports import xlsx_response
from jiuye.web.forms import read_form
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import require_roles

__all__ = ["router"]

router = APIRouter()
Caseworker = Annotated[Caller, require_roles("caseworker")]
Tab = Literal["budget", "eligible", "near"]
TABS = (("budget", "预算汇总"), ("eligible", "符合条件名单"), ("near", "差一点名单"))
STATE_LABELS = {"queued": "排队中", "running": "执行中", "done": "已完成", "failed": "失败"}
#: Named assumption: one Excel download holds at most this many rows (a district's list fits;
#: a province's is cut by measure with ``jiuye match --excel-measure``).
EXPORT_MAX = 100_000


def _out(job: BackgroundJob) -> Path | None:
    """The run's output folder, if it finished and its files are still there."""
    if job.state != "done" or not job.result or not (Path(job.result) / "summary.json").is_file():
        return None
    return Path(job.result)


def _page(
    request: Request,
    session: Session,
    job: BackgroundJob,
    *,
    tab: str,
    page: int,
    per_page: int,
    measure: str | None = None,
    report: ProactiveReport | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    creator = session.get(User, job.created_by)
    context: dict[str, Any] = {
        "job": job,
        "params": runs.run_params(job),
        "creator": creator.display_name if creator else "",
        "states": STATE_LABELS,
        "tabs": TABS,
        "tab": tab,
        "measure": measure or "",
        "report": report,
        "import_error": error,
        "kinds": lists.KIND_LABELS,
    }
    out = _out(job)
    if out is not None:
        reader = {"budget": lists.budget_page, "near": lists.near_miss_page}.get(tab)
        total = (lists.eligible_page(out, measure=measure, limit=0) if reader is None else reader(out, limit=0)).total
        paging = Paging.of(page=page, per_page=per_page, total=total)
        if reader is None:
            listed = lists.eligible_page(out, measure=measure, offset=paging.offset, limit=paging.per_page)
        else:
            listed = reader(out, offset=paging.offset, limit=paging.per_page)
        context.update(
            summary=lists.summary(out),
            paging=paging,
            rows=listed.rows,
            claimable=lists.eligible_measures(out, claimable=True),
            eligible=lists.eligible_measures(out),
        )
    return render(request, "staff/matching/run.html", context, status=status)


@router.get("/{run_id}")
def run_page(
    run_id: Id,
    request: Request,
    caller: Caseworker,
    session: SessionDep,
    tab: Tab = "eligible",
    measure: Annotated[str | None, Query(max_length=64)] = None,
    page: PageNo = 1,
    per_page: PerPage = 20,
) -> Response:
    job = runs.get_run(session, caller, run_id)
    return _page(request, session, job, tab=tab, page=page, per_page=per_page, measure=measure)


_EXPORTS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "budget": ("预算汇总", (("measure", "政策编号"), ("title", "政策名称"), ("fund_name", "资金渠道"),
                            ("region", "地区代码"), ("month", "月份"), ("beneficiaries", "受益对象数"),
                            ("items", "人次/项数"), ("amount", "应发金额（元）"),
                            ("ceiling", "待核定项目最高限额合计（元）"))),
    "eligible": ("符合条件名单", (("measure", "政策编号"), ("title", "政策名称"), ("kind_label", "对象类型"),
                                  ("subject_id", "对象编号"), ("subject_name", "对象名称"), ("region", "地区代码"),
                                  ("amount", "应发金额（元）"), ("ceiling", "最高限额（元）"),
                                  ("fund_name", "资金渠道"))),
    "near": ("差一点名单", (("measure", "政策编号"), ("title", "政策名称"), ("kind_label", "对象类型"),
                            ("subject_id", "对象编号"), ("subject_name", "对象名称"), ("region", "地区代码"),
                            ("near_miss_condition", "未满足的条件"), ("near_miss_text", "差距"))),
}  # fmt: skip


@router.get("/{run_id}/{which}.xlsx")
def export(
    run_id: Id,
    which: Tab,
    caller: Caseworker,
    session: SessionDep,
    measure: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The same rows as the tab shows (its filter kept), masked as on the page."""
    job = runs.get_run(session, caller, run_id)
    out = _out(job)
    if out is None:
        msg = "该次政策找人尚未完成或结果文件已不存在，暂无名单可下载"
        raise InputError(msg)
    if which == "budget":
        listed = lists.budget_page(out, limit=EXPORT_MAX)
    elif which == "near":
        listed = lists.near_miss_page(out, limit=EXPORT_MAX)
    else:
        listed = lists.eligible_page(out, measure=measure, limit=EXPORT_MAX)
    name, columns = _EXPORTS[which]
    runs.record_export(session, caller, job, which=which, rows=len(listed.rows))
    rows = ([row.get(key) for key, _ in columns] for row in listed.rows)
    return xlsx_response(f"政策找人{run_id}-{name}.xlsx", [label for _, label in columns], rows)


@router.post("/{run_id}/import")
async def import_page(run_id: Id, request: Request, caller: Caseworker, session: SessionDep) -> Response:
    """Selected measures (``measures``), or one row of the eligible list (``row``), become cases."""
    job = runs.get_run(session, caller, run_id)
    values = await read_form(request)
    chosen = values.get("measures") or []
    measures = [chosen] if isinstance(chosen, str) else list(chosen)
    posted_row = values.get("row")
    if posted_row is not None and (not isinstance(posted_row, str) or not posted_row.isdigit() or len(posted_row) > 9):
        msg = "所选的行不正确"
        raise InputError(msg)
    row = None if posted_row is None else int(posted_row)
    try:
        with session.begin_nested():  # a refused import leaves nothing behind
            report = runs.import_run(
                session, engine_of(request), caller, job, measures=measures, row=row, today=today(request)
            )
    except InputError as exc:
        return _page(request, session, job, tab="eligible", page=1, per_page=20, error=str(exc), status=422)
    return _page(request, session, job, tab="eligible", page=1, per_page=20, report=report)
