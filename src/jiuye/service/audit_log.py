"""Reading the audit trail: auditors and administrators page through the events with filters.

Events are written without clear identifiers (:func:`jiuye.service.audit.record`); what is
shown is masked once more all the same (ID-shaped runs, phone and account numbers), so that a
detail written carelessly by some future step never shows a number in full.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jiuye.identifiers import mask_id, redact
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError
from jiuye.service.models import AuditEvent

__all__ = ["AuditFilter", "count_events", "list_events", "may_read_audit", "shown_detail"]

#: Long digit runs left after :func:`redact` (phones, bank accounts): keep the ends only.
_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{7,}(?![0-9A-Za-z])")


def may_read_audit(caller: Caller) -> None:
    if caller.role not in ("auditor", "admin"):
        msg = "只有审计人员和管理员可以查看审计日志"
        raise ForbiddenError(msg)


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None  # exact, or a prefix ending in "." (``user.`` = every user action)
    entity: str | None = None
    actor: str | None = None
    since: dt.date | None = None  # UTC dates, as the events are stamped
    until: dt.date | None = None

    def query(self) -> Select[AuditEvent]:
        query = select(AuditEvent)
        if self.action:
            if self.action.endswith("."):
                query = query.where(AuditEvent.action.startswith(self.action))
            else:
                query = query.where(AuditEvent.action == self.action)
        if self.entity:
            query = query.where(AuditEvent.entity == self.entity)
        if self.actor:
            query = query.where(AuditEvent.actor == self.actor)
        # ``at`` is ISO 8601 text (2025-11-03T08:00:00.000000Z): dates compare as text prefixes.
        if self.since:
            query = query.where(AuditEvent.at >= self.since.isoformat())
        if self.until:
            query = query.where(AuditEvent.at < (self.until + dt.timedelta(days=1)).isoformat())
        return query


def list_events(session: Session, caller: Caller, where: AuditFilter, *, limit: int, offset: int) -> list[AuditEvent]:
    """Newest first."""
    may_read_audit(caller)
    query = where.query().order_by(AuditEvent.seq.desc()).limit(min(max(limit, 1), 5000)).offset(max(offset, 0))
    return list(session.scalars(query))


def count_events(session: Session, caller: Caller, where: AuditFilter) -> int:
    may_read_audit(caller)
    # select_from: without a filter the count has no column of the table, hence no FROM of its own
    # (``SELECT count(*)`` answers 1, and the pages past the first were unreachable).
    return int(session.scalar(where.query().with_only_columns(func.count()).select_from(AuditEvent)) or 0)


def _mask(text: str) -> str:
    return _DIGITS.sub(lambda found: mask_id(found.group(0)), redact(text))


def shown_detail(event: AuditEvent) -> str:
    """The event's detail as ``key：value`` pairs, masked."""
    try:
        data: Any = json.loads(event.detail)
    except ValueError:
        return _mask(event.detail)
    if not isinstance(data, dict):
        return _mask(str(data))
    parts = []
    for key, value in data.items():
        shown = "、".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}：{shown}")
    return _mask("；".join(parts))
