"""The real-name assistance ledger (桂人社发〔2025〕38号（十七）: 建立"一对一"实名帮扶台账……提供
"1131"就业服务): graduates entered by caseworkers, the services they get, the jobs pushed to them.

Entry asks the rule engine: a graduate is in the ledger when ``gx.grad.1131`` says the 1131
service is owed to them (left school within the catalog's years, or registered unemployed) —
the same rule the calculator and the registry matcher apply. Every step is audited and scoped to
the caller's region; ID and phone numbers are stored as for every subject (blind index, sealed,
masked).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import xlsxwriter  # type: ignore[import-untyped]  # the package ships no type information
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.assistance import (
    Event,
    GraduateStatus,
    ServiceKind,
    Stage,
    advance,
    load_assistance_settings,
    next_status,
    plan_status,
)
from jiuye.assistance.status import CLOSED
from jiuye.engine.evaluate import ELIGIBLE
from jiuye.facts import facts_from_data
from jiuye.jobs.codec import seeker_from_dict, seeker_to_dict
from jiuye.jobs.model import HARDSHIP_FLAGS, Posting, Seeker
from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.registry import get_measure
from jiuye.regions import prefix_of
from jiuye.service.applications import Engine
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.claims import assess
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.jobs import postings_by_id
from jiuye.service.models import Graduate, JobPush, ServiceEvent, Subject, User
from jiuye.service.subjects import find_by_number, register_subject

__all__ = [
    "CHANNELS",
    "LedgerRow",
    "advance_push",
    "export_ledger",
    "get_graduate",
    "ledger",
    "push_jobs",
    "record_service",
    "register_graduate",
    "seeker_of",
    "set_status",
    "update_profile",
]

#: How a service reached the graduate (gx38（十七）: 上门走访、电话、短信等方式).
CHANNELS = ("上门走访", "电话", "短信", "线上", "窗口", "招聘会")
HARDSHIP_LABELS = {
    "low_income_family": "低保家庭",
    "zero_employment_family": "零就业家庭",
    "poverty_monitoring": "防止返贫监测对象家庭",
    "disabled": "残疾",
}
_STAFF = ("caseworker", "admin")
#: Pushes choose jobs: (session, seeker, already pushed ids, day) → [(posting, why)], among the open postings
#: (``jiuye.service.job_matching.targeted_chooser`` ranks the resident index; nothing reads the whole table).
Chooser = Callable[[Session, Seeker, frozenset[str], dt.date], list[tuple[Posting, str]]]


def _where_they_live(seeker: Seeker, region: str) -> Seeker:
    """A profile that names no place gets the city the graduate lives in (named assumption: a local
    default; most unemployed graduates look for work where they live, and a caseworker can widen it)."""
    if seeker.regions:
        return seeker
    city = region if region.endswith("00") else region[:4] + "00"
    return replace(seeker, regions=(city,))


def _staff(caller: Caller) -> None:
    if caller.role not in _STAFF:
        msg = f"角色 {caller.role} 不能办理实名帮扶；提示：由经办人员办理"
        raise ForbiddenError(msg)


def _audit(session: Session, caller: Caller, action: str, graduate: Graduate, detail: dict[str, object]) -> None:
    record(session, actor=caller.username, action=action, entity="graduate", entity_id=graduate.id, detail=detail)


def register_graduate(
    session: Session,
    engine: Engine,
    caller: Caller,
    *,
    number: str,
    name: str,
    region: str,
    graduated_on: dt.date,
    today: dt.date,
    school: str = "",
    major: str = "",
    phone: str | None = None,
    hardship: Iterable[str] = (),
    unemployment_registered_on: dt.date | None = None,
    profile: Seeker | None = None,
) -> Graduate:
    """Enter an unemployed graduate in the caller's ledger, if the 1131 service is owed to them."""
    _staff(caller)
    flags = sorted(set(hardship))
    unknown = [f for f in flags if f not in HARDSHIP_FLAGS]
    if unknown:
        msg = f"困难类别 {'、'.join(unknown)} 不存在；提示：可填 {'、'.join(HARDSHIP_FLAGS)}"
        raise InputError(msg)
    person: dict[str, object] = {
        "id": "P1", "id_number": number, "college_graduate": True, "graduation_date": graduated_on.isoformat(),
        "currently_employed": False, **dict.fromkeys(flags, True),
    }  # fmt: skip
    if unemployment_registered_on:
        person["unemployment_registered_on"] = unemployment_registered_on.isoformat()
    decision = assess(
        facts_from_data({"persons": [person]}), get_measure("gx.grad.1131"), "P1", as_of=today, region=region,
        params=engine.params, protector=engine.protector,
    )  # fmt: skip
    if decision.status != ELIGIBLE:
        msg = f"不属于“1131”实名帮扶对象：{'；'.join(decision.reasons[:2])}"
        raise InputError(msg)
    try:
        subject = find_by_number(session, engine.protector, caller, "person", number)
    except NotFoundError:
        subject = register_subject(
            session, engine.protector, caller, kind="person", number=number, name=name, region=region, phone=phone
        )
    masked = subject.number_masked
    already = f"{masked} 已在实名帮扶台账中；提示：按号码查找已有记录"
    if session.scalar(select(Graduate.id).where(Graduate.subject_id == subject.id)) is not None:
        raise ConflictError(already)
    seeker = _where_they_live(profile or Seeker(id=""), subject.region)
    graduate = Graduate(
        subject_id=subject.id, region=subject.region, caseworker_id=caller.user_id, school=school.strip(),
        major=major.strip(), graduated_on=graduated_on, hardship=",".join(flags), registered_on=today,
        status=GraduateStatus.REGISTERED.value, status_since=today, profile="{}",
    )  # fmt: skip
    session.add(graduate)
    try:
        session.flush()
    except IntegrityError:  # a concurrent entry of the same graduate
        raise ConflictError(already) from None
    profile_dict = seeker_to_dict(seeker)
    profile_dict.update(id=str(graduate.id), hardship=flags)
    graduate.profile = json.dumps(profile_dict, ensure_ascii=False)
    _audit(session, caller, "graduate.register", graduate, {"number": masked, "hardship": flags})
    return graduate


