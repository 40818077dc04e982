"""Application states and the one table of allowed moves (申请状态流转).

Main line: draft → submitted → auto_checked → in_review → public_notice → approved → paid. Side
exits: returned (退回补正: editable again, can be resubmitted), rejected, withdrawn. Every move is one
row of :data:`TRANSITIONS`: (current state, action) → new state, the roles that may take it, and a
precondition where one applies. :func:`transition` is the only way to compute a new state; anything
else is refused with a Chinese message naming the current state, the action and what is allowed.

Review approvals are counted by :mod:`jiuye.cases.review` (``approve`` keeps the case in review);
when enough distinct reviewers have approved, ``start_notice`` publishes the notice. An objection
during the notice reopens review; ``close_notice`` approves the case once the notice period
(:mod:`jiuye.cases.notice`) is over. Proactive (免申即享) cases from the batch matcher enter at
:data:`PROACTIVE_ENTRY_STATE` and still pass review and notice.

>>> transition(State.DRAFT, Action.SUBMIT, role=Role.ENTERPRISE, own=True)
<State.SUBMITTED: 'submitted'>
>>> State.RETURNED.label, Action.RETURN_FOR_REVISION.label
('退回补正', '退回补正')
>>> try:
...     transition(State.PAID, Action.WITHDRAW, role=Role.ENTERPRISE, own=True)
... except TransitionError as e:
...     print(e.code, e)
TRANSITION_INVALID 申请已处于终态“已发放”，不能再执行“撤回申请”；提示：终态不可变更，如有新情况请重新提出申请
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jiuye.cases.errors import TransitionError, TransitionPreconditionError, TransitionRoleError
from jiuye.cases.roles import CLAIMANT_ROLES, Role

__all__ = [
    "EDITABLE_STATES",
    "INITIAL_STATE",
    "PROACTIVE_ENTRY_STATE",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "Action",
    "Guard",
    "Move",
    "State",
    "allowed_actions",
    "is_terminal",
    "transition",
]


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AUTO_CHECKED = "auto_checked"
    IN_REVIEW = "in_review"
    PUBLIC_NOTICE = "public_notice"
    APPROVED = "approved"
    PAID = "paid"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


class Action(StrEnum):
    SUBMIT = "submit"
    AUTO_CHECK_PASS = "auto_check_pass"
    AUTO_CHECK_FAIL = "auto_check_fail"
    ACCEPT = "accept"
    APPROVE = "approve"
    REJECT = "reject"
    RETURN_FOR_REVISION = "return_for_revision"
    WITHDRAW = "withdraw"
    START_NOTICE = "start_notice"
    OBJECT = "object"
    CLOSE_NOTICE = "close_notice"
    MARK_PAID = "mark_paid"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


class Guard(StrEnum):
    """A precondition the caller establishes (from :mod:`~jiuye.cases.review` / :mod:`~jiuye.cases.notice`)."""

    REVIEW_COMPLETE = "review_complete"
    NOTICE_OVER = "notice_over"

    @property
    def label(self) -> str:
        return _GUARD_LABELS[self][0]

    @property
    def hint(self) -> str:
        return _GUARD_LABELS[self][1]


_STATE_LABELS = {
    State.DRAFT: "草稿",
    State.SUBMITTED: "已提交",
    State.AUTO_CHECKED: "已自动校验",
    State.IN_REVIEW: "审核中",
    State.PUBLIC_NOTICE: "公示中",
    State.APPROVED: "已核准",
    State.PAID: "已发放",
    State.RETURNED: "退回补正",
    State.REJECTED: "不予通过",
    State.WITHDRAWN: "已撤回",
}
_ACTION_LABELS = {
    Action.SUBMIT: "提交申请",
    Action.AUTO_CHECK_PASS: "自动校验通过",
    Action.AUTO_CHECK_FAIL: "自动校验未通过",
    Action.ACCEPT: "受理并送审",
    Action.APPROVE: "审核通过",
    Action.REJECT: "不予通过",
    Action.RETURN_FOR_REVISION: "退回补正",
    Action.WITHDRAW: "撤回申请",
    Action.START_NOTICE: "发布公示",
    Action.OBJECT: "登记公示异议",
    Action.CLOSE_NOTICE: "公示期满核准",
    Action.MARK_PAID: "确认已发放",
}
_GUARD_LABELS = {
    Guard.REVIEW_COMPLETE: ("审核已完成", "按金额分级所需的不同审核人员人数尚未凑齐，请其他审核人员继续审核"),
    Guard.NOTICE_OVER: ("公示期已满", "公示期最后一个工作日的次日起方可核准；公示期间收到异议的应重新审核"),
}


@dataclass(frozen=True)
class Move:
    """One row of the table: where the action leads, who may take it, and its precondition."""

    target: State
    roles: frozenset[Role]
    guard: Guard | None = None


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


_CLAIMANT_OR_CASEWORKER = _roles(Role.ENTERPRISE, Role.INDIVIDUAL, Role.CASEWORKER)
_AUTOMATIC = _roles(Role.SYSTEM, Role.CASEWORKER)  # a caseworker may rerun or close by hand
_HANDLERS = _roles(Role.CASEWORKER, Role.REVIEWER)
_WITHDRAW = Move(State.WITHDRAWN, _CLAIMANT_OR_CASEWORKER)

#: THE table. Claimants (enterprise, individual) act only on their own applications; a caseworker
#: enters and withdraws applications on a claimant's behalf. Auditors and administrators read and
#: manage, they take no action on a case (separation of duties).
TRANSITIONS: dict[tuple[State, Action], Move] = {
    (State.DRAFT, Action.SUBMIT): Move(State.SUBMITTED, _CLAIMANT_OR_CASEWORKER),
    (State.DRAFT, Action.WITHDRAW): _WITHDRAW,
    (State.RETURNED, Action.SUBMIT): Move(State.SUBMITTED, _CLAIMANT_OR_CASEWORKER),
    (State.RETURNED, Action.WITHDRAW): _WITHDRAW,
    (State.SUBMITTED, Action.AUTO_CHECK_PASS): Move(State.AUTO_CHECKED, _AUTOMATIC),
    (State.SUBMITTED, Action.AUTO_CHECK_FAIL): Move(State.RETURNED, _AUTOMATIC),
    (State.SUBMITTED, Action.RETURN_FOR_REVISION): Move(State.RETURNED, _roles(Role.CASEWORKER)),
    (State.SUBMITTED, Action.WITHDRAW): _WITHDRAW,
    (State.AUTO_CHECKED, Action.ACCEPT): Move(State.IN_REVIEW, _roles(Role.CASEWORKER)),
    (State.AUTO_CHECKED, Action.RETURN_FOR_REVISION): Move(State.RETURNED, _HANDLERS),
    (State.AUTO_CHECKED, Action.WITHDRAW): _WITHDRAW,
    (State.IN_REVIEW, Action.APPROVE): Move(State.IN_REVIEW, _roles(Role.REVIEWER)),
    (State.IN_REVIEW, Action.START_NOTICE): Move(State.PUBLIC_NOTICE, _HANDLERS, Guard.REVIEW_COMPLETE),
    (State.IN_REVIEW, Action.REJECT): Move(State.REJECTED, _roles(Role.REVIEWER)),
    (State.IN_REVIEW, Action.RETURN_FOR_REVISION): Move(State.RETURNED, _roles(Role.REVIEWER)),
    (State.IN_REVIEW, Action.WITHDRAW): _WITHDRAW,
    (State.PUBLIC_NOTICE, Action.OBJECT): Move(State.IN_REVIEW, _HANDLERS),
    (State.PUBLIC_NOTICE, Action.CLOSE_NOTICE): Move(State.APPROVED, _AUTOMATIC, Guard.NOTICE_OVER),
    (State.PUBLIC_NOTICE, Action.WITHDRAW): _WITHDRAW,
    (State.APPROVED, Action.MARK_PAID): Move(State.PAID, _roles(Role.FINANCE)),
}

INITIAL_STATE = State.DRAFT
#: 免申即享 results enter already checked by the engine, then go through review and notice.
PROACTIVE_ENTRY_STATE = State.AUTO_CHECKED
TERMINAL_STATES = frozenset(State) - {state for state, _ in TRANSITIONS}
#: States in which the claimant (or caseworker) may still edit the application's facts.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})


def is_terminal(state: State) -> bool:
    """No action leads anywhere from ``state``.

    >>> [s.value for s in State if is_terminal(s)]
    ['paid', 'rejected', 'withdrawn']
    """
    return state in TERMINAL_STATES


def allowed_actions(state: State, role: Role | None = None) -> tuple[Action, ...]:
    """The actions the table allows from ``state`` (for ``role`` only, when given), in table order.

    >>> [a.value for a in allowed_actions(State.IN_REVIEW, Role.REVIEWER)]
    ['approve', 'start_notice', 'reject', 'return_for_revision']
    """
    return tuple(
        action
        for (source, action), move in TRANSITIONS.items()
        if source == state and (role is None or role in move.roles)
    )


def _role_labels(roles: frozenset[Role]) -> str:
    return "、".join(role.label for role in Role if role in roles)


def _action_labels(actions: tuple[Action, ...]) -> str:
    return "、".join(action.label for action in actions)


def transition(
    state: State,
    action: Action,
    *,
    role: Role,
    own: bool = False,
    review_complete: bool = False,
    notice_over: bool = False,
) -> State:
    """The state after ``role`` takes ``action`` on an application in ``state``; refuses what the table does not allow.

    ``own``: the caller is the claimant of this application (required for claimant roles).
    ``review_complete`` / ``notice_over``: preconditions the caller has established with
    :func:`jiuye.cases.review.review_status` and :meth:`jiuye.cases.notice.NoticePeriod.is_over`.
    """
    move = TRANSITIONS.get((state, action))
    if move is None:
        if is_terminal(state):
            msg = (
                f"申请已处于终态“{state.label}”，不能再执行“{action.label}”；"
                "提示：终态不可变更，如有新情况请重新提出申请"
            )
        else:
            msg = (
                f"申请当前状态为“{state.label}”，不能执行“{action.label}”；"
                f"提示：此状态下可执行：{_action_labels(allowed_actions(state))}"
            )
        raise TransitionError(msg)
    if role not in move.roles:
        mine = allowed_actions(state, role)
        also = f"；您在此状态下可执行：{_action_labels(mine)}" if mine else ""
        msg = (
            f"角色“{role.label}”不能对“{state.label}”状态的申请执行“{action.label}”；"
            f"提示：此操作应由{_role_labels(move.roles)}办理{also}"
        )
        raise TransitionRoleError(msg)
    if role in CLAIMANT_ROLES and not own:
        msg = (
            f"“{role.label}”只能对本人（本单位）的申请执行“{action.label}”；"
            "提示：请使用申请所属的账号办理，或由经办人员代为办理"
        )
        raise TransitionRoleError(msg)
    held = {Guard.REVIEW_COMPLETE: review_complete, Guard.NOTICE_OVER: notice_over}
    if move.guard is not None and not held[move.guard]:
        msg = f"“{state.label}”的申请尚未满足“{move.guard.label}”，不能执行“{action.label}”；提示：{move.guard.hint}"
        raise TransitionPreconditionError(msg)
    return move.target
