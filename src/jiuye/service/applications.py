"""Applications from draft to approved: the engine decides, reviewers approve, the ledger grants once.

Each step is one transaction (the caller's unit of work): the state change, its audit event and
any grant items commit together or not at all. The engine runs at submission (the automatic
check) and again when the notice closes (the approval, as of that day). Approval inserts the
grant items in the same transaction; the database's partial unique index turns a second grant of
the same item — another enterprise claiming the same hire, the same claim twice, a mutually
exclusive measure — into a refusal, whatever the timing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import EDITABLE_STATES, Action, ApprovalError, State, add_approval, notice_period
from jiuye.errors import FactsError, UnknownMeasureError
from jiuye.facts import facts_from_data
from jiuye.facts.model import Facts
from jiuye.policies.registry import get_measure
from jiuye.regions import prefix_of
from jiuye.service.amounts import review_amount
from jiuye.service.auth import Caller
from jiuye.service.casework import Engine, already_granted, claimant_sees, get_application
from jiuye.service.casework import audit as _audit
from jiuye.service.casework import move as _move
from jiuye.service.claimants import check_claimant
from jiuye.service.decisions import close_notice, close_notice_staged, require_verified, submit, submit_staged
from jiuye.service.deliveries import refuse_unclaimable
from jiuye.service.errors import ConflictError, ForbiddenError, InputError
from jiuye.service.models import Application, Approval, ClaimPerson, Subject, User
from jiuye.service.subjects import get_subject

__all__ = [
    "ClaimTooLargeError",
    "Engine",
    "accept",
    "already_granted",
    "approve",
    "close_notice",
    "close_notice_staged",
    "create_application",
    "get_application",
    "list_applications",
    "object_to",
    "reject",
    "return_for_revision",
    "submit",
    "submit_staged",
    "update_facts",
    "withdraw",
]

_FILERS = ("enterprise", "individual", "caseworker")


class ClaimTooLargeError(InputError):
    status = 413
    code = "CLAIM_TOO_LARGE"


def _checked_facts(engine: Engine, measure_id: str, claimant_ref: str, subject: Subject, data: dict[str, Any]) -> Facts:
    """The facts, refused before anything is stored: too many persons, a bad field (by field, in
    Chinese), or a claimant other than the applying subject."""
    persons = data.get("persons")
    if isinstance(persons, list) and len(persons) > engine.max_persons:
        msg = (
            f"一件申请最多列 {engine.max_persons} 名人员，本件 {len(persons)} 名；"
            "提示：分成几件申请提交（上限由 JIUYE_MAX_CLAIM_PERSONS 设定）"
        )
        raise ClaimTooLargeError(msg)
    try:
        measure = get_measure(measure_id)
        refuse_unclaimable(measure_id)  # a target or a schedule is nobody's to claim
        facts = facts_from_data(data)
    except (UnknownMeasureError, FactsError) as exc:
        raise InputError(str(exc)) from None
    check_claimant(facts, measure, claimant_ref, subject, engine.protector)
    return facts


def create_application(
    session: Session,
    engine: Engine,
    caller: Caller,
    *,
    measure_id: str,
    subject_id: int,
    claimant_ref: str,
    facts: dict[str, Any],
) -> Application:
    """A draft claim for ``subject_id``: the caller's own, or, for a caseworker, one in their region
    on whose behalf they file (recorded: who filed, in what capacity). The beneficiary the facts
    name must be that subject."""
    if caller.role not in _FILERS:
        msg = f"角色 {caller.role} 不能提出申请；提示：由申请单位、个人或经办人员提出"
        raise ForbiddenError(msg)
    subject: Subject = get_subject(session, caller, subject_id)
    _checked_facts(engine, measure_id, claimant_ref, subject, facts)
    app = Application(
        measure_id=measure_id,
        subject_id=subject.id,
        region=subject.region,
        state=State.DRAFT.value,
        source="caseworker" if caller.role == "caseworker" else "self",
        claimant_ref=claimant_ref,
        facts_sealed=engine.protector.seal(json.dumps(facts, ensure_ascii=False, default=str)),
        submitted_by=caller.user_id,
        filed_as=caller.role,
        handlers="",
    )
    session.add(app)
    session.flush()
    detail = {"measure": measure_id, "subject": subject.id, "filed_by": caller.username, "filed_as": caller.role}
    _audit(session, caller, "application.create", app, detail)
    return app


def update_facts(
    session: Session, engine: Engine, caller: Caller, application_id: int, facts: dict[str, Any]
) -> Application:
    """New facts for a draft or a claim returned for revision (then submit again)."""
    app = get_application(session, caller, application_id)
    if State(app.state) not in EDITABLE_STATES:
        msg = f"申请当前状态为“{State(app.state).label}”，不能修改事实；提示：草稿或退回补正的申请才能修改"
        raise ConflictError(msg)
    if caller.role != "caseworker" and caller.subject_id != app.subject_id:
        msg = "只能修改本单位或本人的申请"
        raise ForbiddenError(msg)
    subject = session.get(Subject, app.subject_id)
    assert subject is not None  # a foreign key
    _checked_facts(engine, app.measure_id, app.claimant_ref, subject, facts)
    app.facts_sealed = engine.protector.seal(json.dumps(facts, ensure_ascii=False, default=str))
    _audit(session, caller, "application.update_facts", app, {})
    return app


def _decide(session: Session, caller: Caller, application_id: int, action: Action, reason: str) -> Application:
    """A step that needs a reason the claimant can read: return for revision, reject."""
    app = get_application(session, caller, application_id)
    if len(reason.strip()) < 4:
        msg = f"{action.label}须写明理由（申请人可见）；提示：如“缺少劳动合同复印件”"
        raise InputError(msg)
    _move(session, app, action, caller)
    app.reasons = json.dumps(
        [f"{action.label}：{reason.strip()}", *json.loads(app.reasons or "[]")], ensure_ascii=False
    )
    _audit(session, caller, f"application.{action.value}.reason", app, {"reason": reason.strip()})
    return app


def return_for_revision(session: Session, caller: Caller, application_id: int, reason: str) -> Application:
    return _decide(session, caller, application_id, Action.RETURN_FOR_REVISION, reason)


def reject(session: Session, caller: Caller, application_id: int, reason: str) -> Application:
    return _decide(session, caller, application_id, Action.REJECT, reason)


def withdraw(session: Session, caller: Caller, application_id: int) -> Application:
    app = get_application(session, caller, application_id)
    _move(session, app, Action.WITHDRAW, caller)
    return app


def list_applications(
    session: Session,
    caller: Caller,
    *,
    state: str | None = None,
    measure_id: str | None = None,
    source: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Application]:
    """Applications the caller may see, newest first: staff their region's, claimants their own."""
    query = select(Application)
    if caller.is_staff:
        query = query.where(Application.region.startswith(prefix_of(caller.region)))
    else:
        query = query.where(claimant_sees(caller))
    for column, value in ((Application.state, state), (Application.measure_id, measure_id),
                          (Application.source, source)):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    return list(session.scalars(query.order_by(Application.id.desc()).limit(min(limit, 500)).offset(offset)))


