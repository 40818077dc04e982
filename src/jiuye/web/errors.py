"""Errors on pages: the same codes and Chinese messages as the API, as an HTML page; a page that
needs a login redirects to the login form and comes back after it."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from jiuye.web.paths import is_web_path
from jiuye.web.render import render
from jiuye.web.session import LoginRequiredError

__all__ = ["page_error"]

_TITLES = {
    401: "需要登录",
    403: "无权操作",
    404: "页面或记录不存在",
    409: "操作与当前状态冲突",
    413: "提交的内容过大",
    415: "提交的内容类型不支持",
    422: "提交的内容有误",
    429: "尝试次数过多",
    500: "服务器内部错误",
    503: "服务繁忙",
}


def page_error(request: Request, status: int, code: str, message: str, exc: Exception) -> Response | None:
    """The hook ``service.api.errors`` calls for every error; None leaves the API's JSON answer."""
    if not is_web_path(request.url.path) or request.url.path.startswith("/static/"):
        return None
    if isinstance(exc, LoginRequiredError):
        return RedirectResponse(f"/login?next={exc.next_path}", status_code=303)
    if status == 401:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    title = _TITLES.get(status, "请求未能处理")
    context = {"title": title, "status": status, "code": code, "message": message}
    return render(request, "error.html", context, status=status)
