"""Local parameters: which local settings are still unset and which named assumptions are in force
(in the service's own engine, as of the service's today), and the upload of a dated local
parameter file (``service.parameter_files``).

After an upload is committed the running engine is given the bundled parameters plus every
stored file (the same function builds them at start-up), so a case submitted afterwards is
decided with the new values, and its provenance names their dates and hashes their values.
Named assumption: one service process (``jiuye serve`` runs one); several processes would each
pick the file up at their next start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.documents import citation_text
from jiuye.service import parameter_files
from jiuye.service.api.deps import SessionDep, SessionsDep, SettingsDep, engine_of
from jiuye.service.auth import Caller
from jiuye.service.db import transaction
from jiuye.service.errors import ForbiddenError, ServiceError
from jiuye.service.models import User
from jiuye.web.exports import xlsx_response
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import LoginRequiredError, caller_or_none, require_roles

__all__ = ["router"]

router = APIRouter(prefix="/admin/parameters")

AdminCaller = Annotated[Caller, require_roles("admin")]


def _brief_admin(request: Request, settings: SettingsDep) -> Caller:
    """The administrator, checked in a transaction of its own that ends at once: the upload
    commits its own transaction, then gives the engine the new parameters (on SQLite a second
    transaction could not start while the page's usual one is open)."""
    with request.app.state.sessions() as session, session.begin():
        caller = caller_or_none(request, session, settings)
    if caller is None:
        raise LoginRequiredError(quote(request.url.path))
    request.state.caller = caller
    if caller.role != "admin":
        msg = "您的角色无权打开此页面"
        raise ForbiddenError(msg)
    return caller


BriefAdmin = Annotated[Caller, Depends(_brief_admin)]


@dataclass(frozen=True)
class InForce:
    """A parameter's value governing today (as known today), with its citation and note."""

    name: str
    description: str
    since: dt.date
    value: str
    citation: str
    assumption: str
    unset: bool  # no value: the documents leave it to the locality


def _in_force(params: ParameterSet, today: dt.date) -> list[InForce]:
    found = []
    for name, param in sorted(params.params.items()):
        entry = param.entry_at(today, known_by=today)
        if entry is None:
            continue  # not yet in force: nothing to set today
        cite = citation_text(entry.reference.document, entry.reference.clause) if entry.reference else ""
        shown = param.display(entry.value)
        found.append(
            InForce(name, param.description, entry.since, shown, cite, entry.assumption or "", entry.value is None)
        )
    return found


def _unset(params: ParameterSet, today: dt.date) -> list[InForce]:
    """Local settings a locality must set: in force today, with no value (the documents leave it to them)."""
    return [p for p in _in_force(params, today) if p.unset]


def _assumed(params: ParameterSet, today: dt.date) -> list[InForce]:
    return [p for p in _in_force(params, today) if p.assumption]


def _today(request: Request) -> dt.date:
    day: dt.date = request.app.state.clock()
    return day


def _page(
    request: Request, session: Session, *, page: int = 1, per_page: int = 20,
    problems: list[str] | None = None, error: str | None = None, status: int = 200,
) -> Response:  # fmt: skip
    params, today = engine_of(request).params, _today(request)
    paging = Paging.of(page=page, per_page=per_page, total=parameter_files.count_files(session))
    files = parameter_files.list_files(session, limit=paging.per_page, offset=paging.offset)
    ids = {f.uploaded_by for f, _ in files}
    names: dict[int, str] = dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
    context = {
        "today": today, "unset": _unset(params, today), "assumed_count": len(_assumed(params, today)),
        "files": files, "uploader": names, "paging": paging, "problems": problems or [],
        "errors": {"_form": error} if error else {}, "done": request.query_params.get("done") == "uploaded",
    }  # fmt: skip
    return render(request, "admin/parameters.html", context, status)


@router.get("")
def parameters_page(
    request: Request, caller: AdminCaller, session: SessionDep, page: PageNo = 1, per_page: PerPage = 20
) -> Response:
    return _page(request, session, page=page, per_page=per_page)


@router.get("/assumptions")
def assumptions_page(request: Request, caller: AdminCaller, page: PageNo = 1, per_page: PerPage = 50) -> Response:
    found = _assumed(engine_of(request).params, _today(request))
    paging = Paging.of(page=page, per_page=per_page, total=len(found))
    rows = found[paging.offset : paging.offset + paging.per_page]
    context = {"rows": rows, "paging": paging, "today": _today(request)}
    return render(request, "admin/assumptions.html", context)


@router.get("/assumptions/export")
def assumptions_export(request: Request, caller: AdminCaller) -> Response:
    found = _assumed(engine_of(request).params, _today(request))
    headers = ("参数", "说明", "生效日期", "取值", "出处", "具名假设")
    rows = [(a.name, a.description, a.since.isoformat(), a.value, a.citation, a.assumption) for a in found]
    return xlsx_response("具名假设.xlsx", headers, rows)


@router.post("/upload")
async def upload(
    request: Request, caller: BriefAdmin, sessions: SessionsDep, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    # Declared as a File, the form is read before the dependencies and closed by FastAPI after the
    # request whatever happens (a refusal by a dependency would otherwise leave its file open).
    sent = file
    if sent is None or not sent.filename:
        with sessions() as session:
            return _page(request, session, error="请选择要上传的参数文件（.params.yaml）", status=422)
    content = await sent.read(parameter_files.MAX_BYTES + 1)
    try:
        with transaction(sessions) as session:
            parameter_files.upload_file(session, caller, load_parameters(), filename=sent.filename, content=content)
    except parameter_files.ParameterFileError as exc:
        with sessions() as session:
            return _page(request, session, problems=exc.problems, status=exc.status)
    except ServiceError as exc:
        with sessions() as session:
            return _page(request, session, error=str(exc), status=exc.status)
    # Committed: the running engine now uses the stored files (the same function as at start-up).
    with sessions() as session:
        engine_of(request).params = parameter_files.stored_parameters(session, load_parameters())
    return RedirectResponse("/admin/parameters?done=uploaded", status_code=303)