def get_graduate(session: Session, caller: Caller, graduate_id: int) -> Graduate:
    graduate = session.get(Graduate, graduate_id)
    if graduate is None or not caller.covers(graduate.region):
        msg = f"帮扶对象 {graduate_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return graduate


def seeker_of(graduate: Graduate) -> Seeker:
    return seeker_from_dict(json.loads(graduate.profile))


def update_profile(session: Session, caller: Caller, graduate_id: int, profile: Seeker) -> Graduate:
    """A new seeker profile (skills, jobs sought, places, pay) for the graduate's recommendations."""
    _staff(caller)
    graduate = get_graduate(session, caller, graduate_id)
    data = seeker_to_dict(_where_they_live(profile, graduate.region))
    data.update(id=str(graduate.id), hardship=[f for f in graduate.hardship.split(",") if f])
    graduate.profile = json.dumps(data, ensure_ascii=False)
    _audit(session, caller, "graduate.profile", graduate, {})
    return graduate


def _moved(graduate: Graduate, wanted: GraduateStatus, on: dt.date) -> None:
    graduate.status = next_status(GraduateStatus(graduate.status), wanted).value
    graduate.status_since = on


def record_service(
    session: Session,
    caller: Caller,
    graduate_id: int,
    *,
    kind: ServiceKind,
    on: dt.date,
    channel: str,
    evidence: str,
    targeted: bool = False,
    push_id: int | None = None,
) -> ServiceEvent:
    """One service given. The first reaches the graduate (registered → contacted); a service of the
    plan starts the assistance (contacted → in service)."""
    _staff(caller)
    graduate = get_graduate(session, caller, graduate_id)
    if channel not in CHANNELS:
        msg = f"服务方式“{channel}”不在可选范围；提示：{'、'.join(CHANNELS)}"
        raise InputError(msg)
    if len(evidence.strip()) < 4:
        msg = "须写明服务内容或凭证（如“电话告知一次性扩岗补助政策，通话3分钟”）"
        raise InputError(msg)
    if on < graduate.registered_on:
        msg = f"服务日期 {on.isoformat()} 早于登记入台账日期 {graduate.registered_on.isoformat()}"
        raise InputError(msg)
    status = GraduateStatus(graduate.status)
    if status in (GraduateStatus.REGISTERED, GraduateStatus.UNREACHABLE):
        _moved(graduate, GraduateStatus.CONTACTED, on)
    if kind is not ServiceKind.CONTACT and GraduateStatus(graduate.status) is GraduateStatus.CONTACTED:
        _moved(graduate, GraduateStatus.IN_SERVICE, on)
    event = ServiceEvent(
        graduate_id=graduate.id, kind=kind.value, on=on, staff_id=caller.user_id, channel=channel,
        evidence=evidence.strip(), targeted=targeted, push_id=push_id,
    )  # fmt: skip
    session.add(event)
    session.flush()
    _audit(session, caller, f"graduate.service.{kind.value}", graduate, {"on": on.isoformat(), "channel": channel})
    return event


