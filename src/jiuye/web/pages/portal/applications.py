"""``/my/applications``: the claimant's applications, paged, and one application's status: every
step with its date, role and reason, the engine's decision at submission, the notice period, the
payments for it, the evidence; withdraw, and a link to correct it when returned or a draft."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from jiuye.cases import EDITABLE_STATES, Action, Role, State, TransitionError, transition
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, NEEDS_FACTS
from jiuye.service import applications as service
from jiuye.service.api.deps import Id, SessionDep
from jiuye.service.casework import claimant_sees
from jiuye.service.evidence import EVIDENCE_STATES, MAX_EVIDENCE_BYTES, list_evidence
from jiuye.service.models import Application, BankAccount
from jiuye.service.received import payments_received
from jiuye.web.pages.portal.common import ClaimantCaller, measure_title, steps_of
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render

__all__ = ["router"]

router = APIRouter()
DECISION_LABELS = {ELIGIBLE: "符合", INELIGIBLE: "不符合", NEEDS_FACTS: "待补充事实"}
SOURCE_LABELS = {"self": "本人在线申请", "caseworker": "经办人员代办", "proactive": "免申即享（政策找人）"}


@router.get("/my/applications")
def my_applications(
    request: Request, caller: ClaimantCaller, session: SessionDep, page: PageNo = 1, per_page: PerPage = 20
) -> Response:
    total = session.scalar(select(func.count()).select_from(Application).where(claimant_sees(caller))) or 0
    paging = Paging.of(page=page, per_page=per_page, total=total)
    found = service.list_applications(session, caller, limit=paging.per_page, offset=paging.offset)
    rows = [(app, measure_title(app.measure_id)) for app in found]
    return render(request, "portal/applications.html", {"rows": rows, "paging": paging, "sources": SOURCE_LABELS})


def _may_withdraw(app: Application, role: str) -> bool:
    try:
        transition(State(app.state), Action.WITHDRAW, role=Role(role), own=True)
    except TransitionError:
        return False
    return True


def application_context(session: SessionDep, caller: ClaimantCaller, application_id: int) -> dict[str, object]:
    app = service.get_application(session, caller, application_id)
    _, payments = payments_received(session, caller, application_id=app.id, limit=50)
    account = session.get(BankAccount, app.confirmed_account_id) if app.confirmed_account_id else None
    return {
        "app": app,
        "measure_name": measure_title(app.measure_id),
        "steps": steps_of(session, app),
        "decision": DECISION_LABELS.get(app.status_submitted or ""),
        "reasons": json.loads(app.reasons or "[]"),
        "payments": payments,
        "evidence": list_evidence(session, caller, app.id),
        "evidence_open": State(app.state) in EVIDENCE_STATES,
        "max_mb": MAX_EVIDENCE_BYTES // 1048576,
        "editable": State(app.state) in EDITABLE_STATES,
        "may_withdraw": _may_withdraw(app, caller.role),
        "source": SOURCE_LABELS.get(app.source, app.source),
        "confirmed_account": account,
    }


@router.get("/my/applications/{application_id}")
def my_application(
    request: Request, application_id: Id, caller: ClaimantCaller, session: SessionDep, done: str | None = None
) -> Response:
    context = application_context(session, caller, application_id)
    context["flash"] = {"withdrawn": "申请已撤回。", "uploaded": "材料已上传。"}.get(done or "")
    return render(request, "portal/application.html", context)


@router.post("/my/applications/{application_id}/withdraw")
def withdraw(application_id: Id, caller: ClaimantCaller, session: SessionDep) -> Response:
    service.withdraw(session, caller, application_id)
    return RedirectResponse(f"/my/applications/{application_id}?done=withdrawn", status_code=303)
