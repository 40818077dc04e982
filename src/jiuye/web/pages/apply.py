"""Applying for a measure (网上申领): a form built from the measure's facts, the automatic check,
a draft, submission; correcting a draft or a returned claim, and withdrawing.

The applicant is always the caller's own subject (``caller.subject_id``): no form field names it,
and its name and number enter the facts on the server (the number is never in the page). The
steps call what the API's routes call (``service.applications``): create or update the facts in
one transaction, then submit with the engine run between two short ones (``submit_staged``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from jiuye.cases import EDITABLE_STATES, State
from jiuye.engine.measure import Measure
from jiuye.errors import FactsError, UnknownMeasureError
from jiuye.facts import facts_from_data
from jiuye.facts.answers import answers_from_facts, facts_from_answers
from jiuye.facts.questions import Kind, Questionnaire, applicant_kind, questionnaire
from jiuye.policies.registry import get_measure
from jiuye.service import applications as service
from jiuye.service.api.deps import Id, SessionDep, SessionsDep, SettingsDep, engine_of, today
from jiuye.service.auth import Caller
from jiuye.service.db import transaction
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.models import Application, Subject
from jiuye.service.subjects import get_subject
from jiuye.web.facts_form import action_of, form_view, rows_after, rows_of
from jiuye.web.forms import read_form
from jiuye.web.render import render
from jiuye.web.session import LoginRequiredError, caller_or_none, require_roles

__all__ = ["router"]

router = APIRouter()
_ROLES = ("enterprise", "individual")
Claimant = Annotated[Caller, require_roles(*_ROLES)]


def _brief_claimant(request: Request, settings: SettingsDep) -> Caller:
    """The claimant, checked in a transaction that ends at once: the routes that write run their own
    short transactions, and a read held open for the whole request would block them (SQLite)."""
    with request.app.state.sessions() as session, session.begin():
        caller = caller_or_none(request, session, settings)
    if caller is None:
        raise LoginRequiredError(quote(request.url.path, safe="/"))
    request.state.caller = caller
    if caller.role not in _ROLES:
        msg = "您的角色无权打开此页面"
        raise ForbiddenError(msg)
    return caller


BriefClaimant = Annotated[Caller, Depends(_brief_claimant)]
_KIND_OF_ROLE: dict[str, Kind] = {"enterprise": "employer", "individual": "person"}
_OTHER = {"employer": "个人", "person": "单位"}


@dataclass(frozen=True)
class Applicant:
    """The caller's own subject: its name, masked number, and the facts the server adds."""

    name: str
    masked: str
    region: str
    own: dict[str, str]


def _measure(measure_id: str, caller: Caller) -> Measure:
    try:
        measure = get_measure(measure_id)
    except UnknownMeasureError:
        msg = f"政策 {measure_id[:40]!r} 不存在；提示：在政策目录中查看可申请的政策"
        raise NotFoundError(msg) from None
    kind = applicant_kind(measure)
    if kind != _KIND_OF_ROLE[caller.role]:
        who = _OTHER[_KIND_OF_ROLE[caller.role]] if kind else "辖区（不由单位或个人申请）"
        msg = f"{measure.title}由{who}申请，您的账号不能申请此项政策"
        raise ForbiddenError(msg)
    return measure


def _applicant(session: Session, request: Request, caller: Caller) -> Applicant:
    if caller.subject_id is None:
        msg = "您的账号尚未关联申请对象（单位或个人）；提示：请先完成注册与号码绑定"
        raise ForbiddenError(msg)
    subject: Subject = get_subject(session, caller, caller.subject_id)
    number = engine_of(request).protector.unseal(subject.number_sealed)  # stays on the server
    key = "uscc" if subject.kind == "enterprise" else "id_number"
    own = {"name": subject.name, key: number, "region": subject.region}
    return Applicant(subject.name, subject.number_masked, subject.region, own)


def _ref(measure: Measure) -> str:
    """The applicant's id in the facts the form makes (see :mod:`jiuye.facts.answers`)."""
    return {"employer": "E1", "agency": "E1", "person": "P1", "business": "B1"}[measure.beneficiary]


def _questions(request: Request, measure: Measure, caller: Caller) -> Questionnaire:
    kind = _KIND_OF_ROLE[caller.role]
    return questionnaire([measure], kind, engine_of(request).params, today(request), claim=True)


def _page(
    request: Request, measure: Measure, applicant: Applicant, values: dict[str, Any], errors: dict[str, str],
    rows: int, *, app: Application | None = None, status: int | None = None, **extra: Any,
) -> Response:  # fmt: skip
    q = _questions(request, measure, request.state.caller)
    own, rows_view = form_view(q, rows)
    context = {
        "measure": measure, "applicant": applicant, "own": own, "rows_view": rows_view, "rows": rows,
        "row_title": q.row_title, "values": values, "errors": errors, "app": app, "assessment": None,
        "reasons": json.loads(app.reasons or "[]") if app else [],
        "action_path": f"/my/applications/{app.id}/edit" if app else f"/my/apply/{measure.id}",
    } | extra  # fmt: skip
    return render(request, "forms/apply.html", context, status=status or (422 if errors else 200))


