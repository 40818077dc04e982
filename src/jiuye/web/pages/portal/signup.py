"""Self-registration of an enterprise or a person, as the API's ``/registration/start`` and
``/confirm`` (``service.registration``): the number, name, region and phone first; then the code
sent by SMS, with the user name and password (a password is typed once, on the page that uses
it: it is never carried between pages); then logged in and sent to ``/my``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from jiuye.service import registration as registration_service
from jiuye.service.api.deps import ProtectorDep, SessionDep, SessionsDep, SettingsDep
from jiuye.service.auth import Caller, issue_token
from jiuye.service.errors import ServiceError
from jiuye.web.forms import read_form, validate
from jiuye.web.render import render
from jiuye.web.session import OptionalCaller, start_session

__all__ = ["router"]

router = APIRouter()
KINDS = (("enterprise", "单位（统一社会信用代码）"), ("person", "个人（公民身份号码）"))


class StartForm(BaseModel):
    kind: Literal["person", "enterprise"]
    number: str = Field(min_length=15, max_length=18)
    name: str = Field(min_length=1, max_length=200)
    region: str = Field(pattern=r"^\d{6}$")
    phone: str = Field(pattern=r"^\d{7,15}$")


class ConfirmForm(BaseModel):
    registration_id: str = Field(min_length=1, max_length=64)
    code: str = Field(pattern=r"^\d{6}$")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


def _field_of(message: str) -> str:
    """Which field a service's message is about, to show it beside that field."""
    for words, name in ((("手机",), "phone"), (("号码", "代码"), "number"), (("名称",), "name"),
                        (("地区", "行政区划"), "region"), (("验证码",), "code"), (("用户名",), "username"),
                        (("口令", "密码"), "password")):  # fmt: skip
        if any(w in message for w in words):
            return name
    return "_form"


@router.get("/signup")
def signup_page(request: Request, caller: OptionalCaller) -> Response:
    if caller is not None:
        return RedirectResponse("/my" if not caller.is_staff else "/staff", status_code=303)
    return render(request, "portal/signup.html", {"values": {"kind": "enterprise", "region": "450103"}, "kinds": KINDS})


@router.post("/signup")
async def signup_start(
    request: Request, session: SessionDep, protector: ProtectorDep, settings: SettingsDep
) -> Response:
    form = validate(StartForm, await read_form(request))
    if not form.ok or form.model is None:
        return render(
            request, "portal/signup.html", {"values": form.values, "errors": form.errors, "kinds": KINDS}, 422
        )
    try:
        started = registration_service.start_registration(
            session, protector, settings.code_key, request.app.state.code_sender, **form.model.model_dump()
        )
    except ServiceError as exc:
        errors = {_field_of(str(exc)): str(exc)}
        return render(request, "portal/signup.html", {"values": form.values, "errors": errors, "kinds": KINDS}, 422)
    values = {"registration_id": started.registration_id}
    return render(request, "portal/signup_code.html", {"values": values, "minutes": started.expires_in // 60})


@router.post("/signup/confirm")
async def signup_confirm(
    request: Request, sessions: SessionsDep, protector: ProtectorDep, settings: SettingsDep
) -> Response:
    form = validate(ConfirmForm, await read_form(request))
    values = {k: v for k, v in form.values.items() if k not in ("password", "code")}
    minutes = registration_service.CODE_MINUTES
    if not form.ok or form.model is None:
        context = {"values": values, "errors": form.errors, "minutes": minutes}
        return render(request, "portal/signup_code.html", context, 422)
    try:
        user = registration_service.confirm_registration(
            sessions, protector, settings.code_key, **form.model.model_dump()
        )
    except ServiceError as exc:
        context = {"values": values, "errors": {_field_of(str(exc)): str(exc)}, "minutes": minutes}
        return render(request, "portal/signup_code.html", context, exc.status)
    token = issue_token(user, settings.token_key, settings.token_minutes)
    caller = Caller(user.id, user.username, user.role, user.region, user.subject_id)
    response = RedirectResponse("/my?welcome=1" if caller.subject_id else "/my", status_code=303)
    start_session(request, response, token, settings.token_minutes)
    return response
