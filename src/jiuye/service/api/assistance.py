"""Routes of the real-name assistance ledger (1131 service): graduates, services, status, the trail
of pushed jobs, and the ledger as JSON or Excel."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from jiuye.assistance import GraduateStatus, ServiceKind, Stage
from jiuye.jobs.model import Seeker
from jiuye.jobs.seekers import SeekerInputError, read_resume, read_seeker_form
from jiuye.service import assistance as service
from jiuye.service.api.deps import CallerDep, Id, SessionDep, engine_of, today
from jiuye.service.errors import InputError
from jiuye.service.models import Graduate, JobPush

__all__ = ["PushPublic", "push_public", "router"]

router = APIRouter(tags=["实名帮扶"])
Hardship = Literal["low_income_family", "zero_employment_family", "poverty_monitoring", "disabled"]


class GraduateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: str = Field(max_length=18, description="公民身份号码")
    name: str = Field(max_length=50)
    region: str = Field(max_length=6, description="常住地行政区划代码")
    graduated_on: dt.date = Field(description="毕业（离校）日期")
    school: str = Field(default="", max_length=200)
    major: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    hardship: list[Hardship] = Field(default_factory=list, description="困难类别")
    unemployment_registered_on: dt.date | None = None
    profile: dict[str, Any] | None = Field(
        default=None, description="求职意向表单：期望职位、期望城市、期望薪资、学历、工作经验、技能（中文或英文键）"
    )
    resume: str | None = Field(default=None, max_length=20_000, description="或：简历文本")


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile: dict[str, Any] | None = None
    resume: str | None = Field(default=None, max_length=20_000)


class GraduatePublic(BaseModel):
    id: int
    region: str
    status: str
    status_label: str
    status_since: dt.date
    registered_on: dt.date
    graduated_on: dt.date
    school: str
    hardship: list[str]


class ServiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ServiceKind
    on: dt.date
    channel: str = Field(max_length=16, description="上门走访、电话、短信、线上、窗口、招聘会")
    evidence: str = Field(max_length=500, description="服务内容或凭证")


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: GraduateStatus
    on: dt.date
    reason: str = Field(max_length=500)


class StageChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: Stage
    on: dt.date


class PushPublic(BaseModel):
    id: int
    graduate_id: int
    posting_id: str
    pushed_on: dt.date
    targeted: bool
    stage: str
    stage_label: str
    stage_on: dt.date
    explanation: str


class LedgerRowPublic(BaseModel):
    graduate_id: int
    name: str
    number: str = Field(description="公民身份号码（脱敏）")
    region: str
    caseworker: str
    status: str
    hardship: str
    registered_on: dt.date
    owed: str = Field(description="尚未提供的“1131”服务及到期日")
    overdue_since: dt.date | None
    pushes: dict[str, int]


def _public(g: Graduate) -> GraduatePublic:
    status = GraduateStatus(g.status)
    return GraduatePublic(
        id=g.id, region=g.region, status=status.value, status_label=status.label, status_since=g.status_since,
        registered_on=g.registered_on, graduated_on=g.graduated_on, school=g.school,
        hardship=[f for f in g.hardship.split(",") if f],
    )  # fmt: skip


def push_public(p: JobPush) -> PushPublic:
    stage = Stage(p.stage)
    return PushPublic(
        id=p.id, graduate_id=p.graduate_id, posting_id=p.posting_id, pushed_on=p.pushed_on, targeted=p.targeted,
        stage=stage.value, stage_label=stage.label, stage_on=p.stage_on, explanation=p.explanation,
    )  # fmt: skip


def _seeker(profile: dict[str, Any] | None, resume: str | None, day: dt.date) -> Seeker | None:
    """The seeker profile from a form or a resume text; a form's unreadable values are refused (422)."""
    try:
        if profile:
            return read_seeker_form(profile).seeker
        if resume:
            return read_resume(resume, reference=day).seeker
    except SeekerInputError as exc:
        raise InputError(str(exc)) from None
    return None


