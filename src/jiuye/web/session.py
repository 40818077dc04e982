"""Browser sessions: the signed login token in an HttpOnly cookie, and CSRF by double submit.

The API takes a Bearer token; a browser cannot keep one safely in script, so the same signed,
expiring token (``service.auth.issue_token``) travels in a cookie that script cannot read
(HttpOnly), that other sites' forms do not carry (SameSite=Lax), and that is Secure whenever the
page came over HTTPS. Every form post must also echo a random per-browser value from a second,
SameSite=Strict cookie (``csrf`` field): a page of another site can make the browser post, but
cannot read that value.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request, Response

from jiuye.service.api.deps import SessionDep, SettingsDep
from jiuye.service.auth import Caller, read_token
from jiuye.service.errors import AuthError, ForbiddenError, ServiceError
from jiuye.service.models import User

__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "CsrfError",
    "LoginRequiredError",
    "OptionalCaller",
    "PageCaller",
    "StaffCaller",
    "caller_or_none",
    "check_csrf",
    "csrf_token",
    "end_session",
    "require_roles",
    "start_session",
]

SESSION_COOKIE = "jiuye_session"
CSRF_COOKIE = "jiuye_csrf"


class CsrfError(ServiceError):
    status = 403
    code = "CSRF_FAILED"

    def __init__(self) -> None:
        super().__init__("页面已过期或请求并非来自本站（表单校验码不符）；提示：刷新页面后重新提交")


class LoginRequiredError(AuthError):
    """A page that needs a login, opened without one: answered by a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__("请先登录")
        self.next_path = next_path


def _secure(request: Request) -> bool:
    """Secure cookies over HTTPS. Named assumption: TLS ends at this process or at a proxy that
    sets the scheme (uvicorn --proxy-headers); over plain HTTP on the bureau's intranet (or the
    local demo) a Secure cookie would never come back, so it is not set."""
    return request.url.scheme == "https"


def csrf_token(request: Request) -> str:
    """This browser's CSRF value: the cookie's, or a new one (set on the response by ``render``)."""
    token = getattr(request.state, "csrf", None)
    if token is None:
        token = request.cookies.get(CSRF_COOKIE) or ""
        if len(token) != 43:  # secrets.token_urlsafe(32); anything else was not set by us
            token = secrets.token_urlsafe(32)
            request.state.new_csrf = token
        request.state.csrf = token
    return str(token)


def set_csrf_cookie(request: Request, response: Response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict", secure=_secure(request), path="/")


async def check_csrf(request: Request) -> AsyncIterator[None]:
    """Dependency of every page route that changes something (POST). The form it parses is closed
    when the request ends, whatever answered: its spooled files are removed even when a later
    dependency refused before the route read them (FastAPI closes only the forms it parsed itself)."""
    if request.method != "POST":
        yield
        return
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CsrfError
    form = await request.form()
    try:
        sent = form.get("csrf")
        kept = request.cookies.get(CSRF_COOKIE)
        if not isinstance(sent, str) or not kept or not hmac.compare_digest(sent.encode(), kept.encode()):
            raise CsrfError
        yield
    finally:
        await form.close()


def start_session(request: Request, response: Response, token: str, minutes: int) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, max_age=minutes * 60, httponly=True, samesite="lax", secure=_secure(request), path="/"
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def caller_or_none(request: Request, session: SessionDep, settings: SettingsDep) -> Caller | None:
    """The logged-in caller, or None (no cookie, an expired or forged one, a disabled account)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        caller = read_token(token, settings.token_key)
    except AuthError:
        return None
    user = session.get(User, caller.user_id)
    if user is None or not user.active:
        return None
    request.state.display_name = user.display_name
    return caller


OptionalCaller = Annotated[Caller | None, Depends(caller_or_none)]


def _login_needed(request: Request) -> LoginRequiredError:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return LoginRequiredError(quote(target, safe="/?=&"))


def page_caller(request: Request, caller: OptionalCaller) -> Caller:
    if caller is None:
        raise _login_needed(request)
    request.state.caller = caller
    return caller


PageCaller = Annotated[Caller, Depends(page_caller)]


def require_roles(*roles: str) -> object:
    """A dependency: the logged-in caller, who must hold one of ``roles`` (else 403, in Chinese)."""

    def dependency(caller: PageCaller) -> Caller:
        if caller.role not in roles:
            msg = "您的角色无权打开此页面"
            raise ForbiddenError(msg)
        return caller

    return Depends(dependency)


def _staff(caller: PageCaller) -> Caller:
    if not caller.is_staff:
        msg = "此页面仅供工作人员使用"
        raise ForbiddenError(msg)
    return caller


StaffCaller = Annotated[Caller, Depends(_staff)]
