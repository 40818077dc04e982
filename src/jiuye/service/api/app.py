"""The FastAPI application: routes with stable operation ids, Chinese errors, scoped data."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlalchemy import inspect

from jiuye.params import load_parameters
from jiuye.service import subjects as subject_service
from jiuye.service.api.applications import router as applications_router
from jiuye.service.api.assistance import router as assistance_router
from jiuye.service.api.deliveries import router as deliveries_router
from jiuye.service.api.deps import CallerDep, Id, Limit, Offset, ProtectorDep, SessionDep, SessionsDep, SettingsDep
from jiuye.service.api.errors import ERROR_RESPONSES, install_error_handlers
from jiuye.service.api.funds import router as funds_router
from jiuye.service.api.guards import clean_text, request_guard
from jiuye.service.api.jobs import router as jobs_router
from jiuye.service.api.payments import accounts as accounts_router
from jiuye.service.api.payments import batches as batches_router
from jiuye.service.api.safety import router as safety_router
from jiuye.service.api.schemas import (
    AuditReport,
    Me,
    Revealed,
    SubjectCreate,
    SubjectPublic,
    Token,
    UnmaskRequest,
    VerifyRequest,
)
from jiuye.service.api.users import registration as registration_router
from jiuye.service.api.users import users as users_router
from jiuye.service.api.voids import router as voids_router
from jiuye.service.applications import Engine
from jiuye.service.audit import verify_chain
from jiuye.service.auth import issue_token
from jiuye.service.db import make_engine, make_sessions
from jiuye.service.demo import DemoClock
from jiuye.service.errors import ForbiddenError
from jiuye.service.login import LoginPolicy
from jiuye.service.login import login as attempt_login
from jiuye.service.models import JobPosting, LocalParameterFile, Subject
from jiuye.service.parameter_files import stored_parameters
from jiuye.service.posting_index import serve
from jiuye.service.protect import Protector
from jiuye.service.registration import log_code
from jiuye.service.settings import Settings

__all__ = ["create_app"]


def _public(subject: Subject) -> SubjectPublic:
    return SubjectPublic(
        id=subject.id,
        kind=subject.kind,
        name=subject.name,
        region=subject.region,
        number=subject.number_masked,
        phone=subject.phone_masked,
        birth_date=subject.birth_date,
        identity_status=subject.identity_status,
    )


auth = APIRouter(prefix="/auth", tags=["登录"])
subjects = APIRouter(prefix="/subjects", tags=["对象（单位与个人）"])
audit = APIRouter(prefix="/audit", tags=["审计"])


@auth.post("/token", operation_id="login", response_model=Token)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    sessions: SessionsDep,
    settings: SettingsDep,
) -> Token:
    """用户名与口令换取登录凭证（Bearer，过期后须重新登录）。连续失败将暂时锁定账号名与来源地址。"""
    address = request.client.host if request.client else "unknown"  # named assumption: no proxy in front
    user = attempt_login(
        sessions, username=form.username, password=form.password, address=address, policy=request.app.state.login_policy
    )
    token = issue_token(user, settings.token_key, settings.token_minutes)
    return Token(access_token=token, expires_in=settings.token_minutes * 60)


@auth.get("/me", operation_id="whoami", response_model=Me)
def whoami(caller: CallerDep) -> Me:
    """当前登录用户的角色与辖区。"""
    return Me(username=caller.username, role=caller.role, region=caller.region, subject_id=caller.subject_id)


@subjects.post("", operation_id="registerSubject", response_model=SubjectPublic, status_code=201)
def register_subject(
    body: SubjectCreate, caller: CallerDep, session: SessionDep, protector: ProtectorDep
) -> SubjectPublic:
    """登记单位或个人（号码校验、按号码去重；号码只存密文、盲索引与脱敏值）。"""
    subject = subject_service.register_subject(session, protector, caller, **body.model_dump())
    return _public(subject)


@subjects.get("", operation_id="listSubjects", response_model=list[SubjectPublic])
def list_subjects(
    caller: CallerDep, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> list[SubjectPublic]:
    """本辖区（或本人）的对象，号码脱敏。"""
    return [_public(s) for s in subject_service.list_subjects(session, caller, limit=limit, offset=offset)]


@subjects.get("/{subject_id}", operation_id="getSubject", response_model=SubjectPublic)
def get_subject(subject_id: Id, caller: CallerDep, session: SessionDep) -> SubjectPublic:
    """一个对象（号码脱敏）；查看个人信息记入审计日志。"""
    return _public(subject_service.get_subject(session, caller, subject_id))


@subjects.post("/{subject_id}/unmask", operation_id="unmaskSubject", response_model=Revealed)
def unmask_subject(
    subject_id: Id, body: UnmaskRequest, caller: CallerDep, session: SessionDep, protector: ProtectorDep
) -> Revealed:
    """查看完整号码与电话：限经办、财务、审计角色，须说明事由，记入审计日志。"""
    revealed = subject_service.unmask_subject(session, protector, caller, subject_id, body.reason)
    return Revealed(subject_id=revealed.subject_id, number=revealed.number, phone=revealed.phone)


@subjects.post("/{subject_id}/verify", operation_id="verifySubject", response_model=SubjectPublic)
def verify_subject(subject_id: Id, body: VerifyRequest, caller: CallerDep, session: SessionDep) -> SubjectPublic:
    """人工核验对象身份（所在地经办人员，须写明依据，记入审计日志）；核验前其申请不能核准、发放。"""
    return _public(subject_service.verify_subject(session, caller, subject_id, body.reason))


@audit.get("/verify", operation_id="verifyAuditChain", response_model=AuditReport)
def verify_audit(caller: CallerDep, session: SessionDep) -> AuditReport:
    """逐条核验审计日志哈希链（审计、管理员）。"""
    if caller.role not in ("auditor", "admin"):
        msg = "只有审计人员和管理员可以核验审计日志"
        raise ForbiddenError(msg)
    report = verify_chain(session)
    return AuditReport(intact=report.intact, events=report.events, broken_at=report.broken_at, message=report.message())


def _china_today() -> dt.date:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()  # 北京时间


class DemoToday(BaseModel):
    today: dt.date


def _demo_routes(clock: DemoClock) -> APIRouter:
    demo = APIRouter(prefix="/demo", tags=["演示"])

    @demo.post("/today", operation_id="setDemoToday", response_model=DemoToday)
    def set_today(body: DemoToday, caller: CallerDep) -> DemoToday:
        """演示模式专用：设定“今天”，以便不必等待公示期（仅管理员；正式服务没有此接口）。"""
        if caller.role != "admin":
            msg = "只有管理员可以设定演示日期"
            raise ForbiddenError(msg)
        clock.today = body.today
        return DemoToday(today=clock.today)

    return demo


@asynccontextmanager
async def _local_parameters(app: FastAPI) -> AsyncIterator[None]:
    """At start-up (not when the app is built: building opens no database connection), the engine
    takes the bureau's stored local parameter files; an upload gives it them again afterwards."""
    if inspect(app.state.engine).has_table(LocalParameterFile.__tablename__):  # else: no files (nor service) yet
        with app.state.sessions() as session:
            app.state.engine_service.params = stored_parameters(session, load_parameters())
    if inspect(app.state.engine).has_table(JobPosting.__tablename__):
        app.state.posting_index.start()  # in the background: requests wait for it only when they need it
    yield


