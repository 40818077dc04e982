"""Logging in over the network: throttled per user name and per client address, equally slow
whether the name exists or not, and every failure and lock on the audit record.

A failed attempt must stay on the record although the login fails, so :func:`login` runs its
own transaction and raises only after committing it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from jiuye.service.audit import record
from jiuye.service.auth import DUMMY_HASH, verify_password
from jiuye.service.db import transaction
from jiuye.service.errors import AuthError, LockedError, ServiceError
from jiuye.service.models import LoginThrottle, User

__all__ = ["LoginPolicy", "login", "unlock_user"]

_KEY_LENGTH = 128  # LoginThrottle.key


@dataclass(frozen=True)
class LoginPolicy:
    """Named assumptions (a local security setting, no policy document sets them): 5 failures
    for one user name, or 20 from one address (an office behind one NAT address shares it),
    within 15 minutes lock that name or address for 15 minutes."""

    user_failures: int = 5
    address_failures: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)
    lock: dt.timedelta = dt.timedelta(minutes=15)

    def message(self) -> str:
        minutes = int(self.lock.total_seconds() // 60)
        return f"登录失败次数过多，已暂时锁定；提示：{minutes} 分钟后再试，或请管理员解锁"


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes (stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def login(
    sessions: sessionmaker[Session],
    *,
    username: str,
    password: str,
    address: str,
    policy: LoginPolicy | None = None,
    now: dt.datetime | None = None,
) -> User:
    """The active user with this name and password, or AuthError / LockedError (after the
    failure, and any lock it earned, are committed)."""
    with transaction(sessions) as session:
        moment = now or dt.datetime.now(dt.UTC)
        outcome = _attempt(session, username, password, address, policy or LoginPolicy(), moment)
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


def _attempt(
    session: Session, username: str, password: str, address: str, policy: LoginPolicy, now: dt.datetime
) -> User | ServiceError:
    keys = (("user", username[:_KEY_LENGTH]), ("address", address[:_KEY_LENGTH]))
    query = select(LoginThrottle).where(LoginThrottle.kind.in_(("user", "address")))
    counters = session.scalars(query.where(LoginThrottle.key.in_([k for _, k in keys]))).all()
    locked = [c for c in counters if (c.kind, c.key) in keys and c.locked_until and _aware(c.locked_until) > now]
    if locked:
        _audit(session, "auth.login_failed", username, {"address": address, "reason": "locked"})
        return LockedError(policy.message())
    user = session.scalar(select(User).where(User.username == username))
    matches = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if user is not None and user.active and matches:
        for counter in counters:
            if counter.kind == "user" and counter.key == keys[0][1]:
                counter.failures = 0
        return user
    reason = "inactive" if user is not None and matches else "password"
    _audit(session, "auth.login_failed", username, {"address": address, "reason": reason})
    limits = {"user": policy.user_failures, "address": policy.address_failures}
    for kind, key in keys:
        counter = _counter(session, kind, key, now)
        if _aware(counter.window_start) + policy.window <= now:
            counter.failures, counter.window_start = 0, now
        counter.failures += 1
        if counter.failures >= limits[kind]:
            counter.failures, counter.window_start, counter.locked_until = 0, now, now + policy.lock
            detail = {"kind": kind, "address": address, "until": counter.locked_until.isoformat()}
            _audit(session, "auth.lockout", username, detail)
    return AuthError("用户名或口令不正确")


def _counter(session: Session, kind: str, key: str, now: dt.datetime) -> LoginThrottle:
    """The counter row, made if missing (two first failures at once must not collide)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"kind": kind, "key": key, "failures": 0, "window_start": now}
    session.execute(insert(LoginThrottle).values(**values).on_conflict_do_nothing())
    query = select(LoginThrottle).where(LoginThrottle.kind == kind, LoginThrottle.key == key)
    return session.scalars(query.with_for_update().execution_options(populate_existing=True)).one()


def _audit(session: Session, action: str, username: str, detail: dict[str, str]) -> None:
    """The name tried is on the record (it may be a mistyped one); the password never is."""
    record(session, actor="anonymous", action=action, entity="user", entity_id=username[:64], detail=detail)


def unlock_user(session: Session, username: str) -> None:
    """Lift a lock on a user name (when an administrator enables or re-passwords the account)."""
    counter = session.get(LoginThrottle, ("user", username[:_KEY_LENGTH]))
    if counter is not None:
        counter.failures, counter.locked_until = 0, None
