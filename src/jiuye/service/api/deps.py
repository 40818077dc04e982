"""Request dependencies: one transaction per request, and the authenticated caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from annotated_types import Ge, Le
from fastapi import Depends, Query, Request
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
    "FEN_MAX",
    "INT32_MAX",
    "BriefCallerDep",
    "CallerDep",
    "Fen",
    "Id",
    "Limit",
    "Offset",
    "ProtectorDep",
    "SessionDep",
    "SessionsDep",
    "SettingsDep",
    "engine_of",
    "today",
]

#: What the database columns hold (Integer and BigInteger on PostgreSQL; SQLite takes 64 bits): an id,
#: count or year beyond them is refused as 422 before any query, never a driver's overflow (500).
INT32_MAX = 2**31 - 1
#: named assumption: no single amount reaches 1 trillion yuan (10^14 fen), so that sums of many
#: amounts stay within the BigInteger columns and SQLite's 64-bit arithmetic.
FEN_MAX = 10**14
Id = Annotated[int, Ge(1), Le(INT32_MAX)]
"""A record's id, in a path, a query or a body."""
Fen = Annotated[int, Ge(-FEN_MAX), Le(FEN_MAX)]
"""An amount in fen (BigInteger)."""
Limit = Annotated[int, Query(ge=1, le=1000, description="至多返回多少条")]
Offset = Annotated[int, Query(ge=0, le=INT32_MAX, description="跳过多少条")]

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
    """For routes that run their own short transactions: the engine runs between them (submit,
    close-notice), or part of the work commits although the request fails (a failed login, a
    wrong registration code)."""
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


#: Function scope: committed when the route returns and before the answer is sent, so that a commit
#: refused (a conflict, a lock) is answered as such (409, 503), never as the route's success.
SessionDep = Annotated[Session, Depends(_session, scope="function")]
SessionsDep = Annotated[sessionmaker[Session], Depends(_sessions)]
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
