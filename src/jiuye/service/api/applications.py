"""Routes of applications: file, submit (the engine checks), accept, approve, object, close the notice."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jiuye.cases import State
from jiuye.money import fen_to_decimal
from jiuye.service import amounts
from jiuye.service import applications as service
from jiuye.service.api.deps import (
    BriefCallerDep,
    CallerDep,
    Fen,
    Id,
    Offset,
    SessionDep,
    SessionsDep,
    engine_of,
    today,
)
from jiuye.service.db import transaction
from jiuye.service.models import Application, Subject

__all__ = ["router"]

router = APIRouter(prefix="/applications", tags=["申请"])


class ApplicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measure_id: str = Field(max_length=64, description="政策编号，如 gx.expansion")
    subject_id: Id = Field(description="申请对象（单位或个人）编号；经办代办时为被代理的对象，补贴只发给该对象")
    claimant_ref: str = Field(max_length=64, description="申请对象在事实中的编号，如 E1")
    facts: dict[str, Any] = Field(description="引擎需要的事实（格式同 jiuye eval 的事实文件）")


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500, description="理由（申请人可见）")


class FactsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facts: dict[str, Any]


class Objection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500)


class AmountSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_fen: Fen = Field(ge=0, description="核定金额（分），不超过政策规定的最高限额")
    reason: str = Field(max_length=500, description="核定依据（申请人可见的审计记录）")


class DecisionProvenance(BaseModel):
    engine_version: str = Field(description="引擎版本")
    rule_hash: str | None = Field(description="规则与所用参数的哈希（SHA-256）：规则文件与参数取值不变则不变")
    parameter_dates: dict[str, list[dt.date]] = Field(
        description="所用参数及其各取值的适用起始日（按事件日期分段，每段一个；空：尚无取值）"
    )
    facts_hash: str | None = Field(description="事实的哈希（SHA-256，按规范化 JSON 计算）")
    as_of: dt.date = Field(description="评估日期")
    region: str = Field(description="地区代码")


def _provenance(text: str | None) -> DecisionProvenance | None:
    return DecisionProvenance.model_validate(json.loads(text)) if text else None


class ApplicationPublic(BaseModel):
    id: int
    measure_id: str
    subject_id: int
    region: str
    state: str
    state_label: str
    source: str
    filed_by: int | None = Field(description="提出申请的用户编号（本人、本单位或代为申请的经办人员）")
    filed_as: str | None = Field(description="提出申请时的身份：enterprise 单位、individual 个人、caseworker 经办代办")
    subject_identity: str = Field(description="申请对象身份：verified 已核验，pending 待人工核验（不能核准、发放）")
    status_submitted: str | None
    amount_submitted: str | None = Field(
        description="提交时引擎算出的应发金额（元）；只规定最高限额而事实不足以确定时为空"
    )
    ceiling_submitted: str | None = Field(
        default=None, description="提交时引擎算出的最高限额（元；原文“最高”“不超过”），不是应发金额"
    )
    amount_set: str | None = Field(default=None, description="经办人员在最高限额内核定的金额（元）")
    reasons: list[str]
    notice_last_day: dt.date | None
    amount_approved: str | None = Field(description="核准时重新核定的金额（元）")
    as_of_approved: dt.date | None
    provenance_submitted: DecisionProvenance | None = Field(default=None, description="提交时引擎决定的来源")
    provenance_approved: DecisionProvenance | None = Field(default=None, description="核准时引擎决定的来源")


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else str(fen_to_decimal(fen))


def _identities(session: Session, apps: list[Application]) -> dict[int, str]:
    ids = {app.subject_id for app in apps}
    query = select(Subject.id, Subject.identity_status).where(Subject.id.in_(ids))
    return {row.id: row.identity_status for row in session.execute(query)} if ids else {}


def _public_in(session: Session, app: Application) -> ApplicationPublic:
    return _public(app, _identities(session, [app])[app.subject_id])


def _public_after(sessions: sessionmaker[Session], app: Application) -> ApplicationPublic:
    """For a route that ran its own transactions: the subject's status read in a short one."""
    with transaction(sessions) as session:
        return _public_in(session, app)


def _public(app: Application, identity: str) -> ApplicationPublic:
    return ApplicationPublic(
        id=app.id,
        measure_id=app.measure_id,
        subject_id=app.subject_id,
        region=app.region,
        state=app.state,
        state_label=State(app.state).label,
        source=app.source,
        filed_by=app.submitted_by,
        filed_as=app.filed_as,
        subject_identity=identity,
        status_submitted=app.status_submitted,
        amount_submitted=_yuan(app.amount_submitted_fen),
        ceiling_submitted=_yuan(app.ceiling_submitted_fen),
        amount_set=_yuan(app.amount_set_fen),
        reasons=json.loads(app.reasons or "[]"),
        notice_last_day=app.notice_last_day,
        amount_approved=_yuan(app.amount_approved_fen),
        as_of_approved=app.as_of_approved,
        provenance_submitted=_provenance(app.provenance_submitted),
        provenance_approved=_provenance(app.provenance_approved),
    )


