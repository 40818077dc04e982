"""Posting imports in the background: the upload is checked (type, size, channel) in the request
and refused at once with the form kept; otherwise a ``postings_import`` job of the caller's region
is queued (:func:`jiuye.service.posting_imports.start_import`) and the page shows its progress bar,
then its report. Staff of another region are told the import does not exist."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from jiuye.errors import JiuyeError
from jiuye.service import posting_imports as imports
from jiuye.service.api.deps import Id, SessionDep, SettingsDep, today
from jiuye.web.background import background_of
from jiuye.web.exports import xlsx_response
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.finance.common import Posted
from jiuye.web.pages.finance.postings import import_row, import_rows, jobs_list
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["router"]

router = APIRouter(prefix="/staff/jobs")


class ImportForm(BaseModel):
    channel: str = Field(min_length=1, max_length=32)
    strict: bool = False


def _file_error(upload: object) -> tuple[str, str | None]:
    """The upload's base name and what is wrong with it (nothing: ``None``)."""
    name = Path((upload.filename or "").replace("\\", "/")).name if isinstance(upload, UploadFile) else ""
    if not name:
        return name, "请选择岗位文件"
    if name.startswith(".") or Path(name).suffix.lower() not in imports.SUFFIXES:
        return name, f"文件“{name}”的类型不支持；提示：上传 {'、'.join(imports.SUFFIXES)} 文件"
    if isinstance(upload, UploadFile) and upload.size is not None and upload.size > imports.MAX_BYTES:
        return name, f"文件“{name}”超过 {imports.MAX_BYTES // 1024 // 1024} MB；提示：分成几个文件分别导入"
    return name, None


@router.post("/import")
async def import_file(
    request: Request, session: SessionDep, caller: StaffCaller, settings: SettingsDep, posted: Posted
) -> Response:
    imports.check_importer(caller)  # before reading the file
    values = await read_form(request)
    form = validate(ImportForm, {**values, "strict": values.get("strict") == "on"})
    errors = dict(form.errors)
    upload = posted.get("file")
    name, file_error = _file_error(upload)
    if file_error:
        errors["file"] = file_error
    if errors or form.model is None or not isinstance(upload, UploadFile):
        return jobs_list(request, session, caller, values=form.values, errors=errors, status=422)
    # start_import refuses before writing anything: a refusal leaves no job and no file.
    try:
        job = imports.start_import(
            session, background_of(request, session), caller, name=name, data=await upload.read(),
            channel=form.model.channel, strict=form.model.strict, reference=today(request),
            data_dir=settings.data_dir,
        )  # fmt: skip
    except JiuyeError as exc:
        field = "channel" if "渠道" in str(exc) else "file"
        return jobs_list(request, session, caller, values=form.values, errors={field: str(exc)}, status=422)
    return Response(status_code=303, headers={"Location": f"/staff/jobs/imports/{job.id}"})


@router.get("/imports")
def imports_page(
    request: Request, session: SessionDep, caller: StaffCaller, page: PageNo = 1, per_page: PerPage = 20
) -> Response:
    total = import_rows(session, caller, offset=0, limit=0)[0]
    paging = Paging.of(page=page, per_page=per_page, total=total)
    _, rows = import_rows(session, caller, offset=paging.offset, limit=paging.per_page)
    return render(request, "finance/imports.html", {"imports": rows, "paging": paging})


@router.get("/imports.xlsx")
def imports_export(session: SessionDep, caller: StaffCaller) -> Response:
    _, rows = import_rows(session, caller, offset=0, limit=10_000)
    headers = ["编号", "文件", "来源渠道", "严格模式", "发起人", "发起时间", "状态", "说明"]
    cells = [[r["id"], r["name"], r["channel"], "是" if r["strict"] else "否", r["creator"],
              r["created_at"].isoformat(timespec="seconds") if r["created_at"] else "", r["state_label"], r["message"]]
             for r in rows]  # fmt: skip
    return xlsx_response("岗位导入记录.xlsx", headers, cells)


@router.get("/imports/{job_id}")
def import_page(job_id: Id, request: Request, session: SessionDep, caller: StaffCaller) -> Response:
    job = imports.get_import(session, caller, job_id)
    context = {
        "job": import_row(session, job),
        "done": job.done,
        "total": job.total,
        "report": imports.read_report(job),
    }
    return render(request, "finance/jobs_imported.html", context)


@router.get("/imports/{job_id}/progress")
def progress(job_id: Id, request: Request, caller: StaffCaller, session: SessionDep) -> Response:
    """What ``static/app.js`` polls: staff whose region covers the import's see it; no one else."""
    background_of(request, session)
    job = imports.get_import(session, caller, job_id)
    body = {"done": job.done, "total": job.total, "message": job.message, "state": job.state,
            "finished": job.state in ("done", "failed")}  # fmt: skip
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