@router.get("/my/apply/{measure_id}")
def apply_form(request: Request, measure_id: str, caller: Claimant, session: SessionDep) -> Response:
    measure = _measure(measure_id, caller)
    applicant = _applicant(session, request, caller)
    return _page(request, measure, applicant, {}, {}, rows_of(dict(request.query_params)))


def _facts(
    request: Request, measure: Measure, applicant: Applicant, values: dict[str, Any], rows: int, ref: str
) -> Any:
    """The facts the answers give, or the problems by field."""
    answers = facts_from_answers(_questions(request, measure, request.state.caller), values, rows,
                                 own=applicant.own, own_id=ref)  # fmt: skip
    if answers.data is None:
        return None, answers.errors
    try:
        facts_from_data(answers.data)
    except FactsError as exc:
        return None, {"_form": str(exc)}
    return answers.data, {}


async def _step(
    request: Request, measure: Measure, applicant: Applicant, sessions: Any, app: Application | None
) -> Response:
    """One press of a button on the form: rows, check, save, submit."""
    caller: Caller = request.state.caller
    values = await read_form(request)
    rows = rows_of(values)
    action = action_of(values, "check")
    if action in ("add", "remove"):
        rows, note = rows_after(action, rows)
        return _page(request, measure, applicant, values, {"_form": note} if note else {}, rows, app=app)
    ref = app.claimant_ref if app else _ref(measure)
    data, errors = _facts(request, measure, applicant, values, rows, ref)
    if data is None:
        return _page(request, measure, applicant, values, errors, rows, app=app)
    engine = engine_of(request)
    try:
        if action in ("check", "calculate"):
            facts = facts_from_data(data)
            assessment = engine.decide(measure.id, ref, applicant.region, today(request), facts)
            return _page(request, measure, applicant, values, {}, rows, app=app, assessment=assessment)
        with transaction(sessions) as session:
            if app is None:
                saved = service.create_application(
                    session, engine, caller, measure_id=measure.id, subject_id=caller.subject_id or 0,
                    claimant_ref=ref, facts=data,
                )  # fmt: skip
            else:
                saved = service.update_facts(session, engine, caller, app.id, data)
            app_id = saved.id
    except (InputError, ForbiddenError) as exc:
        return _page(request, measure, applicant, values, {"_form": str(exc)}, rows, app=app, status=exc.status)
    if action == "save":
        return RedirectResponse(f"/my/applications/{app_id}/edit?saved=1", status_code=303)
    service.submit_staged(sessions, engine, caller, app_id, today=today(request))
    return RedirectResponse(f"/my/applications/{app_id}", status_code=303)


@router.post("/my/apply/{measure_id}")
async def apply_submit(request: Request, measure_id: str, caller: BriefClaimant, sessions: SessionsDep) -> Response:
    measure = _measure(measure_id, caller)
    with transaction(sessions) as session:
        applicant = _applicant(session, request, caller)
    return await _step(request, measure, applicant, sessions, None)


def _editable(session: Session, caller: Caller, application_id: int) -> Application:
    app = service.get_application(session, caller, application_id)  # the caller's own, else not found
    if caller.subject_id != app.subject_id:
        msg = f"申请 {application_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    if State(app.state) not in EDITABLE_STATES:
        msg = f"申请当前状态为“{State(app.state).label}”，不能修改；提示：草稿或退回补正的申请才能修改"
        raise ConflictError(msg)
    return app


@router.get("/my/applications/{application_id}/edit")
def edit_form(request: Request, application_id: Id, caller: Claimant, session: SessionDep, saved: int = 0) -> Response:
    app = _editable(session, caller, application_id)
    measure = _measure(app.measure_id, caller)
    applicant = _applicant(session, request, caller)
    data = json.loads(engine_of(request).protector.unseal(app.facts_sealed))
    values, rows = answers_from_facts(_questions(request, measure, caller), data, own_id=app.claimant_ref)
    flash = "草稿已保存；可继续修改，或检查后提交" if saved else None
    return _page(request, measure, applicant, values, {}, rows, app=app, flash=flash)


@router.post("/my/applications/{application_id}/edit")
async def edit_submit(request: Request, application_id: Id, caller: BriefClaimant, sessions: SessionsDep) -> Response:
    with transaction(sessions) as session:
        app = _editable(session, caller, application_id)
        applicant = _applicant(session, request, caller)
        session.expunge(app)
    return await _step(request, _measure(app.measure_id, caller), applicant, sessions, app)
