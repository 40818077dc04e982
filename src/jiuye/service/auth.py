"""Who is calling: argon2id password hashes, signed expiring tokens, roles and regions.

>>> hashed = hash_password("一个足够长的口令2025")
>>> verify_password(hashed, "一个足够长的口令2025"), verify_password(hashed, "wrong")
(True, False)
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.regions import contains, validate_region
from jiuye.service.audit import record
from jiuye.service.errors import AuthError, ConflictError, InputError
from jiuye.service.models import ROLES, User

__all__ = [
    "DUMMY_HASH",
    "MIN_PASSWORD",
    "STAFF",
    "Caller",
    "authenticate",
    "check_password",
    "create_user",
    "hash_password",
    "issue_token",
    "read_token",
    "verify_password",
]

#: Tests only: ``JIUYE_TEST_CHEAP_HASHING=1`` (set by tests/conftest.py) hashes at argon2's lowest
#: cost, so that fixtures creating users by the dozen stay fast. Named assumption: never set in a
#: deployment. Unset, or any other value: argon2id with the library's recommended parameters. A hash
#: records its own cost, so every stored hash verifies under either.
TEST_HASHING = "JIUYE_TEST_CHEAP_HASHING"
_HASHER = (
    PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    if os.environ.get(TEST_HASHING) == "1"
    else PasswordHasher()
)
MIN_PASSWORD = 10  # named assumption: a local security setting, not from the policy documents
MAX_PASSWORD = 200  # named assumption: long enough for any passphrase, short enough to hash cheaply
STAFF = ("caseworker", "reviewer", "finance", "auditor", "admin")
_ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


#: What an unknown or disabled user's password is checked against, so that a failure takes as
#: long whether the name exists or not (no way to list user names by timing).
DUMMY_HASH = _HASHER.hash("jiuye: no such user")


def verify_password(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        msg = f"口令过短（{len(password)} 位）；提示：至少 {MIN_PASSWORD} 位"
        raise InputError(msg)
    if len(password) > MAX_PASSWORD:
        msg = f"口令过长（{len(password)} 位）；提示：不超过 {MAX_PASSWORD} 位"
        raise InputError(msg)


@dataclass(frozen=True)
class Caller:
    """The authenticated user of one request: what the data layer scopes every query by."""

    user_id: int
    username: str
    role: str
    region: str
    subject_id: int | None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    def covers(self, region: str) -> bool:
        """Staff see records located within their region; claimants see only their own subject."""
        return self.is_staff and contains(self.region, region)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    region: str,
    display_name: str,
    subject_id: int | None = None,
    actor: str = "system",
    person_index: str | None = None,
) -> User:
    """A user; ``person_index`` is a member of staff's own ID number under the blind index
    (``Protector.blind_index("id_number", …)``), so that they are kept off claims naming them."""
    if role not in ROLES:
        msg = f"角色 {role!r} 不存在；提示：可选 {'、'.join(ROLES)}"
        raise InputError(msg)
    check_password(password)
    if role in ("enterprise", "individual") and subject_id is None:
        msg = f"{role} 用户须关联一个对象（单位或个人）；提示：先登记对象，再创建用户"
        raise InputError(msg)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        msg = f"用户名 {username!r} 已存在；提示：换一个用户名"
        raise ConflictError(msg)
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
        region=validate_region(region),
        subject_id=subject_id,
        active=True,
        person_index=person_index,
    )
    session.add(user)
    session.flush()
    record(session, actor=actor, action="user.create", entity="user", entity_id=user.id, detail={"role": role})
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    """The active user with this name and password; one message and the same work for every
    failure (no hint whether the name exists)."""
    user = session.scalar(select(User).where(User.username == username))
    matches = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if user is None or not user.active or not matches:
        msg = "用户名或口令不正确"
        raise AuthError(msg)
    return user


def issue_token(user: User, key: bytes, minutes: int, now: dt.datetime | None = None) -> str:
    issued = now or dt.datetime.now(dt.UTC)
    claims = {
        "sub": str(user.id),
        "name": user.username,
        "role": user.role,
        "region": user.region,
        "subject": user.subject_id,
        "iat": issued,
        "exp": issued + dt.timedelta(minutes=minutes),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, key, algorithm=_ALGORITHM)


def read_token(token: str, key: bytes) -> Caller:
    try:
        claims = jwt.decode(token, key, algorithms=[_ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        msg = "登录已过期；提示：请重新登录"
        raise AuthError(msg) from None
    except jwt.InvalidTokenError:
        msg = "登录凭证无效；提示：请重新登录"
        raise AuthError(msg) from None
    return _caller_of(claims)


_USER_ID_MAX = 2**31 - 1  # the users table's Integer id


def _caller_of(claims: dict[str, Any]) -> Caller:
    """A validly signed token can still lack a claim or carry one of the wrong type (another issuer
    sharing the key, an older format): refused as 401, never a KeyError (500)."""
    sub, subject, name, region = claims.get("sub"), claims.get("subject"), claims.get("name"), claims.get("region")
    well_formed = (
        isinstance(sub, str)
        and sub.isascii()
        and sub.isdigit()
        and 0 < int(sub) <= _USER_ID_MAX
        and isinstance(name, str)
        and bool(name)
        and claims.get("role") in ROLES
        and isinstance(region, str)
        and len(region) == 6
        and region.isascii()
        and region.isdigit()
        and (subject is None or (type(subject) is int and 0 < subject <= _USER_ID_MAX))
    )
    if not well_formed:
        msg = "登录凭证不完整；提示：请重新登录"
        raise AuthError(msg)
    return Caller(int(str(sub)), str(name), str(claims["role"]), str(region), subject)
