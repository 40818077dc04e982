"""One place where domain errors become HTTP statuses and Chinese messages with stable codes."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from jiuye.errors import JiuyeError
from jiuye.identifiers import redact
from jiuye.service.api.db_errors import install_database_handlers
from jiuye.service.errors import ServiceError, StaleWriteError

__all__ = ["ERROR_RESPONSES", "ErrorBody", "install_error_handlers", "pydantic_message", "status_of"]

_log = logging.getLogger("jiuye.service.api")


class ErrorBody(BaseModel):
    """Every error the service answers: a stable code and a Chinese message."""

    code: str = Field(description="稳定的错误码，如 INPUT_INVALID、NOT_FOUND")
    message: str = Field(description="中文说明（含提示）")


_DECLARED = {
    400: "请求内容无法解析",
    401: "未登录、登录已过期或凭证无效",
    403: "无权进行此操作",
    404: "记录不存在或不在您的辖区之内",
    409: "与记录当前的状态或其他操作冲突",
    413: "请求内容过大",
    415: "请求内容类型不支持",
    429: "登录失败次数过多，暂时锁定",
    422: "请求有误（字段、格式、取值或业务规则）",
    503: "服务繁忙，稍后重试",
}
#: Declared on every operation (``include_router(..., responses=ERROR_RESPONSES)``); also replaces
#: FastAPI's own 422 schema, which is not what the service answers.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _DECLARED.items()
}

#: Pydantic's error types in Chinese ({…} from the error's context); any other type gets "不正确".
_PYDANTIC = {
    "missing": "缺少此字段",
    "extra_forbidden": "不允许的字段",
    "string_too_short": "过短（至少 {min_length} 个字符）",
    "string_too_long": "过长（至多 {max_length} 个字符）",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文本",
    "string_unicode": "不是有效的 UTF-8 文本",
    "literal_error": "取值不在允许范围内（可选 {expected}）",
    "enum": "取值不在允许范围内（可选 {expected}）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "整数过大",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期（如 2025-07-01）",
    "date_from_datetime_parsing": "应为日期（如 2025-07-01）",
    "date_from_datetime_inexact": "应为日期，不含时刻",
    "date_type": "应为日期（如 2025-07-01）",
    "datetime_parsing": "应为日期时刻",
    "datetime_from_date_parsing": "应为日期时刻",
    "datetime_type": "应为日期时刻",
    "dict_type": "应为对象（{{…}}）",
    "list_type": "应为数组（[…]）",
    "model_attributes_type": "应为对象（{{…}}）",
    "model_type": "应为对象（{{…}}）",
    "too_short": "过短（至少 {min_length} 项）",
    "too_long": "过长（至多 {max_length} 项）",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "value_error": "不正确",
    "union_tag_invalid": "类型不在允许范围内",
}
_FALLBACK = "不正确"
_PRINTABLE_LOC = 64  # a loc can echo a caller's key (an extra field): shown printable and short
#: Errors from outside the service package, by code (the domain knows no HTTP).
_STATUS_BY_CODE = {
    "FACTS_INVALID": 422,
    "MEASURE_UNKNOWN": 422,
    "REGION_INVALID": 422,
    "TRANSITION_INVALID": 409,
    "TRANSITION_PRECONDITION": 409,
    "TRANSITION_FORBIDDEN": 403,
    "APPROVAL_FORBIDDEN": 403,
    "PAYMENT_INVALID": 422,
    "BANK_FILE_INVALID": 422,
    "ACCOUNT_NO_INVALID": 422,
    "PAYEE_NAME_INVALID": 422,
    "RETURN_FILE_UNREADABLE": 422,
    "STATUS_TRANSITION": 409,
    "TRAIL_STAGE": 409,
    "CHANNEL_INVALID": 422,
    "POSTINGS_INVALID": 422,
    "JOB_FIELD_INVALID": 422,
    "SEEKER_INVALID": 422,
}
_HTTP = {
    400: ("BODY_INVALID", "请求内容无法解析；提示：检查请求体的格式与编码"),
    401: ("AUTH_FAILED", "未登录或登录已失效"),
    403: ("FORBIDDEN", "无权访问"),
    404: ("NOT_FOUND", "请求的地址不存在"),
    405: ("METHOD_NOT_ALLOWED", "不支持该请求方法"),
    413: ("PAYLOAD_TOO_LARGE", "请求内容过大"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "请求内容类型不支持"),
    422: ("INPUT_INVALID", "请求有误"),
}


def _body(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": redact(message)}  # no clear ID number leaves, whatever raised


def _answer(
    request: Request, status: int, code: str, message: str, exc: Exception, headers: Mapping[str, str] | None = None
) -> Response:
    """JSON for the API; the web layer's HTML page (``app.state.page_error``) for a page's path."""
    page_error = getattr(request.app.state, "page_error", None)
    if page_error is not None:
        page: Response | None = page_error(request, status, code, redact(message), exc)
        if page is not None:
            return page
    return JSONResponse(_body(code, message), status_code=status, headers=headers)


def status_of(exc: JiuyeError) -> int:
    """The HTTP status of a domain error (a page that shows the refusal itself answers with it too)."""
    return exc.status if isinstance(exc, ServiceError) else _STATUS_BY_CODE.get(exc.code, 400)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(JiuyeError)
    async def domain_error(request: Request, exc: JiuyeError) -> Response:
        status = status_of(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return _answer(request, status, exc.code, str(exc), exc, headers)

    @app.exception_handler(StaleDataError)
    async def stale_write(request: Request, exc: StaleDataError) -> Response:
        # Raised inside a route (a flush); the request's transaction rolls back (see deps._session).
        error = StaleWriteError()
        return _answer(request, error.status, error.code, str(error), exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [f"{_where(error)}：{pydantic_message(error)}" for error in exc.errors()]
        return _answer(request, 422, "INPUT_INVALID", "请求有误：" + "；".join(problems), exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = _HTTP.get(exc.status_code, ("HTTP_ERROR", f"请求未能处理（HTTP {exc.status_code}）"))
        return _answer(request, exc.status_code, code, message, exc, exc.headers)

    install_database_handlers(app)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        _log.exception("%s %s: unexpected %s", request.method, request.url.path, type(exc).__name__)
        message = "服务器内部错误，本次未保存；提示：稍后重试，仍不行请联系管理员"
        return _answer(request, 500, "INTERNAL_ERROR", message, exc)


def _where(error: Any) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    shown = "".join(c for c in where if c.isprintable())[:_PRINTABLE_LOC]
    return shown or "请求"


def pydantic_message(error: Any) -> str:
    template = _PYDANTIC.get(error.get("type", ""), _FALLBACK)
    # pydantic lists choices as "'a', 'b' or 'c'": listed here with 、
    ctx = {k: str(v).replace(" or ", "、").replace(", ", "、") for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("（")[0]
