"""Evidence files: the claimant uploads to their own application (checked by content and size in
``service.evidence``) and downloads; staff of the application's region download from the case page."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from jiuye.service import evidence as service
from jiuye.service.api.deps import Id, SessionDep
from jiuye.service.auth import Caller
from jiuye.service.errors import ServiceError
from jiuye.service.models import EvidenceFile
from jiuye.web.pages.portal.applications import application_context
from jiuye.web.pages.portal.common import ClaimantCaller
from jiuye.web.render import PAGE_HEADERS, render
from jiuye.web.session import StaffCaller

__all__ = ["router"]

router = APIRouter()


def _download(row: EvidenceFile) -> Response:
    headers = {
        **PAGE_HEADERS,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
        "X-Checksum-SHA256": row.sha256,
    }
    return Response(row.content, media_type=row.media_type, headers=headers)


@router.post("/my/applications/{application_id}/evidence")
async def upload(request: Request, application_id: Id, caller: ClaimantCaller, session: SessionDep) -> Response:
    form = await request.form()
    item = form.get("file")
    try:
        error, status = _store(session, caller, application_id, item) if isinstance(item, UploadFile) else _NO_FILE
        if isinstance(item, UploadFile) and item.filename and not error:
            return RedirectResponse(f"/my/applications/{application_id}?done=uploaded", status_code=303)
    finally:
        await form.close()  # the spooled upload is removed now, whatever the outcome
    context = application_context(session, caller, application_id)
    context["errors"] = {"file": error}
    return render(request, "portal/application.html", context, status)


_NO_FILE = ("请选择要上传的文件（PDF、JPG 或 PNG）", 422)


def _store(session: Session, caller: Caller, application_id: int, item: UploadFile) -> tuple[str, int]:
    """("", 0) once stored, else the message beside the field and the status; not found is raised."""
    if not item.filename:
        return _NO_FILE
    # One byte past the limit is enough to refuse: a larger file is never read whole into memory.
    data = item.file.read(service.MAX_EVIDENCE_BYTES + 1)
    try:
        with session.begin_nested():  # a refused file leaves nothing behind
            service.add_evidence(session, caller, application_id, item.filename, data)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return str(exc), exc.status
    return "", 0


@router.get("/my/applications/{application_id}/evidence/{file_id}")
def claimant_download(application_id: Id, file_id: Id, caller: ClaimantCaller, session: SessionDep) -> Response:
    return _download(service.evidence_file(session, caller, application_id, file_id))


@router.get("/staff/cases/{application_id}/evidence/{file_id}")
def staff_download(application_id: Id, file_id: Id, caller: StaffCaller, session: SessionDep) -> Response:
    return _download(service.evidence_file(session, caller, application_id, file_id))
