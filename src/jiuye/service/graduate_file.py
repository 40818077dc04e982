"""One graduate's file in the real-name assistance ledger: who they are (masked), the services given
and the jobs pushed, with the plan's status as of a day (桂人社发〔2025〕38号（十七）)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.assistance import Event, GraduateStatus, PlanStatus, ServiceKind, load_assistance_settings, plan_status
from jiuye.assistance.status import CLOSED
from jiuye.params import ParameterSet, load_parameters
from jiuye.service.assistance import get_graduate
from jiuye.service.auth import Caller
from jiuye.service.models import Graduate, JobPush, ServiceEvent, Subject, User

__all__ = ["GraduateFile", "graduate_file"]


@dataclass(frozen=True)
class GraduateFile:
    graduate: Graduate
    name: str
    number: str  # masked
    caseworker: str
    events: list[tuple[ServiceEvent, str]]  # each service with who gave it
    pushes: list[JobPush]
    plan: PlanStatus


def graduate_file(
    session: Session, caller: Caller, graduate_id: int, *, today: dt.date, params: ParameterSet | None = None
) -> GraduateFile:
    """The graduate (within the caller's region, else not found), their services newest first, their
    pushed jobs, and what of the 1131 plan is owed on ``today``."""
    graduate = get_graduate(session, caller, graduate_id)
    subject = session.get(Subject, graduate.subject_id)
    worker = session.get(User, graduate.caseworker_id)
    assert subject is not None and worker is not None
    rows = session.execute(
        select(ServiceEvent, User.display_name, User.username)
        .join(User, User.id == ServiceEvent.staff_id)
        .where(ServiceEvent.graduate_id == graduate.id)
        .order_by(ServiceEvent.on.desc(), ServiceEvent.id.desc())
    ).all()
    events = [(event, shown or username) for event, shown, username in rows]
    pushes = list(session.scalars(select(JobPush).where(JobPush.graduate_id == graduate.id).order_by(JobPush.id)))
    plan = plan_status(
        [Event(ServiceKind(e.kind), e.on, e.targeted) for e, _ in events], registered_on=graduate.registered_on,
        today=today, hardship=bool(graduate.hardship), params=params or load_parameters(),
        settings=load_assistance_settings(), closed=GraduateStatus(graduate.status) in CLOSED,
    )  # fmt: skip
    return GraduateFile(
        graduate, subject.name, subject.number_masked, worker.display_name or worker.username, events, pushes, plan
    )
