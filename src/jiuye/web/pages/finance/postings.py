"""Job postings (岗位归集, 桂人社发〔2025〕38号（十四）（十五）): the postings of the caller's region,
paged and as Excel, with the form to import a channel's file and the region's latest imports
(the import itself runs in the background: :mod:`jiuye.web.pages.finance.imports`)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from jiuye.jobs.model import Posting
from jiuye.jobs.occupations.directions import directions
from jiuye.jobs.parsing import format_education, format_salary
from jiuye.service import jobs
from jiuye.service import posting_imports as imports
from jiuye.service.api.deps import SessionDep, today
from jiuye.service.auth import Caller
from jiuye.service.background import list_jobs
from jiuye.service.models import BackgroundJob, User
from jiuye.web.exports import xlsx_response
from jiuye.web.formats import simplified
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["STATE_LABELS", "import_row", "import_rows", "jobs_list", "router"]

router = APIRouter()
STATE_LABELS = {"queued": "排队中", "running": "执行中", "done": "已完成", "failed": "失败"}
RECENT = 5  # imports shown on the postings page (all of them: /staff/jobs/imports)


def _postings(request: Request, session: SessionDep, caller: Caller, show: str) -> list[Posting]:
    """The region's postings (open today unless all are asked for); a posting names its place."""
    day = today(request) if show != "all" else None
    return list(jobs.postings_by_id(session, today=day, region=caller.region).values())


def _direction_names(p: Posting) -> str:
    """The job-development directions in simplified characters (the national text is traditional)."""
    names = {f"direction_{d.number}": d.name for d in directions()}
    return "；".join(simplified(names.get(code, code)) for code in p.directions)


def _row(p: Posting) -> dict[str, Any]:
    return {"id": p.id, "title": p.title, "employer": p.employer, "place": p.place or p.region or "",
            "salary": format_salary(p.salary) if p.salary else "", "education": format_education(p.education)
            if p.education else "", "close_on": p.close_on, "channel": p.channel,
            "directions": _direction_names(p)}  # fmt: skip


def import_rows(session: Session, caller: Caller, *, offset: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """The region's posting imports, newest first, as the lists show them."""
    total, found = list_jobs(session, caller, kind=imports.KIND, offset=offset, limit=limit)
    return total, [import_row(session, job) for job in found]


def import_row(session: Session, job: BackgroundJob) -> dict[str, Any]:
    params = imports.import_params(job)
    creator = session.get(User, job.created_by)
    return {"id": job.id, "name": params.get("name", ""), "channel": params.get("channel", ""),
            "strict": bool(params.get("strict")), "state": job.state,
            "state_label": STATE_LABELS.get(job.state, job.state),
            "message": job.error if job.state == "failed" else job.message, "created_at": job.created_at,
            "creator": creator.display_name if creator else ""}  # fmt: skip


def jobs_list(
    request: Request, session: Session, caller: Caller, *, show: str = "open", page: int = 1, per_page: int = 20,
    values: dict[str, Any] | None = None, errors: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    """The postings page (``values``/``errors``: a refused import form, shown again)."""
    found = _postings(request, session, caller, show)
    paging = Paging.of(page=page, per_page=per_page, total=len(found))
    total_imports, recent = import_rows(session, caller, offset=0, limit=RECENT)
    context = {
        "postings": [_row(p) for p in found[paging.offset : paging.offset + paging.per_page]], "paging": paging,
        "show": show, "can_import": caller.role in imports.IMPORTERS, "values": values or {"channel": ""},
        "errors": errors or {}, "imports": recent, "total_imports": total_imports,
    }  # fmt: skip
    return render(request, "finance/jobs.html", context, status=status)


@router.get("/staff/jobs")
def jobs_page(
    request: Request, session: SessionDep, caller: StaffCaller, show: Literal["open", "all"] = "open",
    page: PageNo = 1, per_page: PerPage = 20,
) -> Response:  # fmt: skip
    return jobs_list(request, session, caller, show=show, page=page, per_page=per_page)


@router.get("/staff/jobs/export.xlsx")
def jobs_export(
    request: Request, session: SessionDep, caller: StaffCaller, show: Literal["open", "all"] = "open"
) -> Response:
    headers = ["编号", "岗位", "单位", "地点", "薪资", "学历", "截止日期", "来源渠道", "岗位开发方向"]
    rows = [[r["id"], r["title"], r["employer"], r["place"], r["salary"], r["education"],
             r["close_on"].isoformat() if r["close_on"] else "", r["channel"], r["directions"]]
            for r in map(_row, _postings(request, session, caller, show))]  # fmt: skip
    return xlsx_response("岗位.xlsx", headers, rows)
