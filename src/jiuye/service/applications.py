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

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases import (
    EDITABLE_STATES,
    Action,
    ApprovalError,
    Role,
    State,
    add_approval,
    notice_period,
    transition,
)
from jiuye.engine.evaluate import ELIGIBLE
from jiuye.errors import FactsError, UnknownMeasureError
from jiuye.facts import facts_from_data
from jiuye.facts.model import Facts
from jiuye.params import ParameterSet
from jiuye.policies.registry import get_measure
from jiuye.regions import prefix_of
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.claims import Assessment, assess
from jiuye.service.deliveries import issue_document, refuse_unclaimable
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.funds import check_budget
from jiuye.service.models import Application, Approval, ClaimPerson, GrantItem, Subject, User
from jiuye.service.person_checks import check_people
from jiuye.service.protect import Protector
from jiuye.service.subjects import get_subject

__all__ = [
    "Engine",
    "accept",
    "already_granted",
    "approve",
    "close_notice",
    "create_application",
    "get_application",
    "list_applications",
    "object_to",
    "reject",
    "return_for_revision",
    "submit",
    "update_facts",
    "withdraw",
]


class Engine:
    """What the service needs of the rule engine: parameters and the identifier protector."""

    def __init__(self, params: ParameterSet, protector: Protector) -> None:
        self.params = params
        self.protector = protector

    def facts(self, application: Application) -> Facts:
        return facts_from_data(json.loads(self.protector.unseal(application.facts_sealed)))

    def assess(self, application: Application, as_of: dt.date, facts: Facts | None = None) -> Assessment:
        """The engine's decision on ``application`` as of ``as_of`` (``facts``: already unsealed)."""
        measure = get_measure(application.measure_id)
        return assess(
            facts or self.facts(application),
            measure,
            application.claimant_ref,
            as_of=as_of,
            region=application.region,
            params=self.params,
            protector=self.protector,
        )


def _role(caller: Caller) -> Role:
    return Role(caller.role)


def _audit(session: Session, caller: Caller | None, action: str, app: Application, detail: dict[str, Any]) -> None:
    actor = caller.username if caller else "system"
    record(session, actor=actor, action=action, entity="application", entity_id=app.id, detail=detail)


def _move(session: Session, app: Application, action: Action, caller: Caller | None, **guards: bool) -> None:
    role = _role(caller) if caller else Role.SYSTEM
    own = caller is not None and caller.subject_id == app.subject_id
    before = State(app.state)
    after = transition(before, action, role=role, own=own, **guards)
    app.state = after.value
    _audit(session, caller, f"application.{action.value}", app, {"from": before.value, "to": after.value})


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
    """A draft claim for ``subject_id`` (the caller's own, or one in a caseworker's region)."""
    try:
        get_measure(measure_id)
        refuse_unclaimable(measure_id)  # a target or a schedule is nobody's to claim
        facts_from_data(facts)  # refuse bad facts now, field by field, in Chinese
    except UnknownMeasureError as exc:
        raise InputError(str(exc)) from None
    except FactsError as exc:
        raise InputError(str(exc)) from None
    subject: Subject = get_subject(session, caller, subject_id)
    if caller.role not in ("enterprise", "individual", "caseworker"):
        msg = f"角色 {caller.role} 不能提出申请；提示：由申请单位、个人或经办人员提出"
        raise ForbiddenError(msg)
    app = Application(
        measure_id=measure_id,
        subject_id=subject.id,
        region=subject.region,
        state=State.DRAFT.value,
        source="caseworker" if caller.role == "caseworker" else "self",
        claimant_ref=claimant_ref,
        facts_sealed=engine.protector.seal(json.dumps(facts, ensure_ascii=False, default=str)),
        submitted_by=caller.user_id,
        handlers="",
    )
    session.add(app)
    session.flush()
    _audit(session, caller, "application.create", app, {"measure": measure_id})
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
    try:
        facts_from_data(facts)
    except FactsError as exc:
        raise InputError(str(exc)) from None
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
        query = query.where(Application.subject_id == caller.subject_id)
    for column, value in ((Application.state, state), (Application.measure_id, measure_id),
                          (Application.source, source)):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    return list(session.scalars(query.order_by(Application.id.desc()).limit(min(limit, 500)).offset(offset)))


