"""The last resort for database errors a route did not foresee: a conflict with a concurrent request
(409), a value the column cannot hold (422), a lock or connection that timed out (503), each in
Chinese and logged; never a 500 with the driver's English."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

__all__ = ["install_database_handlers"]

_log = logging.getLogger("jiuye.service.api")

_ANSWERS: dict[type[Exception], tuple[int, str, str]] = {
    IntegrityError: (409, "CONFLICT", "与同时进行的其他操作冲突，本次未保存；提示：刷新后重试"),
    StaleDataError: (409, "CONFLICT", "记录已被其他操作修改，本次未保存；提示：刷新后重试"),
    DataError: (422, "INPUT_INVALID", "请求有误：数值或文本超出数据库允许的范围"),
    OperationalError: (503, "SERVICE_BUSY", "服务繁忙（数据库锁定或连接超时），本次未保存；提示：稍后重试"),
}


def install_database_handlers(app: FastAPI) -> None:
    async def answer(request: Request, exc: Exception) -> Response:
        status, code, message = next(a for kind, a in _ANSWERS.items() if isinstance(exc, kind))
        # The statement, its parameters and the driver's text may hold personal data: logged are the
        # error's class and SQLSTATE only (the session dependency has rolled the transaction back).
        driver = getattr(exc, "orig", None)
        _log.warning(
            "%s %s: %s (%s, SQLSTATE %s) answered %d %s", request.method, request.url.path, type(exc).__name__,
            type(driver).__name__, getattr(driver, "sqlstate", None), status, code,
        )  # fmt: skip
        headers = {"Retry-After": "1"} if status == 503 else None
        # A page's path gets the web layer's HTML error page, as every other error does (errors._answer).
        page_error = getattr(request.app.state, "page_error", None)
        page: Response | None = page_error(request, status, code, message, exc) if page_error else None
        if page is not None:
            if headers:
                page.headers.update(headers)
            return page
        return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)

    for kind in _ANSWERS:
        app.add_exception_handler(kind, answer)
