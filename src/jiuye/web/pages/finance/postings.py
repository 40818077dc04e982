"""Job postings (岗位归集, 桂人社发〔2025〕38号（十四）（十五）): the postings of the caller's region,
paged and as Excel, and the import of a channel's file with its report (accepted, repeats skipped,
rows refused and why), through :func:`jiuye.service.jobs.import_posting_files` as
``POST /jobs/postings/import`` does."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from jiuye.jobs.intake import IntakeResult
from jiuye.jobs.model import Posting
from jiuye.jobs.occupations.directions import directions
from jiuye.jobs.parsing import format_education, format_salary
from jiuye.service import jobs
from jiuye.service.api.deps import SessionDep, today
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError
from jiuye.web.exports import xlsx_response
from jiuye.web.formats import simplified
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.finance.common import Posted, attempt
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["router"]

router = APIRouter()
_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".json", ".jsonl")  # as the API
_IMPORTERS = ("caseworker", "admin")


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


def _list(
    request: Request, session: SessionDep, caller: Caller, *, show: str, page: int, per_page: int,
    extra: dict[str, Any] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    found = _postings(request, session, caller, show)
    paging = Paging.of(page=page, per_page=per_page, total=len(found))
    context = {
        "postings": [_row(p) for p in found[paging.offset : paging.offset + paging.per_page]], "paging": paging,
        "show": show, "can_import": caller.role in _IMPORTERS, "values": {"channel": ""}, "errors": {},
        **(extra or {}),
    }  # fmt: skip
    return render(request, "finance/jobs.html", context, status=status)


@router.get("/staff/jobs")
def jobs_page(
    request: Request, session: SessionDep, caller: StaffCaller, show: Literal["open", "all"] = "open",
    page: PageNo = 1, per_page: PerPage = 20,
) -> Response:  # fmt: skip
    return _list(request, session, caller, show=show, page=page, per_page=per_page)


@router.get("/staff/jobs/export.xlsx")
def jobs_export(
    request: Request, session: SessionDep, caller: StaffCaller, show: Literal["open", "all"] = "open"
) -> Response:
    headers = ["编号", "岗位", "单位", "地点", "薪资", "学历", "截止日期", "来源渠道", "岗位开发方向"]
    rows = [[r["id"], r["title"], r["employer"], r["place"], r["salary"], r["education"],
             r["close_on"].isoformat() if r["close_on"] else "", r["channel"], r["directions"]]
            for r in map(_row, _postings(request, session, caller, show))]  # fmt: skip
    return xlsx_response("岗位.xlsx", headers, rows)


class ImportForm(BaseModel):
    channel: str = Field(min_length=1, max_length=32)
    strict: bool = False


@router.post("/staff/jobs/import")
async def import_file(request: Request, session: SessionDep, caller: StaffCaller, posted: Posted) -> Response:
    if caller.role not in _IMPORTERS:  # before reading the file
        msg = f"角色 {caller.role} 不能导入岗位；提示：由经办人员导入"
        raise ForbiddenError(msg)
    values = await read_form(request)
    form = validate(ImportForm, {**values, "strict": values.get("strict") == "on"})
    errors = dict(form.errors)
    upload = posted.get("file")
    name = Path(upload.filename or "").name if isinstance(upload, UploadFile) else ""
    if not name:
        errors["file"] = "请选择岗位文件"
    elif Path(name).suffix.lower() not in _SUFFIXES:
        errors["file"] = f"文件“{name}”的类型不支持；提示：上传 {'、'.join(_SUFFIXES)} 文件"
    if errors or form.model is None or not isinstance(upload, UploadFile):
        extra = {"values": form.values, "errors": errors}
        return _list(request, session, caller, show="open", page=1, per_page=20, extra=extra, status=422)
    model, data = form.model, await upload.read()
    with tempfile.TemporaryDirectory(prefix="jiuye-postings-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        done, refused = attempt(session, lambda: jobs.import_posting_files(
            session, caller, [path], channel=model.channel, strict=model.strict, reference=today(request)))  # fmt: skip
    if refused is not None or done is None:
        extra = {"values": form.values, "errors": {"_form": str(refused)}}
        code = refused.status if refused else 422
        return _list(request, session, caller, show="open", page=1, per_page=20, extra=extra, status=code)
    result, stored = done
    return render(request, "finance/jobs_imported.html", _report(result, stored, name),
                  status=200 if result.imported or not result.problems else 422)  # fmt: skip


def _report(result: IntakeResult, stored: jobs.StoreReport, name: str) -> dict[str, Any]:
    return {
        "name": name, "channel": result.channel, "rows": result.rows, "imported": result.imported,
        "rejected": result.rejected, "by_reason": result.rejected_by_reason(), "stored": stored,
        "duplicates": [str(d) for d in result.duplicates[:200]], "problems": [str(p) for p in result.problems[:200]],
        "notes": [str(n) for n in result.notes[:100]], "files_failed": list(result.files_failed),
        "more_problems": max(0, len(result.problems) - 200),
    }  # fmt: skip