def get_application(session: Session, caller: Caller, application_id: int) -> Application:
    app = session.get(Application, application_id)
    if app is None or not (caller.covers(app.region) or caller.subject_id == app.subject_id):
        msg = f"申请 {application_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return app


def already_granted(session: Session, assessment: Assessment) -> int:
    keys = [(i.ledger_key, i.item_key, i.period) for i in assessment.items]
    if not keys:
        return 0
    found = 0
    for ledger_key, item_key, period in keys:
        found += (
            session.scalar(
                select(func.count())
                .select_from(GrantItem)
                .where(
                    GrantItem.status == "live",
                    GrantItem.ledger_key == ledger_key,
                    GrantItem.item_key == item_key,
                    GrantItem.period == period,
                )
            )
            or 0
        )
    return found


def submit(session: Session, engine: Engine, caller: Caller, application_id: int, *, today: dt.date) -> Application:
    """Submit, then the automatic check: the engine's decision as of ``today``, and the ledger."""
    app = get_application(session, caller, application_id)
    _move(session, app, Action.SUBMIT, caller)
    app.submitted_by = app.submitted_by or caller.user_id
    facts = engine.facts(app)
    assessment = engine.assess(app, today, facts)
    app.as_of_submitted, app.status_submitted = today, assessment.status
    app.amount_submitted_fen = assessment.amount_fen
    reasons = list(assessment.reasons)
    taken = already_granted(session, assessment)
    if taken:
        reasons.insert(0, f"其中 {taken} 项已享受过（一次性或互斥政策，已在发放台账中），不能重复申请")
    app.reasons = json.dumps(reasons, ensure_ascii=False)
    passed = assessment.status == ELIGIBLE and not taken
    _move(session, app, Action.AUTO_CHECK_PASS if passed else Action.AUTO_CHECK_FAIL, None)
    check_people(session, app, facts, engine.protector, today)
    return app


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
    _move(session, app, Action.APPROVE, caller)
    status = add_approval(
        str(caller.user_id),
        amount_fen=app.amount_submitted_fen or 0,
        submitter=str(app.submitted_by) if app.submitted_by else None,
        handlers=[h for h in app.handlers.split(",") if h],
        approvals=_approvers(session, app),
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


def close_notice(
    session: Session, engine: Engine, caller: Caller | None, application_id: int, *, today: dt.date
) -> Application:
    """After the notice: decide again as of ``today`` and grant, in this same transaction."""
    app = session.get(Application, application_id)
    if app is None or (caller is not None and not caller.covers(app.region)):
        msg = f"申请 {application_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    over = app.notice_last_day is not None and today > app.notice_last_day
    _move(session, app, Action.CLOSE_NOTICE, caller, notice_over=over)
    assessment = engine.assess(app, today)
    if assessment.status != ELIGIBLE or not assessment.items:
        msg = f"核准时（{today.isoformat()}）重新计算不再符合条件：{'；'.join(assessment.reasons[:3])}"
        raise ConflictError(msg)
    app.as_of_approved, app.amount_approved_fen = today, assessment.amount_fen
    check_budget(session, app, get_measure(app.measure_id).fund, assessment.amount_fen or 0)
    for item in assessment.items:
        session.add(
            GrantItem(
                application_id=app.id,
                measure_id=app.measure_id,
                ledger_key=item.ledger_key,
                item_key=item.item_key,
                period=item.period,
                amount_fen=item.amount_fen,
                status="live",
            )
        )
    try:
        session.flush()
    except IntegrityError:
        msg = "发放台账中已有同一事项的有效补贴（同一人员、同一期间或互斥政策）：不予重复核准"
        raise ConflictError(msg) from None
    detail = {"amount_fen": assessment.amount_fen, "items": len(assessment.items)}
    _audit(session, caller, "application.granted", app, detail)
    issue_document(session, caller, app, today=today)  # no cash: the tax list, a notice, a record...
    return app
