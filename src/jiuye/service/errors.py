"""Errors of the case service: each has a stable code and an HTTP status for the API edge."""

from __future__ import annotations

from jiuye.errors import JiuyeError

__all__ = [
    "AuthError",
    "ConflictError",
    "ForbiddenError",
    "InputError",
    "LockedError",
    "NotFoundError",
    "ServiceError",
    "StaleWriteError",
]


class ServiceError(JiuyeError):
    status = 400
    code = "SERVICE_ERROR"


class InputError(ServiceError):
    status = 422
    code = "INPUT_INVALID"


class AuthError(ServiceError):
    status = 401
    code = "AUTH_FAILED"


class ForbiddenError(ServiceError):
    status = 403
    code = "FORBIDDEN"


class NotFoundError(ServiceError):
    """Also what a caller outside the record's region or subject gets: existence is not revealed."""

    status = 404
    code = "NOT_FOUND"


class ConflictError(ServiceError):
    status = 409
    code = "CONFLICT"


class LockedError(ServiceError):
    """Too many failed logins for a name or from an address: refused until the lock ends."""

    status = 429
    code = "LOGIN_LOCKED"


class StaleWriteError(ConflictError):
    """A write that lost a race: the row changed (its version moved on) after it was read."""

    code = "STALE_WRITE"

    def __init__(self, message: str = "") -> None:
        default = "要修改的记录已被他人同时修改（本次操作未生效）；提示：刷新后查看最新状态，需要时重试"
        super().__init__(message or default)