def set_status(
    session: Session, caller: Caller, graduate_id: int, status: GraduateStatus, *, on: dt.date, reason: str
) -> Graduate:
    """A caseworker's status change (employed, no wish to work, unreachable, back in service), with why."""
    _staff(caller)
    graduate = get_graduate(session, caller, graduate_id)
    if len(reason.strip()) < 4:
        msg = "须写明状态变更的依据（如“已与某公司签订劳动合同”）"
        raise InputError(msg)
    before = graduate.status
    _moved(graduate, status, on)
    _audit(session, caller, "graduate.status", graduate, {"from": before, "to": status.value, "reason": reason})
    return graduate


def push_jobs(
    session: Session, caller: Caller, graduate_id: int, *, today: dt.date, choose: Chooser, channel: str = "短信"
) -> list[JobPush]:
    """Recommend jobs to a graduate: ``choose`` picks among open postings, never one pushed before
    (also refused by the database), each push recorded as a 岗位推荐 service (targeted for hardship
    graduates, gx38（十七）优先推送)."""
    _staff(caller)
    graduate = get_graduate(session, caller, graduate_id)
    pushed = frozenset(session.scalars(select(JobPush.posting_id).where(JobPush.graduate_id == graduate.id)))
    chosen = choose(session, seeker_of(graduate), pushed, today)
    # What was chosen is checked against the table itself (open on the day: a date filter in SQL).
    open_postings = postings_by_id(session, today=today, ids=[p.id for p, _ in chosen])
    targeted = bool(graduate.hardship)
    made = []
    for posting, why in chosen:
        if posting.id in pushed or posting.id not in open_postings:
            msg = f"岗位 {posting.id} 已推送过或已截止，不能推送"
            raise ConflictError(msg)
        push = JobPush(
            graduate_id=graduate.id, posting_id=posting.id, pushed_on=today, targeted=targeted, explanation=why,
            stage=Stage.PUSHED.value, stage_on=today, trail=json.dumps([[Stage.PUSHED.value, today.isoformat()]]),
        )  # fmt: skip
        session.add(push)
        session.flush()
        evidence = f"推送岗位：{posting.title}（{posting.employer}）"[:500]
        record_service(session, caller, graduate.id, kind=ServiceKind.JOB_RECOMMENDATION, on=today, channel=channel,
                       evidence=evidence, targeted=targeted, push_id=push.id)  # fmt: skip
        made.append(push)
    return made


def advance_push(session: Session, caller: Caller, push_id: int, stage: Stage, *, on: dt.date) -> JobPush:
    """What happened to a pushed job next: viewed, applied, interviewed, hired (or declined, not taken)."""
    _staff(caller)
    push = session.get(JobPush, push_id)
    if push is None:
        msg = f"岗位推送 {push_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    graduate = get_graduate(session, caller, push.graduate_id)
    if on < push.stage_on:
        msg = f"日期 {on.isoformat()} 早于上一环节（{Stage(push.stage).label}，{push.stage_on.isoformat()}）"
        raise InputError(msg)
    push.stage = advance(Stage(push.stage), stage).value
    push.stage_on = on
    push.trail = json.dumps([*json.loads(push.trail), [stage.value, on.isoformat()]])
    _audit(session, caller, "graduate.push", graduate, {"push": push.id, "stage": stage.value})
    return push


@dataclass(frozen=True)
class LedgerRow:
    graduate_id: int
    name: str
    number: str  # masked
    region: str
    caseworker: str
    status: str
    hardship: str
    registered_on: dt.date
    owed: str
    overdue_since: dt.date | None
    pushes: dict[str, int]  # stage label → count