@router.post("", operation_id="createApplication", response_model=ApplicationPublic, status_code=201)
def create(body: ApplicationCreate, request: Request, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """提出申请（草稿）：事实逐字段校验，含身份证号码的事实加密保存。"""
    app = service.create_application(session, engine_of(request), caller, **body.model_dump())
    return _public_in(session, app)


@router.get("", operation_id="listApplications", response_model=list[ApplicationPublic])
def list_all(
    caller: CallerDep,
    session: SessionDep,
    state: str | None = None,
    measure_id: str | None = None,
    source: Literal["self", "caseworker", "proactive"] | None = None,
    limit: int = Query(default=100, ge=1, le=500),
    offset: Offset = 0,
) -> list[ApplicationPublic]:
    """申请列表（新的在前）：工作人员看本辖区的，单位和个人看自己的；可按状态、政策、来源筛选。"""
    found = service.list_applications(
        session, caller, state=state, measure_id=measure_id, source=source, limit=limit, offset=offset
    )
    identities = _identities(session, found)
    return [_public(app, identities[app.subject_id]) for app in found]


@router.get("/{application_id}", operation_id="getApplication", response_model=ApplicationPublic)
def get(application_id: Id, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """一件申请（本辖区或本人的）。"""
    return _public_in(session, service.get_application(session, caller, application_id))


@router.post("/{application_id}/submit", operation_id="submitApplication", response_model=ApplicationPublic)
def submit(application_id: Id, request: Request, caller: BriefCallerDep, sessions: SessionsDep) -> ApplicationPublic:
    """提交；引擎按今天的日期自动校验（并查发放台账），通过则待受理，否则退回补正并说明理由。
    引擎计算期间不占用写事务；其间申请被他人改动则不生效（409）。"""
    app = service.submit_staged(sessions, engine_of(request), caller, application_id, today=today(request))
    return _public_after(sessions, app)


@router.post("/{application_id}/accept", operation_id="acceptApplication", response_model=ApplicationPublic)
def accept(application_id: Id, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """经办人员受理并送审。"""
    return _public_in(session, service.accept(session, caller, application_id))


@router.post("/{application_id}/amount", operation_id="setApplicationAmount", response_model=ApplicationPublic)
def set_amount(application_id: Id, body: AmountSet, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """核定金额：政策只规定最高限额（“最高”“不超过”）而事实不足以算出应发金额的，由经办或审核人员在限额内
    核定（须写明依据），审核前完成；未核定的不能核准，超过限额的拒绝（422）。"""
    return _public_in(session, amounts.set_amount(session, caller, application_id, body.amount_fen, body.reason))


@router.post("/{application_id}/approve", operation_id="approveApplication", response_model=ApplicationPublic)
def approve(application_id: Id, request: Request, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """审核通过（按金额分级，须不同审核人员；经办、提交人不得审核）；凑齐后发布公示。"""
    return _public_in(session, service.approve(session, caller, application_id, today=today(request)))


@router.post("/{application_id}/objections", operation_id="objectToApplication", response_model=ApplicationPublic)
def objection(application_id: Id, body: Objection, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """登记公示异议：退回审核，此前的审核意见不再计数。"""
    return _public_in(session, service.object_to(session, caller, application_id, body.reason))


@router.post("/{application_id}/close-notice", operation_id="closeNotice", response_model=ApplicationPublic)
def close_notice(
    application_id: Id, request: Request, caller: BriefCallerDep, sessions: SessionsDep
) -> ApplicationPublic:
    """公示期满核准：按今天重新计算，并在核准的同一事务中写入发放台账（同一事项只能有一项有效补贴）；
    重新计算期间申请被他人改动或已核准则不生效（409）。"""
    app = service.close_notice_staged(sessions, engine_of(request), caller, application_id, today=today(request))
    return _public_after(sessions, app)


@router.put("/{application_id}/facts", operation_id="updateApplicationFacts", response_model=ApplicationPublic)
def update_facts(
    application_id: Id, body: FactsUpdate, request: Request, caller: CallerDep, session: SessionDep
) -> ApplicationPublic:
    """修改草稿或退回补正申请的事实（之后重新提交）。"""
    return _public_in(session, service.update_facts(session, engine_of(request), caller, application_id, body.facts))


@router.post("/{application_id}/return", operation_id="returnApplication", response_model=ApplicationPublic)
def return_for_revision(application_id: Id, body: Reason, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """退回补正（须写明理由，申请人可见）。"""
    return _public_in(session, service.return_for_revision(session, caller, application_id, body.reason))


@router.post("/{application_id}/reject", operation_id="rejectApplication", response_model=ApplicationPublic)
def reject(application_id: Id, body: Reason, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """不予通过（审核人员；须写明理由，申请人可见）。"""
    return _public_in(session, service.reject(session, caller, application_id, body.reason))


@router.post("/{application_id}/withdraw", operation_id="withdrawApplication", response_model=ApplicationPublic)
def withdraw(application_id: Id, caller: CallerDep, session: SessionDep) -> ApplicationPublic:
    """撤回申请（申请人本人或经办人员）。"""
    return _public_in(session, service.withdraw(session, caller, application_id))
