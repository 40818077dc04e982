"""Request dependencies: one transaction per request, and the authenticated caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from jiuye.service.applications import Engine
from jiuye.service.auth import Caller, read_token
from jiuye.service.errors import AuthError, StaleWriteError
from jiuye.service.models import User
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings

__all__ = [
    "BriefCallerDep",
    "CallerDep",
    "ProtectorDep",
    "SessionDep",
    "SessionsDep",
    "SettingsDep",
    "engine_of",
    "today",
]

_bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def _session(request: Request) -> Iterator[Session]:
    """Committed when the route returns and before the response is sent (function scope), rolled
    back if it raises: nothing half-written, and no success reported for a commit that failed. A
    write that lost a race (the row's version moved on) is a conflict, at a flush or at commit."""
    with request.app.state.sessions() as session:
        try:
            with session.begin():
                yield session
        except StaleDataError:
            raise StaleWriteError from None


def _sessions(request: Request) -> sessionmaker[Session]:
    """For routes that open their own short transactions (the engine runs between them)."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _protector(request: Request) -> Protector:
    protector: Protector = request.app.state.protector
    return protector


def today(request: Request) -> dt.date:
    """The service's day (China's date; the demo's clock in demo mode)."""
    day: dt.date = request.app.state.clock()
    return day


def engine_of(request: Request) -> Engine:
    """What the service needs of the rule engine."""
    engine: Engine = request.app.state.engine_service
    return engine


SessionDep = Annotated[Session, Depends(_session, scope="function")]  # commits before the response is sent
SettingsDep = Annotated[Settings, Depends(_settings)]
ProtectorDep = Annotated[Protector, Depends(_protector)]


def _caller(token: Annotated[str | None, Depends(_bearer)], settings: SettingsDep, session: SessionDep) -> Caller:
    return _authenticated(token, settings, session)


def _brief_caller(token: Annotated[str | None, Depends(_bearer)], settings: SettingsDep, request: Request) -> Caller:
    """The caller, checked in a transaction of its own that ends at once (no lock held for the route)."""
    with request.app.state.sessions() as session, session.begin():
        return _authenticated(token, settings, session)


def _authenticated(token: str | None, settings: Settings, session: Session) -> Caller:
    if not token:
        msg = "未登录；提示：先调用 /auth/token 取得登录凭证，放在 Authorization: Bearer 头中"
        raise AuthError(msg)
    caller = read_token(token, settings.token_key)
    user = session.get(User, caller.user_id)
    if user is None or not user.active:  # a disabled account's tokens stop working at once
        msg = "账号已停用；提示：请联系管理员"
        raise AuthError(msg)
    return caller


CallerDep = Annotated[Caller, Depends(_caller)]
BriefCallerDep = Annotated[Caller, Depends(_brief_caller)]
SessionsDep = Annotated[sessionmaker[Session], Depends(_sessions)]
