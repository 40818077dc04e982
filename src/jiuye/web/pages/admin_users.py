"""Administration of accounts: users and roles by region, enabling and disabling, new passwords.

Every page calls ``service.users`` as the API's ``/users`` routes do: the service decides what an
administrator may do (only within their region; another administrator only in a region strictly
inside theirs; never themselves) and its Chinese refusal is what the page shows. A password is
never echoed back, not even on a failed submit.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from jiuye.service import users as user_service
from jiuye.service.api.deps import SessionDep
from jiuye.service.auth import STAFF, Caller
from jiuye.service.errors import InputError, ServiceError
from jiuye.service.models import User
from jiuye.web.exports import xlsx_response
from jiuye.web.forms import read_form, validate
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import TEMPLATES, render
from jiuye.web.session import require_roles

__all__ = ["router"]

router = APIRouter(prefix="/admin/users")

AdminCaller = Annotated[Caller, require_roles("admin")]
Username = Annotated[str, Path(min_length=1, max_length=64)]
StaffRole = Literal["caseworker", "reviewer", "finance", "auditor", "admin"]
_STATES = {"1": True, "0": False}
_ROLE_OPTIONS = [(r, str(TEMPLATES.env.globals["ROLE_LABELS"][r])) for r in STAFF]  # type: ignore[index]
#: What a finished action says on the page it returns to (fixed texts: nothing from the address is echoed but a name).
_DONE = {
    "created": "已创建用户",
    "disabled": "已停用用户（其登录凭证立即失效）",
    "enabled": "已启用用户（登录锁定已解除）",
    "password": "已重设口令（登录锁定已解除）；请把新口令当面或经安全渠道交给本人",
    "role": "已更改角色",
}


class UserFilter(BaseModel):
    role: Literal["enterprise", "individual", "caseworker", "reviewer", "finance", "auditor", "admin"] | None = None
    region: str | None = Field(default=None, pattern=r"^\d{6}$")
    active: Literal["1", "0"] | None = None


class NewUser(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    display_name: str = Field(default="", max_length=100)
    role: StaffRole
    region: str = Field(pattern=r"^\d{6}$")
    password: str = Field(min_length=1, max_length=200)


class NewPassword(BaseModel):
    password: str = Field(min_length=1, max_length=200)


class NewRole(BaseModel):
    role: StaffRole


def _filters(role: str | None, region: str | None, active: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The filters as given (kept in the form) and their problems, beside each field."""
    given = {k: v for k, v in (("role", role), ("region", region), ("active", active)) if v}
    checked = validate(UserFilter, given)
    return given, checked.errors


def _rows(session: Session, caller: Caller, given: dict[str, str], limit: int, offset: int) -> tuple[list[User], int]:
    admin = user_service.Admin.of(caller)
    region, role, active = given.get("region"), given.get("role"), _STATES.get(given.get("active", ""))
    found = user_service.list_users(session, admin, region=region, role=role, active=active, limit=limit, offset=offset)
    return found, user_service.count_users(session, admin, region=region, role=role, active=active)


