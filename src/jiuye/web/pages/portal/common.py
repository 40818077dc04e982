"""What the portal's pages share: the claimant caller, measure titles, and each application's steps
as the audit trail records them, in Chinese."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import Action, State
from jiuye.errors import UnknownMeasureError
from jiuye.policies.registry import get_measure
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError
from jiuye.service.models import Application, AuditEvent, User
from jiuye.web.formats import simplified
from jiuye.web.session import PageCaller

__all__ = ["ClaimantCaller", "Step", "measure_title", "steps_of"]


def _claimant(caller: PageCaller) -> Caller:
    if caller.is_staff or caller.subject_id is None:
        msg = "“我的办事”仅供单位和个人账号使用；提示：工作人员请使用工作台"
        raise ForbiddenError(msg)
    return caller


ClaimantCaller = Annotated[Caller, Depends(_claimant)]


def measure_title(measure_id: str) -> str:
    try:
        return simplified(get_measure(measure_id).title)
    except UnknownMeasureError:
        return measure_id


_ROLES = {"enterprise": "申请单位", "individual": "申请人", "caseworker": "经办人员", "reviewer": "审核人员",
          "finance": "财务人员", "auditor": "审计人员", "admin": "系统管理员"}  # fmt: skip
_OTHER_STEPS = {
    "create": "创建申请草稿",
    "proactive": "政策找人比对后自动建案（免申即享）",
    "update_facts": "修改申请内容",
    "evidence": "上传证明材料",
    "claimant_confirm": "确认免申即享并选定收款账户",
    "amount_set": "在最高限额内核定金额",
    "granted": "核准并写入发放台账",
    "objection": "登记公示异议",
}


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    what: str
    who: str
    state: str | None  # the state after the step, when it moved
    reason: str | None


def _what(action: str) -> str | None:
    name = action.removeprefix("application.")
    if name in _OTHER_STEPS:
        return _OTHER_STEPS[name]
    if name in Action._value2member_map_:
        return Action(name).label
    return None  # internal records (reads of evidence by staff...) are not the claimant's steps


def steps_of(session: Session, app: Application) -> list[Step]:
    """Every step of ``app`` in order: what, when, by which role (names of staff are not shown), why."""
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "application", AuditEvent.entity_id == str(app.id))
            .order_by(AuditEvent.seq)
        )
    )
    actors = {e.actor for e in events}
    named = session.execute(select(User.username, User.role).where(User.username.in_(actors)))
    roles: dict[str, str] = dict(named.all())  # a Result has keys(): dict() must get its rows
    steps: list[Step] = []
    for event in events:
        detail = json.loads(event.detail or "{}")
        if event.action.endswith(".reason") and steps:  # the reason of the step just before
            last = steps[-1]
            steps[-1] = Step(last.at, last.what, last.who, last.state, str(detail.get("reason", "")))
            continue
        what = _what(event.action)
        if what is None:
            continue
        who = "系统自动" if event.actor == "system" else _ROLES.get(roles.get(event.actor, ""), "工作人员")
        to = detail.get("to")
        state = State(to).label if to in State._value2member_map_ else None
        reason = str(detail["reason"]) if "reason" in detail else None
        at = dt.datetime.fromisoformat(event.at.replace("Z", "+00:00"))
        steps.append(Step(at, what, who, state, reason))
    return steps