def ledger(
    session: Session,
    caller: Caller,
    *,
    today: dt.date,
    caseworker: str | None = None,
    region: str | None = None,
    overdue_only: bool = False,
    params: ParameterSet | None = None,
) -> list[LedgerRow]:
    """The ledger of the caller's region, or of a region within it, or of one caseworker's graduates:
    who is owed which 1131 service and since when, with the trail of pushed jobs."""
    if not caller.is_staff:
        msg = "只有工作人员可以查看实名帮扶台账"
        raise ForbiddenError(msg)
    if region is not None and not caller.covers(region):
        msg = f"地区 {region} 不在您的辖区 {caller.region} 之内"
        raise ForbiddenError(msg)
    settings, params = load_assistance_settings(), params or load_parameters()
    # Columns, not entities: a district's ledger is thousands of rows, and building an ORM object
    # for each graduate, subject and event took most of the page's time.
    columns = (Graduate.id, Graduate.status, Graduate.registered_on, Graduate.hardship, Graduate.region,
               Subject.name, Subject.number_masked, User.display_name, User.username)  # fmt: skip
    query = (
        select(*columns)
        .join(Subject, Subject.id == Graduate.subject_id)
        .join(User, User.id == Graduate.caseworker_id)
        .where(Graduate.region.startswith(prefix_of(region or caller.region)))
    )
    if caseworker:
        query = query.where(User.username == caseworker)
    found = session.execute(query.order_by(Graduate.id)).all()
    # Every graduate's events and pushed jobs in two queries, not two a graduate.
    chosen = query.with_only_columns(Graduate.id)
    events: dict[int, list[Event]] = {}
    given = select(ServiceEvent.graduate_id, ServiceEvent.kind, ServiceEvent.on, ServiceEvent.targeted)
    for graduate_id, kind, on, targeted in session.execute(given.where(ServiceEvent.graduate_id.in_(chosen))):
        events.setdefault(graduate_id, []).append(Event(ServiceKind(kind), on, targeted))
    pushed: dict[int, dict[str, int]] = {}
    stage_rows = select(JobPush.graduate_id, JobPush.stage).where(JobPush.graduate_id.in_(chosen))
    for graduate_id, stage in session.execute(stage_rows):
        stages = pushed.setdefault(graduate_id, {})
        stages[Stage(stage).label] = stages.get(Stage(stage).label, 0) + 1
    rows = []
    for graduate_id, status_code, registered_on, flags, region_code, name, masked, worker, username in found:
        status = GraduateStatus(status_code)
        plan = plan_status(
            events.get(graduate_id, []), registered_on=registered_on, today=today,
            hardship=bool(flags), params=params, settings=settings, closed=status in CLOSED,
        )  # fmt: skip
        if overdue_only and plan.overdue_since is None:
            continue
        hardship = "、".join(HARDSHIP_LABELS[f] for f in flags.split(",") if f)
        rows.append(
            LedgerRow(
                graduate_id, name, masked, region_code, worker or username, status.label, hardship, registered_on,
                plan.owed_text(), plan.overdue_since, pushed.get(graduate_id, {}),
            )
        )  # fmt: skip
    return rows


def export_ledger(rows: Sequence[LedgerRow], *, today: dt.date) -> bytes:
    """The ledger as an Excel workbook (masked numbers), one row per graduate."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("实名帮扶台账")
    bold = book.add_format({"bold": True})
    headers = ["编号", "姓名", "公民身份号码", "地区", "帮扶人员", "状态", "困难类别", "登记日期", "待提供服务",
               "逾期起始日", "岗位推送情况"]  # fmt: skip
    sheet.write_row(0, 0, headers, bold)
    for i, r in enumerate(rows, start=1):
        pushes = "、".join(f"{label} {n}" for label, n in r.pushes.items())
        sheet.write_row(i, 0, [r.graduate_id, r.name, r.number, r.region, r.caseworker, r.status, r.hardship,
                               r.registered_on.isoformat(), r.owed,
                               r.overdue_since.isoformat() if r.overdue_since else "", pushes])  # fmt: skip
    sheet.write(len(rows) + 2, 0, f"截至 {today.isoformat()}，共 {len(rows)} 人；依据桂人社发〔2025〕38号（十七）")
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