@router.post("/graduates", operation_id="registerGraduate", response_model=GraduatePublic, status_code=201)
def register(body: GraduateCreate, request: Request, caller: CallerDep, session: SessionDep) -> GraduatePublic:
    """登记离校未就业高校毕业生入实名帮扶台账（按 gx.grad.1131 规则核对；经办人员）。"""
    day = today(request)
    graduate = service.register_graduate(
        session, engine_of(request), caller, number=body.id_number, name=body.name,
        region=body.region, graduated_on=body.graduated_on, today=day, school=body.school,
        major=body.major, phone=body.phone, hardship=body.hardship,
        unemployment_registered_on=body.unemployment_registered_on,
        profile=_seeker(body.profile, body.resume, day),
    )  # fmt: skip
    return _public(graduate)


@router.put("/graduates/{graduate_id}/profile", operation_id="updateGraduateProfile", response_model=GraduatePublic)
def update_profile(
    graduate_id: Id, body: ProfileUpdate, request: Request, caller: CallerDep, session: SessionDep
) -> GraduatePublic:
    """更新求职意向（表单或简历文本），作为推荐岗位的依据。"""
    seeker = _seeker(body.profile, body.resume, today(request))
    if seeker is None:
        msg = "须提供 profile（求职意向表单）或 resume（简历文本）"
        raise InputError(msg)
    return _public(service.update_profile(session, caller, graduate_id, seeker))


@router.get("/graduates/{graduate_id}", operation_id="getGraduate", response_model=GraduatePublic)
def get(graduate_id: Id, caller: CallerDep, session: SessionDep) -> GraduatePublic:
    """一名帮扶对象（本辖区的）。"""
    return _public(service.get_graduate(session, caller, graduate_id))


@router.post("/graduates/{graduate_id}/services", operation_id="recordService", response_model=GraduatePublic,
             status_code=201)  # fmt: skip
def record_service(graduate_id: Id, body: ServiceCreate, caller: CallerDep, session: SessionDep) -> GraduatePublic:
    """记录一次服务（政策宣介、职业指导、岗位推荐、培训、见习、联系）。"""
    service.record_service(
        session, caller, graduate_id, kind=body.kind, on=body.on, channel=body.channel, evidence=body.evidence
    )
    return _public(service.get_graduate(session, caller, graduate_id))


@router.post("/graduates/{graduate_id}/status", operation_id="setGraduateStatus", response_model=GraduatePublic)
def set_status(graduate_id: Id, body: StatusChange, caller: CallerDep, session: SessionDep) -> GraduatePublic:
    """变更帮扶状态，须写明依据。"""
    return _public(service.set_status(session, caller, graduate_id, body.status, on=body.on, reason=body.reason))


@router.post("/pushes/{push_id}/stage", operation_id="advancePush", response_model=PushPublic)
def advance(push_id: Id, body: StageChange, caller: CallerDep, session: SessionDep) -> PushPublic:
    """推送岗位的进展：查看、投递、面试、录用（或本人放弃、未被录用）。"""
    return push_public(service.advance_push(session, caller, push_id, body.stage, on=body.on))


@router.get("/ledger", operation_id="listLedger", response_model=list[LedgerRowPublic])
def list_ledger(
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    caseworker: str | None = None,
    region: str | None = None,
    overdue: bool = False,
) -> list[LedgerRowPublic]:
    """实名帮扶台账：谁尚欠哪些“1131”服务、自何日起逾期（工作人员，本辖区；可按帮扶人员、辖区内地区筛选）。"""
    rows = service.ledger(
        session, caller, today=today(request), caseworker=caseworker, region=region, overdue_only=overdue
    )
    return [LedgerRowPublic(**vars(r)) for r in rows]


@router.get("/ledger.xlsx", operation_id="exportLedger")
def export_ledger(
    request: Request, caller: CallerDep, session: SessionDep, caseworker: str | None = None, overdue: bool = False
) -> Response:
    """台账 Excel（身份号码脱敏）。"""
    day = today(request)
    rows = service.ledger(session, caller, today=day, caseworker=caseworker, overdue_only=overdue)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = {"Content-Disposition": f'attachment; filename="ledger-{day.isoformat()}.xlsx"'}
    return Response(service.export_ledger(rows, today=day), media_type=kind, headers=disposition)