def _recuse(session: Session, caller: Caller, app: Application) -> None:
    """Staff may not handle or review a claim that names them, or that they claim themselves (回避)."""
    mine = session.scalar(select(User.person_index).where(User.id == caller.user_id))
    if not mine:
        return
    named = session.scalar(
        select(ClaimPerson.id).where(ClaimPerson.application_id == app.id, ClaimPerson.person_index == mine).limit(1)
    )
    claimant = session.scalar(select(Subject.number_index).where(Subject.id == app.subject_id))
    if named is not None or claimant == mine:
        msg = f"{caller.username} 本人是申请 {app.id} 涉及的人员，应当回避；提示：由其他工作人员办理"
        raise ApprovalError(msg)


def accept(session: Session, caller: Caller, application_id: int) -> Application:
    app = get_application(session, caller, application_id)
    _recuse(session, caller, app)
    _move(session, app, Action.ACCEPT, caller)
    app.handlers = ",".join(sorted({*filter(None, app.handlers.split(",")), str(caller.user_id)}))
    return app


def _approvers(session: Session, app: Application) -> list[str]:
    query = select(Approval.reviewer_id).where(
        Approval.application_id == app.id, Approval.review_round == app.review_round
    )
    return [str(r) for r in session.scalars(query.order_by(Approval.id))]


def approve(session: Session, caller: Caller, application_id: int, *, today: dt.date) -> Application:
    """One reviewer's approval; the last one the amount needs publishes the notice."""
    app = get_application(session, caller, application_id)
    _recuse(session, caller, app)
    subject = session.get(Subject, app.subject_id)
    assert subject is not None  # a foreign key
    require_verified(subject)
    approvals = _approvers(session, app)  # read before the changes: they are flushed once, at the commit
    _move(session, app, Action.APPROVE, caller)
    status = add_approval(
        str(caller.user_id),
        amount_fen=review_amount(app),
        submitter=str(app.submitted_by) if app.submitted_by else None,
        handlers=[h for h in app.handlers.split(",") if h],
        approvals=approvals,
    )
    session.add(Approval(application_id=app.id, review_round=app.review_round, reviewer_id=caller.user_id))
    if status.complete:
        _move(session, app, Action.START_NOTICE, caller, review_complete=True)
        period = notice_period(today)
        app.notice_published, app.notice_last_day = today, period.last_day
    return app


def object_to(session: Session, caller: Caller, application_id: int, reason: str) -> Application:
    """An objection during the notice: back to review, earlier approvals no longer count."""
    app = get_application(session, caller, application_id)
    if len(reason.strip()) < 4:
        msg = "登记公示异议须写明异议内容；提示：如“反映该人员未实际在岗”"
        raise InputError(msg)
    _move(session, app, Action.OBJECT, caller)
    app.review_round += 1
    _audit(session, caller, "application.objection", app, {"reason": reason.strip()})
    return app
