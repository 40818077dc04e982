"""Refuse what no route should read: bodies that are too large, or not JSON where JSON is expected,
and text with control characters (PostgreSQL refuses NUL in text; the others mean nothing in a name,
a code or a filter)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from jiuye.service.errors import InputError

__all__ = ["MAX_BODY", "MULTILINE_FIELDS", "clean_text", "request_guard"]

MAX_BODY = 1_000_000  # bytes; a claim's facts are a few kilobytes (named assumption, a local setting)
MAX_UPLOAD = 50_000_000  # a bank return file of a large batch (about 100 bytes a line), a channel's postings
_FORM_PATHS = ("/auth/token",)
#: Free-text fields where a line break (or a tab pasted with it) is legitimate: reasons, notes,
#: the evidence of a service, a resume's text. Everywhere else a control character is refused.
MULTILINE_FIELDS = frozenset({"reason", "note", "evidence", "resume"})
_LINE_BREAKS = frozenset("\n\r\t")
#: Named assumption: bytes of a claim's facts per person (a person and a hire row, about 300 bytes in
#: compact JSON, more when pretty-printed), so a claim of JIUYE_MAX_CLAIM_PERSONS persons gets through.
CLAIM_BYTES_PER_PERSON = 800


def _is_upload(path: str) -> bool:
    """Routes that take a file (multipart): a bank's return file, a channel's posting file."""
    return (path.startswith("/batches/") and path.endswith("/return")) or path == "/jobs/postings/import"


def _refuse(request: Request, status: int, code: str, msg: str) -> Response:
    """JSON for the API; on a page's path, the web layer's Chinese error page (as errors._answer)."""
    page_error = getattr(request.app.state, "page_error", None)
    page: Response | None = page_error(request, status, code, msg, InputError(msg)) if page_error else None
    return page if page is not None else JSONResponse({"code": code, "message": msg}, status_code=status)


def _too_large(request: Request, limit: int, size: int | None = None) -> Response:
    told = f"（{size} 字节）" if size is not None else ""
    msg = f"请求内容过大{told}；提示：不超过 {limit} 字节"
    return _refuse(request, 413, "PAYLOAD_TOO_LARGE", msg)


async def request_guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    if request.method in ("POST", "PUT", "PATCH"):
        path = request.url.path
        pages = getattr(request.app.state, "page_paths", None)  # the web layer's, when installed
        page = pages is not None and pages.is_web_path(path)
        upload = _is_upload(path) or (pages is not None and page and pages.is_upload_path(path))
        limit = MAX_UPLOAD if upload else MAX_BODY
        if path == "/applications" or (path.startswith("/applications/") and path.endswith("/facts")):
            limit = max(limit, request.app.state.settings.max_claim_persons * CLAIM_BYTES_PER_PERSON)
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > limit:
            return _too_large(request, limit, int(size))
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        expected = "application/json"
        if page:  # a page's form: either encoding (a form with a file input posts multipart)
            expected = "multipart/form-data" if kind == "multipart/form-data" else "application/x-www-form-urlencoded"
        elif request.url.path in _FORM_PATHS:
            expected = "application/x-www-form-urlencoded"
        elif upload:
            expected = "multipart/form-data"
        chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
        body_expected = page or request.url.path in _FORM_PATHS or size not in (None, "0") or chunked
        if body_expected and kind != expected:
            msg = f"请求内容类型应为 {expected}，实为 {kind or '未声明'}"
            return _refuse(request, 415, "UNSUPPORTED_MEDIA_TYPE", msg)
        # Counted while read: a chunked body declares no length, and a declared one may lie.
        chunks, read = [], 0
        async for chunk in request.stream():
            read += len(chunk)
            if read > limit:
                return _too_large(request, limit)
            chunks.append(chunk)
        request._body = b"".join(chunks)  # replayed to the route by the middleware's cached request
    return await call_next(request)


def _bad_char(text: str, multiline: bool) -> str | None:
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") and not (multiline and char in _LINE_BREAKS):
            return char
    return None


def _strings(value: Any, where: str) -> Iterator[tuple[str, str, bool]]:
    """Every string of a JSON value (keys too), with where it is and whether it may span lines."""
    if isinstance(value, str):
        yield where, value, where.rsplit(".", 1)[-1] in MULTILINE_FIELDS
    elif isinstance(value, dict):
        for key, item in value.items():
            yield where, key, False
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}.{i}" if where else str(i))


async def clean_text(request: Request) -> None:
    """Refuse control characters in the path, the query, a JSON body, form fields and file names
    (a dependency of every route: FastAPI has read and cached the body by the time it runs)."""
    found: list[tuple[str, str, bool]] = [(f"path.{k}", v, False) for k, v in request.path_params.items()]
    found += [(f"query.{k}", k + v, False) for k, v in request.query_params.multi_items()]
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method not in ("POST", "PUT", "PATCH"):
        kind = ""  # a body is read only where a route takes one
    form = None
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form()
        for key, item in form.multi_items():
            text = item.filename or "" if isinstance(item, UploadFile) else item
            found.append((key, key + text, key in MULTILINE_FIELDS))
    elif kind == "application/json":
        try:
            body = json.loads(await request.body())
        except (ValueError, RecursionError):  # FastAPI has answered a body it cannot parse already
            body = None
        found += _strings(body, "")
    for where, text, multiline in found:
        char = _bad_char(text, multiline)
        if char is not None:
            field = "".join(c for c in where if _bad_char(c, False) is None)[:64] or "请求"
            msg = f"请求有误：{field}：含有控制字符 U+{ord(char):04X}；提示：删去不可见字符"
            if char in _LINE_BREAKS:
                msg += "（此处不允许换行）"
            if form is not None:  # refused before any route or later dependency could close its files
                await form.close()
            raise InputError(msg)
