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
