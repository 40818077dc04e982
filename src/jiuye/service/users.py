"""Staff accounts: add, list, disable, enable, re-password, change role; every change audited.

Who may do it:

* the local operator (``jiuye users …``: whoever holds the database and the master key) may do
  anything; this is how the first administrator is made;
* an administrator, over HTTP, only within their own region: a new user's region must lie
  within theirs; another administrator (or making someone one) only in a region strictly
  inside theirs, so no administrator manages a peer or a superior; never themselves (no
  self-disable, no change of their own role). Named assumption: a local access policy.

Claimant accounts (enterprise, individual) come from self-registration, bound to a subject:
they can be disabled, enabled and re-passworded here, never turned into staff or back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jiuye.regions import NATIONAL, contains, prefix_of, validate_region
from jiuye.service.audit import record
from jiuye.service.auth import STAFF, Caller, check_password, create_user, hash_password
from jiuye.service.errors import ForbiddenError, InputError, NotFoundError
from jiuye.service.login import unlock_user
from jiuye.service.models import User

__all__ = ["Admin", "add_user", "change_role", "count_users", "find_user", "list_users", "set_active", "set_password"]


@dataclass(frozen=True)
class Admin:
    """Who manages accounts: ``name`` goes on the audit record; ``region`` None is the local operator."""

    name: str
    region: str | None = None
    user_id: int | None = None

    @classmethod
    def of(cls, caller: Caller) -> Admin:
        if caller.role != "admin":
            msg = "只有管理员可以管理账号"
            raise ForbiddenError(msg)
        return cls(caller.username, caller.region, caller.user_id)

    def reaches(self, region: str, *, admin: bool) -> bool:
        """Whether this administrator manages a user of ``region`` (strictly inside for admins)."""
        if self.region is None:
            return True
        return contains(self.region, region) and (not admin or region != self.region)


def _region(region: str) -> str:
    try:
        return validate_region(region)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _target(session: Session, admin: Admin, username: str, *, self_allowed: bool = False) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is not None and admin.user_id == user.id:
        if self_allowed:
            return user
        msg = "不能停用自己的账号或更改自己的角色；提示：请另一位管理员操作"
        raise ForbiddenError(msg)
    if user is None or not admin.reaches(user.region, admin=user.role == "admin"):
        msg = f"用户 {username!r} 不存在或不在您的管理范围内"
        raise NotFoundError(msg)
    return user


def find_user(session: Session, admin: Admin, username: str) -> User:
    return _target(session, admin, username, self_allowed=True)


def _staff_role(role: str) -> str:
    if role not in STAFF:
        msg = f"角色 {role!r} 不能在此授予；提示：可选 {'、'.join(STAFF)}（单位和个人用户请自行注册）"
        raise InputError(msg)
    return role


def _audit(session: Session, admin: Admin, action: str, user: User, detail: dict[str, str | bool]) -> None:
    record(session, actor=admin.name, action=action, entity="user", entity_id=user.id, detail=detail)


def add_user(
    session: Session, admin: Admin, *, username: str, password: str, role: str, region: str, display_name: str
) -> User:
    """A member of staff, in the administrator's region."""
    where = _region(region)
    name = username.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        msg = "用户名应为1—64个字符，不含空格"
        raise InputError(msg)
    if not admin.reaches(where, admin=_staff_role(role) == "admin"):
        msg = f"地区 {where} 不在您的管理范围内；提示：只能在本辖区内创建用户（管理员须在下级地区）"
        raise ForbiddenError(msg)
    display = display_name.strip() or name
    return create_user(
        session, username=name, password=password, role=role, region=where, display_name=display, actor=admin.name
    )


def _scoped(admin: Admin, region: str | None, role: str | None, active: bool | None) -> Select[User]:
    scope = _region(region) if region else (admin.region or NATIONAL)
    if admin.region is not None and not contains(admin.region, scope):
        msg = f"地区 {scope} 不在您的辖区 {admin.region} 之内"
        raise ForbiddenError(msg)
    query = select(User).where(User.region.startswith(prefix_of(scope)))
    if role is not None:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active == active)
    return query


def list_users(
    session: Session,
    admin: Admin,
    *,
    region: str | None = None,
    limit: int = 100,
    offset: int = 0,
    role: str | None = None,
    active: bool | None = None,
) -> list[User]:
    """Users in the administrator's region (or in ``region`` within it), by name; optionally
    only those of one role, or only the enabled (or disabled) ones."""
    query = _scoped(admin, region, role, active).order_by(User.username)
    return list(session.scalars(query.limit(min(max(limit, 1), 1000)).offset(max(offset, 0))))


def count_users(
    session: Session, admin: Admin, *, region: str | None = None, role: str | None = None, active: bool | None = None
) -> int:
    """How many users :func:`list_users` pages through with the same filters."""
    query = _scoped(admin, region, role, active).with_only_columns(func.count()).order_by(None)
    return int(session.scalar(query) or 0)


def set_active(session: Session, admin: Admin, username: str, *, active: bool) -> User:
    """Disable (their tokens stop working at once) or enable (a login lock is lifted too)."""
    user = _target(session, admin, username)
    user.active = active
    if active:
        unlock_user(session, user.username)
    _audit(session, admin, "user.enable" if active else "user.disable", user, {"username": user.username})
    return user


def set_password(session: Session, admin: Admin, username: str, password: str) -> User:
    user = _target(session, admin, username, self_allowed=True)
    check_password(password)
    user.password_hash = hash_password(password)
    unlock_user(session, user.username)
    _audit(session, admin, "user.password", user, {"username": user.username})
    return user


def change_role(session: Session, admin: Admin, username: str, role: str) -> User:
    user = _target(session, admin, username)
    if user.role not in STAFF:
        msg = f"用户 {username!r} 是{'单位' if user.role == 'enterprise' else '个人'}用户，不能改为工作人员角色"
        raise InputError(msg)
    if not admin.reaches(user.region, admin=_staff_role(role) == "admin"):
        msg = "不能授予与您同级或更高的管理员角色；提示：管理员只能设在您的下级地区"
        raise ForbiddenError(msg)
    before, user.role = user.role, role
    _audit(session, admin, "user.role", user, {"username": user.username, "from": before, "to": role})
    return user
