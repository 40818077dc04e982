"""Refuse what no route should read: bodies that are too large, or not JSON where JSON is expected."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse

__all__ = ["MAX_BODY", "request_guard"]

MAX_BODY = 1_000_000  # bytes; a claim's facts are a few kilobytes (named assumption, a local setting)
MAX_UPLOAD = 50_000_000  # a bank return file of a large batch (about 100 bytes a line), a channel's postings
_FORM_PATHS = ("/auth/token",)
#: Named assumption: bytes of a claim's facts per person (a person and a hire row, about 300 bytes in
#: compact JSON, more when pretty-printed), so a claim of JIUYE_MAX_CLAIM_PERSONS persons gets through.
CLAIM_BYTES_PER_PERSON = 800


def _is_upload(path: str) -> bool:
    """Routes that take a file (multipart): a bank's return file, a channel's posting file."""
    return (path.startswith("/batches/") and path.endswith("/return")) or path == "/jobs/postings/import"


async def request_guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    if request.method in ("POST", "PUT", "PATCH"):
        upload = _is_upload(request.url.path)
        limit = MAX_UPLOAD if upload else MAX_BODY
        path = request.url.path
        if path == "/applications" or (path.startswith("/applications/") and path.endswith("/facts")):
            limit = max(limit, request.app.state.settings.max_claim_persons * CLAIM_BYTES_PER_PERSON)
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > limit:
            msg = f"请求内容过大（{int(size)} 字节）；提示：不超过 {limit} 字节"
            return JSONResponse({"code": "PAYLOAD_TOO_LARGE", "message": msg}, status_code=413)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        expected = "application/json"
        if request.url.path in _FORM_PATHS:
            expected = "application/x-www-form-urlencoded"
        elif upload:
            expected = "multipart/form-data"
        body_expected = request.url.path in _FORM_PATHS or size not in (None, "0")
        if body_expected and kind != expected:
            msg = f"请求内容类型应为 {expected}，实为 {kind or '未声明'}"
            return JSONResponse({"code": "UNSUPPORTED_MEDIA_TYPE", "message": msg}, status_code=415)
    return await call_next(request)
