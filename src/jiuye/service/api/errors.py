"""One place where domain errors become HTTP statuses and Chinese messages with stable codes."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from jiuye.errors import JiuyeError
from jiuye.identifiers import redact
from jiuye.service.errors import ServiceError, StaleWriteError

__all__ = ["install_error_handlers"]

_PYDANTIC = {
    "missing": "缺少此字段",
    "extra_forbidden": "不允许的字段",
    "string_too_short": "过短",
    "string_too_long": "过长",
    "string_pattern_mismatch": "格式不正确",
    "literal_error": "取值不在允许范围内",
    "int_parsing": "应为整数",
    "json_invalid": "不是有效的 JSON",
}
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
    "RETURN_FILE_UNREADABLE": 422,
    "STATUS_TRANSITION": 409,
    "TRAIL_STAGE": 409,
}
_HTTP = {
    404: ("NOT_FOUND", "请求的地址不存在"),
    405: ("METHOD_NOT_ALLOWED", "不支持该请求方法"),
    413: ("PAYLOAD_TOO_LARGE", "请求内容过大"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "请求内容类型不支持"),
}


def _body(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": redact(message)}  # no clear ID number leaves, whatever raised


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(JiuyeError)
    async def domain_error(_request: Request, exc: JiuyeError) -> JSONResponse:
        status = exc.status if isinstance(exc, ServiceError) else _STATUS_BY_CODE.get(exc.code, 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(_body(exc.code, str(exc)), status_code=status, headers=headers)

    @app.exception_handler(StaleDataError)
    async def stale_write(_request: Request, _exc: StaleDataError) -> JSONResponse:
        # Raised inside a route (a flush); the request's transaction rolls back (see deps._session).
        error = StaleWriteError()
        return JSONResponse(_body(error.code, str(error)), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "请求"
            problems.append(f"{where}：{_PYDANTIC.get(error.get('type', ''), '不正确')}")
        return JSONResponse(_body("INPUT_INVALID", "请求有误：" + "；".join(problems)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP.get(exc.status_code, ("HTTP_ERROR", str(exc.detail)))
        return JSONResponse(_body(code, message), status_code=exc.status_code)
