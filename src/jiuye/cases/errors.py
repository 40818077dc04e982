"""Errors of the application workflow: each has a stable ``code`` and a Chinese message with a 提示."""

from __future__ import annotations

from jiuye.errors import JiuyeError

__all__ = [
    "ApprovalError",
    "CaseError",
    "TransitionError",
    "TransitionPreconditionError",
    "TransitionRoleError",
]


class CaseError(JiuyeError):
    """Base class of the workflow errors (状态流转、分级审核、公示)."""

    code = "CASE_ERROR"


class TransitionError(CaseError):
    """The action is not a move the table allows from the current state (or the state is terminal)."""

    code = "TRANSITION_INVALID"


class TransitionRoleError(CaseError):
    """The move exists, but the caller's role may not take it (or a claimant acts on another's case)."""

    code = "TRANSITION_FORBIDDEN"


class TransitionPreconditionError(CaseError):
    """The move exists and the role may take it, but its precondition does not hold yet."""

    code = "TRANSITION_PRECONDITION"


class ApprovalError(CaseError):
    """A review approval that separation of duties forbids, or one that would not count."""

    code = "APPROVAL_FORBIDDEN"
