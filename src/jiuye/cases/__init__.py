"""The application workflow as pure domain code (no database, no web): states, tiered review, public notice.

- :mod:`~jiuye.cases.states`: the one table of moves (draft → … → paid, and the side exits) and
  :func:`transition`, which checks the role and preconditions and refuses everything else.
- :mod:`~jiuye.cases.review`: how many distinct reviewers an amount needs (``review_tiers.yaml``,
  a local setting) and who may not approve (separation of duties).
- :mod:`~jiuye.cases.notice`: the 公示 period in working days by the Chinese calendar
  (``notice.yaml``, a local setting).

>>> from jiuye.cases import Action, Role, State, transition
>>> transition(State.AUTO_CHECKED, Action.ACCEPT, role=Role.CASEWORKER).label
'审核中'
"""

from jiuye.cases.errors import (
    ApprovalError,
    CaseError,
    TransitionError,
    TransitionPreconditionError,
    TransitionRoleError,
)
from jiuye.cases.notice import NoticePeriod, NoticeSettings, load_notice_settings, notice_period
from jiuye.cases.review import (
    ReviewPolicy,
    ReviewStatus,
    Tier,
    UserId,
    add_approval,
    load_review_policy,
    review_status,
)
from jiuye.cases.roles import CLAIMANT_ROLES, Role
from jiuye.cases.states import (
    EDITABLE_STATES,
    INITIAL_STATE,
    PROACTIVE_ENTRY_STATE,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    Guard,
    Move,
    State,
    allowed_actions,
    is_terminal,
    transition,
)

__all__ = [
    "CLAIMANT_ROLES",
    "EDITABLE_STATES",
    "INITIAL_STATE",
    "PROACTIVE_ENTRY_STATE",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "Action",
    "ApprovalError",
    "CaseError",
    "Guard",
    "Move",
    "NoticePeriod",
    "NoticeSettings",
    "ReviewPolicy",
    "ReviewStatus",
    "Role",
    "State",
    "Tier",
    "TransitionError",
    "TransitionPreconditionError",
    "TransitionRoleError",
    "UserId",
    "add_approval",
    "allowed_actions",
    "is_terminal",
    "load_notice_settings",
    "load_review_policy",
    "notice_period",
    "review_status",
    "transition",
]
