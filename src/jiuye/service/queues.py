"""Staff work queues: the region's applications by where they wait, with counts, filters and paging.

Scoped exactly as :func:`jiuye.service.applications.list_applications`: staff see their region's
applications (a region code's prefix), nobody else sees a queue. Filters are plain columns: the
measure, how the case came in (applied for, or found by proactive matching), the submission date,
and the subject's name (names are stored in clear; numbers never are, so no number is searched).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from jiuye.cases import State
from jiuye.regions import prefix_of
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError
from jiuye.service.models import Application, Subject

__all__ = ["QUEUES", "CaseFilter", "CaseRow", "Queue", "count_queues", "find_cases"]


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    states: tuple[str, ...]  # empty: every state


#: The queues a caseworker or reviewer works from, in the order of the workflow.
QUEUES: tuple[Queue, ...] = (
    Queue("intake", "待受理", (State.SUBMITTED.value, State.AUTO_CHECKED.value)),
    Queue("review", "待审核", (State.IN_REVIEW.value,)),
    Queue("notice", "公示中", (State.PUBLIC_NOTICE.value,)),
    Queue("payable", "待发放", (State.APPROVED.value,)),
    Queue("returned", "退回补正", (State.RETURNED.value,)),
    Queue("paid", "已发放", (State.PAID.value,)),
    Queue("all", "全部", ()),
)
_BY_KEY = {queue.key: queue for queue in QUEUES}
#: How a case came in: applied for (by the claimant, or by a caseworker on their behalf), or found.
SOURCES = {"applied": ("self", "caseworker"), "proactive": ("proactive",)}


@dataclass(frozen=True)
class CaseFilter:
    queue: str = "intake"
    measure_id: str | None = None
    source: str | None = None  # a key of SOURCES
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    name: str | None = None  # part of the subject's name


@dataclass(frozen=True)
class CaseRow:
    id: int
    measure_id: str
    state: str
    source: str
    region: str
    subject_id: int
    subject_name: str
    subject_number: str  # masked
    identity_status: str
    submitted_on: dt.date | None
    amount_fen: int | None  # approved, set or due, whichever the case has by now
    ceiling_fen: int | None


def _staff_only(caller: Caller) -> None:
    if not caller.is_staff:
        msg = "工作队列仅供工作人员使用"
        raise ForbiddenError(msg)


def _conditions(caller: Caller, where: CaseFilter) -> list[ColumnElement[bool]]:
    """Everything but the queue: the caller's region and the filters."""
    found: list[ColumnElement[bool]] = []
    prefix = prefix_of(caller.region)
    if prefix:
        found.append(Application.region.startswith(prefix))
    if where.measure_id:
        found.append(Application.measure_id == where.measure_id)
    if where.source:
        found.append(Application.source.in_(SOURCES[where.source]))
    if where.submitted_from:
        found.append(Application.as_of_submitted >= where.submitted_from)
    if where.submitted_to:
        found.append(Application.as_of_submitted <= where.submitted_to)
    if where.name:
        escaped = where.name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        named = select(Subject.id).where(Subject.name.like(f"%{escaped}%", escape="\\"))
        found.append(Application.subject_id.in_(named))
    return found


def count_queues(session: Session, caller: Caller, where: CaseFilter) -> dict[str, int]:
    """How many cases each queue holds under the filters (one grouped query)."""
    _staff_only(caller)
    query = select(Application.state, func.count()).where(*_conditions(caller, where)).group_by(Application.state)
    by_state: dict[str, int] = {state: int(n) for state, n in session.execute(query)}
    return {
        queue.key: sum(n for state, n in by_state.items() if not queue.states or state in queue.states)
        for queue in QUEUES
    }


def _selected(caller: Caller, where: CaseFilter) -> Select[Any]:
    queue = _BY_KEY[where.queue]
    conditions = _conditions(caller, where)
    if queue.states:
        conditions.append(Application.state.in_(queue.states))
    return select(Application.id).where(and_(*conditions))


def find_cases(session: Session, caller: Caller, where: CaseFilter, *, limit: int, offset: int) -> list[CaseRow]:
    """One page of the queue: oldest waiting first in the working queues, newest first in 全部 and
    已发放 (how many there are in all: :func:`count_queues`)."""
    _staff_only(caller)
    ids = _selected(caller, where)
    order = Application.id.desc() if where.queue in ("all", "paid") else Application.id.asc()
    # Page the ids alone (an index walk), then read only that page's rows with their subjects.
    page = list(session.scalars(ids.order_by(order).limit(limit).offset(offset)))
    query = (
        select(
            Application.id, Application.measure_id, Application.state, Application.source, Application.region,
            Application.subject_id, Subject.name, Subject.number_masked, Subject.identity_status,
            Application.as_of_submitted, Application.amount_approved_fen, Application.amount_set_fen,
            Application.amount_submitted_fen, Application.ceiling_submitted_fen,
        )
        .join(Subject, Subject.id == Application.subject_id)
        .where(Application.id.in_(page))
        .order_by(order)
    )  # fmt: skip
    return [_row(tuple(columns)) for columns in session.execute(query)] if page else []


def _row(columns: tuple[Any, ...]) -> CaseRow:
    app_id, measure_id, state, source, region, subject_id, name, masked, identity, submitted = columns[:10]
    approved, set_, due, ceiling = columns[10:]
    amount = next((fen for fen in (approved, set_, due) if fen is not None), None)
    return CaseRow(
        app_id, measure_id, state, source, region, subject_id, name, masked, identity, submitted, amount, ceiling
    )


def queue_of(key: str) -> Queue:
    return _BY_KEY[key]
