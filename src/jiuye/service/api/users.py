"""Routes of accounts: an administrator's staff accounts, and self-registration of enterprises
and persons (a code, then a user bound to the subject)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from jiuye.service import registration as registration_service
from jiuye.service import users as user_service
from jiuye.service.api.deps import CallerDep, Limit, Offset, ProtectorDep, SessionDep, SessionsDep, SettingsDep
from jiuye.service.models import User

__all__ = ["registration", "users"]

users = APIRouter(prefix="/users", tags=["账号管理"])
registration = APIRouter(prefix="/registration", tags=["单位与个人注册"])

Username = Annotated[str, Path(min_length=1, max_length=64, description="用户名")]
_Password = Field(min_length=1, max_length=200, description="口令（至少10位）")


class UserPublic(BaseModel):
    """An account as shown: never its password hash."""

    id: int
    username: str
    display_name: str
    role: str
    region: str
    subject_id: int | None
    active: bool


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = _Password
    role: Literal["caseworker", "reviewer", "finance", "auditor", "admin"]
    region: str = Field(pattern=r"^\d{6}$", description="辖区（须在管理员辖区之内）")
    display_name: str = Field(default="", max_length=100)


class PasswordSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = _Password


class RoleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["caseworker", "reviewer", "finance", "auditor", "admin"]


class RegistrationStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["person", "enterprise"] = Field(description="person 个人，enterprise 单位")
    number: str = Field(min_length=15, max_length=18, description="公民身份号码或统一社会信用代码")
    name: str = Field(min_length=1, max_length=200, description="姓名或单位名称（与登记一致）")
    region: str = Field(pattern=r"^\d{6}$")
    phone: str = Field(pattern=r"^\d{7,15}$", description="接收验证码的手机号")


class RegistrationStarted(BaseModel):
    registration_id: str
    expires_in: int = Field(description="验证码有效期（秒）")
    message: str


class RegistrationConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    registration_id: str = Field(min_length=1, max_length=64)
    code: str = Field(pattern=r"^\d{6}$")
    username: str = Field(min_length=1, max_length=64)
    password: str = _Password
    display_name: str | None = Field(default=None, max_length=100)


def _public(user: User) -> UserPublic:
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        region=user.region,
        subject_id=user.subject_id,
        active=user.active,
    )


@users.post("", operation_id="createUser", response_model=UserPublic, status_code=201)
def create_user(body: UserCreate, caller: CallerDep, session: SessionDep) -> UserPublic:
    """创建工作人员账号（仅管理员；辖区须在本人辖区之内，管理员只能设在下级地区）。"""
    admin = user_service.Admin.of(caller)
    return _public(user_service.add_user(session, admin, **body.model_dump()))


@users.get("", operation_id="listUsers", response_model=list[UserPublic])
def list_users(
    caller: CallerDep, session: SessionDep, region: str | None = None, limit: Limit = 100, offset: Offset = 0
) -> list[UserPublic]:
    """本辖区的账号（仅管理员）。"""
    admin = user_service.Admin.of(caller)
    found = user_service.list_users(session, admin, region=region, limit=limit, offset=offset)
    return [_public(u) for u in found]


@users.post("/{username}/disable", operation_id="disableUser", response_model=UserPublic)
def disable_user(username: Username, caller: CallerDep, session: SessionDep) -> UserPublic:
    """停用账号，其登录凭证立即失效（仅管理员；不能停用自己）。"""
    admin = user_service.Admin.of(caller)
    return _public(user_service.set_active(session, admin, username, active=False))


@users.post("/{username}/enable", operation_id="enableUser", response_model=UserPublic)
def enable_user(username: Username, caller: CallerDep, session: SessionDep) -> UserPublic:
    """启用账号并解除登录锁定（仅管理员）。"""
    admin = user_service.Admin.of(caller)
    return _public(user_service.set_active(session, admin, username, active=True))


@users.post("/{username}/password", operation_id="setUserPassword", response_model=UserPublic)
def set_password(username: Username, body: PasswordSet, caller: CallerDep, session: SessionDep) -> UserPublic:
    """重设口令并解除登录锁定（仅管理员）。"""
    admin = user_service.Admin.of(caller)
    return _public(user_service.set_password(session, admin, username, body.password))


@users.post("/{username}/role", operation_id="setUserRole", response_model=UserPublic)
def set_role(username: Username, body: RoleSet, caller: CallerDep, session: SessionDep) -> UserPublic:
    """更改工作人员角色（仅管理员；不能更改自己的角色）。"""
    admin = user_service.Admin.of(caller)
    return _public(user_service.change_role(session, admin, username, body.role))


@registration.post("/start", operation_id="startRegistration", response_model=RegistrationStarted, status_code=202)
def start(
    body: RegistrationStart, request: Request, session: SessionDep, protector: ProtectorDep, settings: SettingsDep
) -> RegistrationStarted:
    """单位或个人注册第一步：提交号码、名称、地区与手机号，验证码发往登记的手机号。

    无论号码是否已登记、是否已有账号，回答都相同。"""
    started = registration_service.start_registration(
        session, protector, settings.code_key, request.app.state.code_sender, **body.model_dump()
    )
    minutes = started.expires_in // 60
    message = f"如信息无误，验证码已发送至登记的手机号，{minutes} 分钟内有效"
    return RegistrationStarted(registration_id=started.registration_id, expires_in=started.expires_in, message=message)


@registration.post("/confirm", operation_id="confirmRegistration", response_model=UserPublic, status_code=201)
def confirm(
    body: RegistrationConfirm, sessions: SessionsDep, protector: ProtectorDep, settings: SettingsDep
) -> UserPublic:
    """单位或个人注册第二步：验证码、用户名与口令，创建与该单位或个人绑定的账号。"""
    user = registration_service.confirm_registration(sessions, protector, settings.code_key, **body.model_dump())
    return _public(user)
