"""The case page: the facts (masked), the engine's decision with every condition and its clause,
the fund-safety hits, the review, the notice and the history, and the forms of the actions the
caller's role may take in the case's state. What is shown is read through the service functions
(scoped by the caller); the forms post to :mod:`~jiuye.web.pages.case_actions`."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from jiuye.cases import Action, Role, State, allowed_actions, notice_period
from jiuye.catalog import FUND_NAMES
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, NEEDS_FACTS
from jiuye.errors import JiuyeError
from jiuye.identifiers import redact
from jiuye.policies.registry import get_measure
from jiuye.service import safety
from jiuye.service.amounts import SETTERS
from jiuye.service.api.deps import Id, SessionDep, engine_of
from jiuye.service.auth import Caller
from jiuye.service.case_record import Step, approvals_of, explain, history, review_of
from jiuye.service.casework import get_application
from jiuye.service.models import IDENTITY_PENDING
from jiuye.service.subjects import UNMASK_ROLES, Revealed, get_subject
from jiuye.web.formats import fen, simplified
from jiuye.web.pages.case_facts import fact_tables
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["DONE", "case_context", "render_case", "router"]

router = APIRouter()
_log = logging.getLogger("jiuye.web.console")

#: The confirmation after each action (the redirect carries only its key, never text).
DONE = {
    "accept": "已受理并送审。",
    "return": "已退回补正，理由已告知申请人。",
    "reject": "已作出不予通过的决定，理由已告知申请人。",
    "approve": "已审核通过。",
    "object": "已登记公示异议，案件退回审核，此前的审核意见不再计数。",
    "close": "公示期满，已核准并记入发放台账。",
    "amount": "已在最高限额内核定金额。",
    "dispose": "已处置资金安全核查结果。",
    "verify": "已核验申请对象身份。",
}
_ACTION_LABELS = {
    "accept": Action.ACCEPT, "return": Action.RETURN_FOR_REVISION, "reject": Action.REJECT,
    "approve": Action.APPROVE, "object": Action.OBJECT, "close": Action.CLOSE_NOTICE,
}  # fmt: skip
_AMOUNT_OPEN = (State.AUTO_CHECKED.value, State.IN_REVIEW.value)
DECISION_LABELS = {ELIGIBLE: "符合", INELIGIBLE: "不符合", NEEDS_FACTS: "待补充事实"}
#: The history's steps in words (the audit trail's action codes of an application).
_STEP_LABELS = {f"application.{a.value}": a.label for a in Action} | {
    "application.create": "提出申请（草稿）",
    "application.update_facts": "修改事实",
    "application.amount_set": "在最高限额内核定金额",
    "application.granted": "核准并记入发放台账",
    "application.objection": "公示异议内容",
    "application.return_for_revision.reason": "退回补正理由",
    "application.reject.reason": "不予通过理由",
}
#: What each fund-safety check looks for (service/safety.py, service/person_checks.py, voids).
HIT_RULES = {
    "account_changed": "收款账户在发放前不久变更", "payee_unexportable": "收款账户不能写入代发文件",
    "shared_account": "多个对象共用同一收款账户", "shared_phone": "多个对象共用同一联系电话",
    "shared_address": "多个对象共用同一地址", "revisit": "发放后随机回访抽查",
    "unemployed_insured": "登记失业期间有参保就业记录", "left_after_subsidy": "享受补贴后短期内离职",
    "other_region": "同一人员在其他地区申领", "voided_executed": "已作废的付款被银行执行",
}  # fmt: skip
_DETAIL_LABELS = {
    "from": "原状态", "to": "新状态", "reason": "理由", "measure": "政策", "filed_by": "提出人",
    "filed_as": "提出身份", "amount_fen": "金额", "ceiling_fen": "最高限额", "items": "台账事项数",
    "subject": "申请对象编号",
}  # fmt: skip


def _detail_value(key: str, value: Any) -> str:
    if key in ("from", "to") and isinstance(value, str) and value in State._value2member_map_:
        return State(value).label
    if key == "filed_as" and value in Role._value2member_map_:
        return Role(value).label
    if key.endswith("_fen") and isinstance(value, int):
        return fen(value)
    return redact(str(value))


def step_text(step: Step) -> tuple[str, str]:
    """(what happened, its details) of one audit event, in words."""
    label = _STEP_LABELS.get(step.action, step.action)
    details = "；".join(f"{_DETAIL_LABELS.get(k, k)}：{_detail_value(k, v)}" for k, v in step.detail.items())
    return label, details


def _may(caller: Caller, app_state: str, ceiling: int | None, identity: str) -> dict[str, bool]:
    """Which forms to show: the state table's moves for this role, and the service's own role
    checks. Only what to offer: every action is checked again by the service when it is posted."""
    role = Role(caller.role)
    moves = set(allowed_actions(State(app_state), role))
    may = {key: action in moves for key, action in _ACTION_LABELS.items()}
    may["amount"] = caller.role in SETTERS and ceiling is not None and app_state in _AMOUNT_OPEN
    may["dispose"] = caller.role in safety.DISPOSERS
    may["verify"] = caller.role == "caseworker" and identity == IDENTITY_PENDING
    may["unmask"] = caller.role in UNMASK_ROLES
    return may


def case_context(session: Session, request: Request, caller: Caller, application_id: int) -> dict[str, Any]:
    app = get_application(session, caller, application_id)
    subject = get_subject(session, caller, app.subject_id)  # reading a person's record is audited
    engine = engine_of(request)
    measure = get_measure(app.measure_id)
    try:
        decision, explain_error = explain(engine, app), None
    except JiuyeError as exc:  # the rules or facts can no longer be evaluated: say so, show the rest
        decision, explain_error = None, str(exc)
    hits = (
        [(hit, HIT_RULES.get(hit.rule, hit.rule), json.loads(hit.evidence))
         for hit in safety.list_hits(session, caller, open_only=False, application_id=app.id)]
        if caller.role in safety.READERS
        else None
    )  # fmt: skip
    return {
        "app": app,
        "subject": subject,
        "measure_title": simplified(measure.title),
        "fund": FUND_NAMES.get(measure.fund or "", "—"),
        "decision_labels": DECISION_LABELS,
        "facts": fact_tables(engine.facts(app)),
        "decision": decision,
        "explain_error": explain_error,
        "reasons": json.loads(app.reasons or "[]"),
        "provenance": json.loads(app.provenance_submitted) if app.provenance_submitted else None,
        "provenance_approved": json.loads(app.provenance_approved) if app.provenance_approved else None,
        "history": [(step, *step_text(step)) for step in history(session, caller, app.id)],
        "approvals": approvals_of(session, app),
        "review": review_of(session, app) if app.state == State.IN_REVIEW.value else None,
        "notice": notice_period(app.notice_published) if app.notice_published else None,
        "hits": hits,
        "may": _may(caller, app.state, app.ceiling_submitted_fen, subject.identity_status),
        "title": f"案件 {app.id}",
    }


def render_case(
    request: Request,
    session: Session,
    caller: Caller,
    application_id: int,
    *,
    status: int = 200,
    flash: str | None = None,
    problem: str | None = None,
    form: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    revealed: Revealed | None = None,
) -> Response:
    """The case page; after a refused action, with the service's message (``problem``) or the
    form's errors beside its fields (``form`` names which form), the values typed kept."""
    context = case_context(session, request, caller, application_id)
    offered = context["may"].get("dispose" if (form or "").startswith("hit-") else form or "", False)
    if errors and not offered:  # a form this page does not offer (posted by hand): said at the top
        problem, errors = "提交的内容有误：" + "；".join(errors.values()), {}
    context |= {"flash": flash, "problem": problem, "form": form, "errors": errors or {}, "values": values or {}}
    context["revealed"] = revealed
    return render(request, "staff/case.html", context, status=status)


@router.get("/staff/cases/{application_id}")
def case_page(
    application_id: Id, request: Request, caller: StaffCaller, session: SessionDep, done: str | None = None
) -> Response:
    return render_case(request, session, caller, application_id, flash=DONE.get(done or ""))
