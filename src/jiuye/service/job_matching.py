"""Recommendations over what is stored: jobs for a graduate in the ledger, graduates for a job,
and the chooser of targeted pushes (gx38（十四）人工智能+就业 双向推荐; （十七）优先推送3—5个针对性岗位)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.recommend import JobMatch, SeekerIndex, SeekerMatch, push_targeted_jobs, recommend_jobs
from jiuye.jobs.recommend import recommend_seekers as rank_seekers
from jiuye.regions import prefix_of
from jiuye.service.assistance import get_graduate, seeker_of
from jiuye.service.auth import Caller
from jiuye.service.errors import ConflictError, NotFoundError
from jiuye.service.jobs import postings_by_id
from jiuye.service.models import Graduate, JobPush
from jiuye.service.posting_index import index_for

__all__ = ["jobs_for_graduate", "jobs_for_own_ledger_entry", "own_graduate", "seekers_for_posting", "targeted_chooser"]


def jobs_for_graduate(
    session: Session, caller: Caller, graduate_id: int, *, today: dt.date, k: int = 10
) -> list[JobMatch]:
    """The best open jobs for a graduate, none already pushed to them, each with its explanation."""
    graduate = get_graduate(session, caller, graduate_id)
    pushed = set(session.scalars(select(JobPush.posting_id).where(JobPush.graduate_id == graduate.id)))
    index = index_for(session, today)
    with index.lock:
        return recommend_jobs(seeker_of(graduate), index, today, k=k, exclude=pushed)


def seekers_for_posting(
    session: Session, caller: Caller, posting_id: str, *, today: dt.date, k: int = 10
) -> list[tuple[int, SeekerMatch]]:
    """The graduates of the caller's region (still being served) who best fit a job: (ledger id, match)."""
    posting = postings_by_id(session, ids=[posting_id]).get(posting_id)
    if posting is None:
        msg = f"岗位 {posting_id} 不存在"
        raise NotFoundError(msg)
    if not caller.is_staff:
        msg = f"岗位 {posting_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    served = session.scalars(
        select(Graduate)
        .where(Graduate.region.startswith(prefix_of(caller.region)))
        .where(Graduate.status.not_in(("employed", "no_intention")))
    ).all()
    seekers = [seeker_of(g) for g in served]
    if not seekers:
        return []
    matches = rank_seekers(posting, SeekerIndex(seekers), today, k=k)
    return [(int(m.seeker.id), m) for m in matches]


def targeted_chooser(
    session: Session, seeker: Seeker, pushed: frozenset[str], today: dt.date
) -> list[tuple[Posting, str]]:
    """3–5 targeted, diverse jobs for :func:`jiuye.service.assistance.push_jobs`, from the resident index;
    refuses (with the reason) when not even three qualify, rather than pushing jobs that break a requirement."""
    index = index_for(session, today)
    with index.lock:
        push = push_targeted_jobs(seeker, index, today, pushed)
    if not push.jobs:
        raise ConflictError(push.reason or "没有可推送的岗位")
    return [(m.posting, m.explanation.text()) for m in push.jobs]


def own_graduate(session: Session, caller: Caller) -> Graduate | None:
    """The 1131 ledger entry of a person's own account (None: not on the ledger, or not a person)."""
    if caller.role != "individual" or caller.subject_id is None:
        return None
    return session.scalar(select(Graduate).where(Graduate.subject_id == caller.subject_id))


def jobs_for_own_ledger_entry(
    session: Session, caller: Caller, *, today: dt.date, k: int = 10
) -> tuple[list[JobPush], list[JobMatch]] | None:
    """For a graduate on the ledger, reading their own: the jobs the bureau pushed to them (with the
    explanation as shown then) and further open jobs that fit, each explained; None if not on it."""
    graduate = own_graduate(session, caller)
    if graduate is None:
        return None
    pushes = list(session.scalars(select(JobPush).where(JobPush.graduate_id == graduate.id).order_by(JobPush.id)))
    index = index_for(session, today)
    with index.lock:
        fresh = recommend_jobs(seeker_of(graduate), index, today, k=k, exclude={p.posting_id for p in pushes})
    return pushes, fresh
