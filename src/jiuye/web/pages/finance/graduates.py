"""A graduate's page in the 1131 ledger: what of the plan is owed and overdue, the services given,
the jobs pushed; recording a service with its evidence (``recordService``) and a pushed job's next
step (``advancePush``), through :mod:`jiuye.service.assistance` as the API does."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from jiuye.assistance import GraduateStatus, ServiceKind, Stage
from jiuye.service import assistance, job_matching
from jiuye.service.api.deps import Id, SessionDep, today
from jiuye.service.auth import Caller
from jiuye.service.graduate_file import graduate_file
from jiuye.service.models import Graduate, JobPush, ServiceEvent
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.finance.common import attempt, cn_dates
from jiuye.web.pages.finance.ledger import plan_rules
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["router"]

router = APIRouter()
KIND_CHOICES = [(k.value, k.label) for k in ServiceKind]
STAGE_CHOICES = [(s.value, s.label) for s in Stage if s is not Stage.PUSHED]
STATUS_CHOICES = [(s.value, s.label) for s in GraduateStatus if s is not GraduateStatus.REGISTERED]


class ServiceForm(BaseModel):
    kind: ServiceKind
    on: dt.date
    channel: str = Field(max_length=16)
    evidence: str = Field(min_length=4, max_length=500)


class StageForm(BaseModel):
    push_id: int = Field(ge=1, le=2**31 - 1)
    stage: Stage
    on: dt.date


def _page(
    request: Request, session: SessionDep, caller: Caller, graduate_id: int, *, values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    day = today(request)
    found = graduate_file(session, caller, graduate_id, today=day)
    trails = {p.id: [(Stage(s).label, d) for s, d in json.loads(p.trail)] for p in found.pushes}
    context = {
        "g": found, "owed": cn_dates(found.plan.owed_text()), "trails": trails, "kinds": KIND_CHOICES,
        "stages": STAGE_CHOICES, "statuses": STATUS_CHOICES,
        "status_label": GraduateStatus(found.graduate.status).label,
        "channels": [(c, c) for c in assistance.CHANNELS], "values": values or {"on": day.isoformat()},
        "errors": errors or {}, "can_act": caller.role in ("caseworker", "admin"),
        "saved": request.query_params.get("saved"), "rules": plan_rules(day),
        "stage_labels": {s.value: s.label for s in Stage},
        "hardship": "、".join(assistance.HARDSHIP_LABELS.get(f, f) for f in found.graduate.hardship.split(",") if f),
    }  # fmt: skip
    return render(request, "finance/graduate.html", context, status=status)


@router.get("/staff/ledger/graduates/{graduate_id}")
def graduate_page(request: Request, graduate_id: Id, session: SessionDep, caller: StaffCaller) -> Response:
    return _page(request, session, caller, graduate_id)


@router.post("/staff/ledger/graduates/{graduate_id}/services")
async def record_service(request: Request, graduate_id: Id, session: SessionDep, caller: StaffCaller) -> Response:
    graduate_file(session, caller, graduate_id, today=today(request))  # not found before anything else
    form = validate(ServiceForm, await read_form(request))
    model = form.model
    if model is None:
        return _page(request, session, caller, graduate_id, values=form.values, errors=form.errors, status=422)
    if model.on > today(request):
        errors = {"on": "服务日期不能晚于今天"}
        return _page(request, session, caller, graduate_id, values=form.values, errors=errors, status=422)

    def record() -> ServiceEvent:
        return assistance.record_service(session, caller, graduate_id, kind=model.kind, on=model.on,
                                         channel=model.channel, evidence=model.evidence)  # fmt: skip

    _, refused = attempt(session, record)
    if refused is not None:
        errors = {"_form": str(refused)}
        return _page(request, session, caller, graduate_id, values=form.values, errors=errors, status=refused.status)
    return RedirectResponse(f"/staff/ledger/graduates/{graduate_id}?saved=1", status_code=303)


@router.post("/staff/ledger/graduates/{graduate_id}/pushes")
async def advance_push(request: Request, graduate_id: Id, session: SessionDep, caller: StaffCaller) -> Response:
    found = graduate_file(session, caller, graduate_id, today=today(request))
    form = validate(StageForm, await read_form(request))
    model = form.model
    prefix = "push_"
    if model is None:
        errors = {prefix + k: v for k, v in form.errors.items()}
        return _page(request, session, caller, graduate_id, errors=errors, status=422)
    if model.push_id not in {p.id for p in found.pushes}:  # another graduate's push: not this page's to move
        errors = {"push__form": f"岗位推送 {model.push_id} 不属于该帮扶对象"}
        return _page(request, session, caller, graduate_id, errors=errors, status=404)
    if model.on > today(request):
        return _page(request, session, caller, graduate_id, errors={"push_on": "日期不能晚于今天"}, status=422)

    def move() -> JobPush:
        return assistance.advance_push(session, caller, model.push_id, model.stage, on=model.on)

    _, refused = attempt(session, move)
    if refused is not None:
        errors = {"push__form": str(refused)}
        return _page(request, session, caller, graduate_id, errors=errors, status=refused.status)
    return RedirectResponse(f"/staff/ledger/graduates/{graduate_id}?saved=1", status_code=303)


class PushForm(BaseModel):
    channel: str = Field(max_length=16)


@router.post("/staff/ledger/graduates/{graduate_id}/push-jobs")
async def push_jobs(request: Request, graduate_id: Id, session: SessionDep, caller: StaffCaller) -> Response:
    """3–5 targeted jobs (gx38（十七）), chosen as ``pushJobs`` chooses them; each is a 岗位推荐 service."""
    graduate_file(session, caller, graduate_id, today=today(request))
    form = validate(PushForm, await read_form(request))
    if form.model is None:
        return _page(request, session, caller, graduate_id, errors={"push__form": "请选择推送方式"}, status=422)
    channel = form.model.channel

    def push() -> list[JobPush]:
        return assistance.push_jobs(session, caller, graduate_id, today=today(request),
                                    choose=job_matching.targeted_chooser, channel=channel)  # fmt: skip

    _, refused = attempt(session, push)
    if refused is not None:
        errors = {"push__form": str(refused)}
        return _page(request, session, caller, graduate_id, errors=errors, status=refused.status)
    return RedirectResponse(f"/staff/ledger/graduates/{graduate_id}?saved=1", status_code=303)


class StatusForm(BaseModel):
    status: GraduateStatus
    on: dt.date
    reason: str = Field(min_length=4, max_length=500)


@router.post("/staff/ledger/graduates/{graduate_id}/status")
async def set_status(request: Request, graduate_id: Id, session: SessionDep, caller: StaffCaller) -> Response:
    """Employed, no wish to work, unreachable, back in service (``setGraduateStatus``), with why."""
    graduate_file(session, caller, graduate_id, today=today(request))
    form = validate(StatusForm, await read_form(request))
    model = form.model
    errors = {f"status_{k}": v for k, v in form.errors.items()}
    if model is not None and model.on > today(request):
        errors["status_on"] = "日期不能晚于今天"
    if model is None or errors:
        values = {f"status_{k}": v for k, v in form.values.items()}
        return _page(request, session, caller, graduate_id, values=values, errors=errors, status=422)

    def change() -> Graduate:
        return assistance.set_status(session, caller, graduate_id, model.status, on=model.on, reason=model.reason)

    _, refused = attempt(session, change)
    if refused is not None:
        values = {f"status_{k}": v for k, v in form.values.items()}
        errors = {"status__form": str(refused)}
        return _page(request, session, caller, graduate_id, values=values, errors=errors, status=refused.status)
    return RedirectResponse(f"/staff/ledger/graduates/{graduate_id}?saved=1", status_code=303)
