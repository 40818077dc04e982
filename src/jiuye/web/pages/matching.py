"""政策找人 from the caseworker console: the runs of the region, starting one (a synthetic
registry generated on the spot, or an uploaded one), and its progress as JSON for the bar.

The run itself is a background job (``service.background``): the application's one pool
(``jiuye.web.background``) is started with this router's lifespan.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from jiuye.errors import JiuyeError
from jiuye.regions import region_name, validate_region
from jiuye.registry.problems import RegistryError
from jiuye.service import matching_runs as runs
from jiuye.service.api.deps import Id, SessionDep, SettingsDep, today
from jiuye.service.auth import Caller
from jiuye.service.background import get_job, list_jobs
from jiuye.service.settings import Settings
from jiuye.web.background import background_lifespan, background_of
from jiuye.web.exports import xlsx_response
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.matching_run import router as run_router
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import StaffCaller, require_roles

__all__ = ["background_of", "router"]

Caseworker = Annotated[Caller, require_roles("caseworker")]
#: Named assumption: an uploaded registry is at most 20 table files (the registry has 11 tables).
MAX_FILES = 20
_SUFFIXES = (".csv", ".xlsx", ".parquet")
STATE_LABELS = {"queued": "排队中", "running": "执行中", "done": "已完成", "failed": "失败"}


router = APIRouter(prefix="/staff/matching", lifespan=background_lifespan)


class SyntheticForm(BaseModel):
    persons: int = Field(ge=runs.MIN_PERSONS, le=runs.MAX_PERSONS)
    as_of: dt.date
    region: str = Field(min_length=6, max_length=6)


class UploadForm(BaseModel):
    as_of: dt.date
    region: str = Field(min_length=6, max_length=6)


def _region_error(caller: Caller, code: str | None) -> str | None:
    if not code:
        return None
    try:
        region = validate_region(code)
    except JiuyeError as exc:
        return str(exc)
    if not caller.covers(region):
        return f"地区 {region} 不在您的辖区（{caller.region}）内；提示：只能选本辖区或其下级地区"
    return None


def _index(
    request: Request, session: Session, caller: Caller, page: int, per_page: int, status: int = 200, **extra: Any
) -> Response:
    """The runs of the region and the two ways to start one (``extra``: a failed form's values and errors)."""
    total = list_jobs(session, caller, kind=runs.KIND, offset=0, limit=1)[0]
    paging = Paging.of(page=page, per_page=per_page, total=total)
    _, jobs = list_jobs(session, caller, kind=runs.KIND, offset=paging.offset, limit=paging.per_page)
    defaults = {"as_of": today(request).isoformat(), "region": caller.region, "persons": "1000"}
    context = {
        "jobs": [(job, runs.run_params(job)) for job in jobs],
        "paging": paging,
        "states": STATE_LABELS,
        "region_label": region_name(caller.region),
        "limits": (runs.MIN_PERSONS, runs.MAX_PERSONS),
        "values": defaults,
        "upload_values": defaults,
        **extra,
    }
    return render(request, "staff/matching/index.html", context, status=status)


@router.get("")
def index(
    request: Request, caller: Caseworker, session: SessionDep, page: PageNo = 1, per_page: PerPage = 20
) -> Response:
    return _index(request, session, caller, page, per_page)


@router.get("/runs.xlsx")
def runs_export(caller: Caseworker, session: SessionDep) -> Response:
    _, jobs = list_jobs(session, caller, kind=runs.KIND, offset=0, limit=10_000)
    rows = []
    for job in jobs:
        params = runs.run_params(job)
        source = f"合成台账 {params['persons']} 人" if params.get("source") == "synthetic" else "上传台账"
        rows.append((job.id, params.get("as_of"), job.region, params["region_name"], source,
                     STATE_LABELS.get(job.state, job.state), job.message))  # fmt: skip
    return xlsx_response(
        "政策找人记录.xlsx", ("编号", "评估日期", "地区代码", "地区", "台账", "状态", "进度说明"), rows
    )


@router.post("/synthetic")
async def start_synthetic(request: Request, caller: Caseworker, session: SessionDep, settings: SettingsDep) -> Response:
    form = validate(SyntheticForm, await read_form(request))
    errors = dict(form.errors)
    if error := _region_error(caller, form.values.get("region")):
        errors["region"] = error
    if errors or form.model is None:
        return _index(request, session, caller, 1, 20, values=form.values, errors=errors, status=422)
    model = form.model
    request_ = runs.RunRequest(as_of=model.as_of, region=model.region, persons=model.persons)
    job = runs.start_run(session, background_of(request, session), caller, request_, data_dir=settings.data_dir)
    return _go(job.id)


def _go(run_id: int) -> Response:
    return Response(status_code=303, headers={"Location": f"/staff/matching/{run_id}"})


def _safe_name(name: str) -> str | None:
    base = Path(name.replace("\\", "/")).name
    if not base or base.startswith((".", "~$")) or not base.lower().endswith(_SUFFIXES):
        return None
    return base


@router.post("/upload")
async def start_upload(request: Request, caller: Caseworker, session: SessionDep, settings: SettingsDep) -> Response:
    posted = await request.form()
    try:
        return await _upload(request, caller, session, settings, posted.getlist("files"))
    finally:
        await posted.close()  # the spooled files (read by hand here, not through a form parameter)


def _file_error(files: list[UploadFile], names: list[str | None]) -> str | None:
    if not files:
        return "请选择台账文件（CSV、Excel 或 Parquet）"
    if len(files) > MAX_FILES:
        return f"一次至多上传 {MAX_FILES} 个文件，收到 {len(files)} 个"
    if None in names:
        return "只能上传 .csv、.xlsx、.parquet 文件，文件名不能以 . 开头"
    if len(set(names)) != len(names):
        return "有重名的文件"
    return None


async def _upload(
    request: Request, caller: Caller, session: Session, settings: Settings, posted: list[Any]
) -> Response:
    form = validate(UploadForm, await read_form(request))
    errors = dict(form.errors)
    if error := _region_error(caller, form.values.get("region")):
        errors["region"] = error
    files = [f for f in posted if isinstance(f, UploadFile) and f.filename]
    names = [_safe_name(f.filename or "") for f in files]
    if error := _file_error(files, names):
        errors["files"] = error
    if errors or form.model is None:
        return _index(request, session, caller, 1, 20, upload_values=form.values, upload_errors=errors, status=422)
    incoming = settings.data_dir / "matching" / f".incoming-{secrets.token_hex(8)}"
    raw = incoming / "upload"
    raw.mkdir(parents=True)
    try:
        for upload, name in zip(files, names, strict=True):
            (raw / str(name)).write_bytes(await upload.read())
        try:
            canonical = runs.checked_upload(raw)
        except RegistryError as exc:
            upload_errors = {"files": f"台账数据有误（{len(exc.problems)} 处），未发起政策找人；见下方逐行说明"}
            return _index(request, session, caller, 1, 20, upload_values=form.values, upload_errors=upload_errors,
                          problems=exc.problems[:200], problem_count=len(exc.problems), status=422)  # fmt: skip
        request_ = runs.RunRequest(as_of=form.model.as_of, region=form.model.region)
        job = runs.start_run(session, background_of(request, session), caller, request_, data_dir=settings.data_dir,
                             registry=canonical)  # fmt: skip
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    return _go(job.id)


@router.get("/{run_id}/progress")
def progress(run_id: Id, request: Request, caller: StaffCaller, session: SessionDep) -> Response:
    """What ``static/app.js`` polls: staff whose region covers the run's see it; no one else."""
    background_of(request, session)
    job = get_job(session, caller, run_id, kind=runs.KIND)
    body = {"done": job.done, "total": job.total, "message": job.message, "state": job.state,
            "finished": job.state in ("done", "failed")}  # fmt: skip
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


router.include_router(run_router)
