"""What is approved when a measure sets only a ceiling (最高, 不超过): never the ceiling itself.

Where the text says "up to", the engine gives a ceiling and, when the facts settle it, the amount
due. When they do not, a caseworker sets the amount within the ceiling before the reviews
(:func:`set_amount`), and approval takes that amount, checked again against the ceiling the
engine computes on the day (:func:`approved_amount`). A cash measure is never approved, batched or
paid at its ceiling by default. A tax deduction is the one exception by nature: the tax list
carries the limit (扣减限额) and the tax bureau deducts within it; no money moves.

Each refusal is a 4xx with a stable code: no amount set (``AMOUNT_NOT_SET``), above the ceiling
(``AMOUNT_ABOVE_CEILING``), a measure whose amount the rules compute (``AMOUNT_NOT_A_CEILING``),
or an amount changed after a reviewer already approved it (``AMOUNT_LOCKED``).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import State
from jiuye.delivery import Form, delivery_of
from jiuye.money import format_yuan
from jiuye.service.auth import Caller
from jiuye.service.casework import audit, get_application
from jiuye.service.claims import Assessment, GrantItem
from jiuye.service.errors import ConflictError, ForbiddenError, InputError
from jiuye.service.models import Application, Approval

__all__ = [
    "AmountAboveCeilingError",
    "AmountLockedError",
    "AmountNotACeilingError",
    "AmountNotSetError",
    "approved_amount",
    "review_amount",
    "set_amount",
    "share_out",
]

#: Who may set the amount within a ceiling: those who handle and review claims.
SETTERS = ("caseworker", "reviewer")
#: While the amount may still be set: before any reviewer has approved it in this round.
_OPEN = (State.AUTO_CHECKED.value, State.IN_REVIEW.value)


class AmountNotSetError(ConflictError):
    code = "AMOUNT_NOT_SET"


class AmountAboveCeilingError(InputError):
    code = "AMOUNT_ABOVE_CEILING"


class AmountNotACeilingError(ConflictError):
    code = "AMOUNT_NOT_A_CEILING"


class AmountLockedError(ConflictError):
    code = "AMOUNT_LOCKED"


def _above(amount_fen: int, ceiling_fen: int, app_id: int) -> AmountAboveCeilingError:
    msg = (
        f"申请 {app_id} 核定金额 {format_yuan(amount_fen)} 超过政策规定的最高限额 {format_yuan(ceiling_fen)}；"
        "提示：在最高限额以内核定金额"
    )
    return AmountAboveCeilingError(msg)


def set_amount(session: Session, caller: Caller, application_id: int, amount_fen: int, reason: str) -> Application:
    """The caseworker's amount within the ceiling the engine gave at submission, with a reason."""
    if caller.role not in SETTERS:
        msg = f"只有经办或审核人员可以核定金额（当前角色：{caller.role}）"
        raise ForbiddenError(msg)
    app = get_application(session, caller, application_id)
    if app.ceiling_submitted_fen is None:
        msg = (
            f"申请 {app.id} 的政策（{app.measure_id}）金额由规则计算，不设最高限额，无需核定；"
            "提示：金额以自动校验结果为准"
        )
        raise AmountNotACeilingError(msg)
    if app.state not in _OPEN or _approved_in_round(session, app):
        msg = f"申请 {app.id} 已有审核意见或已进入公示，不能再改核定金额；提示：退回补正后重新提交再核定"
        raise AmountLockedError(msg)
    if amount_fen < 0:
        msg = f"核定金额 {amount_fen} 分为负数；提示：金额以元为单位，最多两位小数，不小于0"
        raise InputError(msg)
    if amount_fen > app.ceiling_submitted_fen:
        raise _above(amount_fen, app.ceiling_submitted_fen, app.id)
    if len(reason.strip()) < 4:
        msg = "核定金额须写明依据；提示：如“按培训成本核定”或“按家庭困难程度核定”"
        raise InputError(msg)
    app.amount_set_fen, app.amount_set_by = amount_fen, caller.user_id
    detail = {"amount_fen": amount_fen, "ceiling_fen": app.ceiling_submitted_fen, "reason": reason.strip()}
    audit(session, caller, "application.amount_set", app, detail)
    return app


def _approved_in_round(session: Session, app: Application) -> bool:
    query = select(Approval.id).where(Approval.application_id == app.id, Approval.review_round == app.review_round)
    return session.scalar(query.limit(1)) is not None


def review_amount(app: Application) -> int:
    """The amount the review tiers weigh: the amount set or due, else (conservatively) the ceiling."""
    for fen in (app.amount_set_fen, app.amount_submitted_fen, app.ceiling_submitted_fen):
        if fen is not None:
            return fen
    return 0


def approved_amount(app: Application, assessment: Assessment) -> int:
    """The amount approval grants: the amount due, or the amount set within today's ceiling."""
    ceiling = assessment.ceiling_fen
    if ceiling is None or assessment.amount_fen is not None:
        return assessment.amount_fen or 0
    if delivery_of(app.measure_id).form is Form.TAX_DEDUCTION:
        return ceiling  # the tax list's limit (扣减限额): the tax bureau deducts within it
    if app.amount_set_fen is None:
        msg = (
            f"申请 {app.id} 的政策只规定最高限额（{format_yuan(ceiling)}），应发金额尚未核定，不能核准；"
            "提示：由经办人员在最高限额以内核定金额后再核准"
        )
        raise AmountNotSetError(msg)
    if app.amount_set_fen > ceiling:
        raise _above(app.amount_set_fen, ceiling, app.id)
    return app.amount_set_fen


def share_out(items: list[GrantItem], approved_fen: int) -> list[GrantItem]:
    """The approved amount over the grant items: items with an amount due keep it; the rest is
    shared among items with only a ceiling, in order, each up to its own ceiling."""
    rest = approved_fen - sum(item.amount_fen for item in items if item.ceiling_fen is None or item.due)
    out = []
    for item in items:
        if item.ceiling_fen is None or item.due:
            out.append(item)
            continue
        take = max(0, min(rest, item.ceiling_fen))
        rest -= take
        out.append(replace(item, amount_fen=take))
    return out
