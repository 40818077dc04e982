"""Pages anyone may open: the home page with the demo logins, logging in and out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from jiuye.service.api.deps import SessionsDep, SettingsDep
from jiuye.service.auth import Caller, issue_token
from jiuye.service.errors import AuthError, LockedError
from jiuye.service.login import login as attempt_login
from jiuye.web.forms import read_form, validate
from jiuye.web.render import render
from jiuye.web.session import OptionalCaller, end_session, start_session

__all__ = ["router", "safe_next"]

router = APIRouter()


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path of this site (no scheme, no host, no ``//``): a login link cannot send anyone away.

    >>> safe_next("/staff/cases/3", "/"), safe_next("//evil.example/x", "/"), safe_next("https://x", "/my")
    ('/staff/cases/3', '/', '/my')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


def home_of(caller: Caller) -> str:
    return "/my" if caller.role in ("enterprise", "individual") else "/staff"


@router.get("/")
def home(request: Request, caller: OptionalCaller) -> Response:
    request.state.caller = caller
    demo = getattr(request.app.state, "demo_logins", None)
    return render(
        request, "home.html", {"demo": demo, "demo_password": getattr(request.app.state, "demo_password", None)}
    )


class LoginForm(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    next: str | None = Field(default=None, max_length=500)


@router.get("/login")
def login_page(
    request: Request, caller: OptionalCaller, next: str | None = None, username: str | None = None
) -> Response:
    if caller is not None:
        return RedirectResponse(safe_next(next, home_of(caller)), status_code=303)
    return render(request, "login.html", {"values": {"next": next or "", "username": (username or "")[:64]}})


@router.post("/login")
async def login_submit(request: Request, sessions: SessionsDep, settings: SettingsDep) -> Response:
    form = validate(LoginForm, await read_form(request))
    values = {k: v for k, v in form.values.items() if k != "password"}  # a password is never echoed back
    if not form.ok or form.model is None:
        return render(request, "login.html", {"values": values, "errors": form.errors}, status=422)
    address = request.client.host if request.client else "unknown"  # named assumption: no proxy in front
    try:
        user = attempt_login(
            sessions, username=form.model.username, password=form.model.password, address=address,
            policy=request.app.state.login_policy,
        )  # fmt: skip
    except (AuthError, LockedError) as exc:
        status = 429 if isinstance(exc, LockedError) else 401
        return render(request, "login.html", {"values": values, "errors": {"_form": str(exc)}}, status=status)
    token = issue_token(user, settings.token_key, settings.token_minutes)
    caller = Caller(user.id, user.username, user.role, user.region, user.subject_id)
    response = RedirectResponse(safe_next(form.model.next, home_of(caller)), status_code=303)
    start_session(request, response, token, settings.token_minutes)
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    end_session(response)
    return response