def _list_page(
    request: Request, session: Session, caller: Caller, given: dict[str, str], *, page: int = 1, per_page: int = 20,
    form: dict[str, str] | None = None, errors: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    filter_errors = _filters(given.get("role"), given.get("region"), given.get("active"))[1]
    users: list[User] = []
    paging = Paging.of(page=1, per_page=per_page, total=0)
    if not filter_errors:
        total = _rows(session, caller, given, 1, 0)[1]
        paging = Paging.of(page=page, per_page=per_page, total=total)
        users = _rows(session, caller, given, per_page, paging.offset)[0]
    context = {
        "users": users, "paging": paging, "filters": given, "filter_errors": filter_errors,
        "values": form or {"region": caller.region}, "errors": errors or {}, "role_options": _ROLE_OPTIONS,
        "done": _DONE.get(request.query_params.get("done", "")), "done_user": request.query_params.get("user", "")[:64],
    }  # fmt: skip
    return render(request, "admin/users.html", context, status=422 if filter_errors else status)


@router.get("")
def users_page(
    request: Request, caller: AdminCaller, session: SessionDep, page: PageNo = 1, per_page: PerPage = 20,
    role: Annotated[str | None, Query(max_length=16)] = None, region: Annotated[str | None, Query(max_length=6)] = None,
    active: Annotated[str | None, Query(max_length=1)] = None,
) -> Response:  # fmt: skip
    given = _filters(role, region, active)[0]
    return _list_page(request, session, caller, given, page=page, per_page=per_page)


@router.get("/export")
def users_export(
    caller: AdminCaller, session: SessionDep,
    role: Annotated[str | None, Query(max_length=16)] = None, region: Annotated[str | None, Query(max_length=6)] = None,
    active: Annotated[str | None, Query(max_length=1)] = None,
) -> Response:  # fmt: skip
    given, errors = _filters(role, region, active)
    if errors:
        raise InputError("；".join(errors.values()))
    users = _rows(session, caller, given, 1000, 0)[0]  # the service's own bound on one listing
    headers = ("用户名", "名称", "角色", "辖区", "状态")
    rows = [(u.username, u.display_name, u.role, u.region, "启用" if u.active else "停用") for u in users]
    return xlsx_response("用户.xlsx", headers, rows)


@router.post("")
async def create_user(request: Request, caller: AdminCaller, session: SessionDep) -> Response:
    form = validate(NewUser, await read_form(request))
    kept = {k: v for k, v in form.values.items() if k != "password"}  # a password is never echoed
    status = 422
    if form.ok and form.model is not None:
        try:
            with session.begin_nested():  # a refusal leaves nothing written
                user = user_service.add_user(session, user_service.Admin.of(caller), **form.model.model_dump())
            return RedirectResponse(f"/admin/users/{quote(user.username, safe='')}?done=created", status_code=303)
        except ServiceError as exc:
            form.errors["_form"] = str(exc)
            status = exc.status
    return _list_page(request, session, caller, {}, form=kept, errors=form.errors, status=status)


def _user_page(
    request: Request, session: Session, caller: Caller, username: str,
    errors: dict[str, str] | None = None, values: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    user = user_service.find_user(session, user_service.Admin.of(caller), username)
    context = {
        "user": user, "staff_roles": STAFF, "role_options": _ROLE_OPTIONS, "errors": errors or {},
        "values": values or {"role": user.role}, "is_self": user.id == caller.user_id,
        "done": _DONE.get(request.query_params.get("done", "")),
    }  # fmt: skip
    return render(request, "admin/user.html", context, status)


@router.get("/{username}")
def user_page(request: Request, username: Username, caller: AdminCaller, session: SessionDep) -> Response:
    return _user_page(request, session, caller, username)


async def _act(request: Request, caller: Caller, session: Session, username: str, action: str) -> Response:
    """One change through the service, in a savepoint; a refusal is shown on the user's page."""
    values = await read_form(request)
    errors: dict[str, str] = {}
    status = 422
    admin = user_service.Admin.of(caller)
    try:
        with session.begin_nested():  # a refusal leaves nothing written
            if action in ("disabled", "enabled"):
                user_service.set_active(session, admin, username, active=action == "enabled")
            elif action == "password":
                form = validate(NewPassword, values)
                if form.ok and form.model is not None:
                    user_service.set_password(session, admin, username, form.model.password)
                errors = form.errors
            else:
                chosen = validate(NewRole, values)
                if chosen.ok and chosen.model is not None:
                    user_service.change_role(session, admin, username, chosen.model.role)
                errors = chosen.errors
        if not errors:
            return RedirectResponse(f"/admin/users/{quote(username, safe='')}?done={action}", status_code=303)
    except ServiceError as exc:
        errors, status = {"_form": str(exc)}, exc.status
    kept = {k: v for k, v in values.items() if k != "password"}
    return _user_page(request, session, caller, username, errors, kept, status)


@router.post("/{username}/disable")
async def disable(request: Request, username: Username, caller: AdminCaller, session: SessionDep) -> Response:
    return await _act(request, caller, session, username, "disabled")


@router.post("/{username}/enable")
async def enable(request: Request, username: Username, caller: AdminCaller, session: SessionDep) -> Response:
    return await _act(request, caller, session, username, "enabled")


@router.post("/{username}/password")
async def password(request: Request, username: Username, caller: AdminCaller, session: SessionDep) -> Response:
    return await _act(request, caller, session, username, "password")


@router.post("/{username}/role")
async def role(request: Request, username: Username, caller: AdminCaller, session: SessionDep) -> Response:
    return await _act(request, caller, session, username, "role")