def create_app(
    settings: Settings, *, clock: Callable[[], dt.date] | None = None, demo_clock: DemoClock | None = None
) -> FastAPI:
    """The service over the database of ``settings`` (already migrated: ``jiuye db upgrade``).

    ``clock`` gives "today" (Beijing time by default): the date decisions are made as of.
    ``demo_clock`` (demo mode only) is a clock the administrator may set, through ``/demo/today``.
    """
    app = FastAPI(
        title="稳就业政策服务平台 · 案件服务",
        version="0.1.0",
        description="网上申领、网上审核、网上发放、直补个人（建设中）。错误以中文说明并带稳定的错误码。",
        dependencies=[Depends(clean_text)],
        docs_url=None,  # served by the web layer from local assets (no CDN on an intranet)
        redoc_url=None,
        lifespan=_local_parameters,
    )
    engine = make_engine(settings.database_url)
    app.state.engine = engine
    app.state.sessions = make_sessions(engine, audit_key=settings.audit_key)
    app.state.login_policy = LoginPolicy()
    app.state.code_sender = log_code  # no SMS gateway yet: codes go to the service log
    app.state.settings = settings
    app.state.protector = Protector(settings.index_key, settings.encryption_key)
    app.state.engine_service = Engine(load_parameters(), app.state.protector, max_persons=settings.max_claim_persons)
    app.state.clock = demo_clock or clock or _china_today
    app.state.posting_index = serve(engine, app.state.sessions, app.state.clock)
    install_error_handlers(app)
    app.middleware("http")(request_guard)
    routers = (
        auth, subjects, accounts_router, applications_router, batches_router, funds_router, safety_router,
        assistance_router, jobs_router, deliveries_router, audit, users_router, registration_router, voids_router,
    )  # fmt: skip
    for router in routers:
        app.include_router(router, responses=ERROR_RESPONSES)
    if demo_clock is not None:
        app.include_router(_demo_routes(demo_clock), responses=ERROR_RESPONSES)
    from jiuye.web import install_web  # the pages import the API's dependencies: imported once both exist

    install_web(app)
    return app
