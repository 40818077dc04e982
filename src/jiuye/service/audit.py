"""Record and verify the audit trail: an append-only, hash-chained log.

Each event's hash is SHA-256 over its predecessor's hash and its own fields in canonical JSON.
Appending locks the one-row head (``SELECT ... FOR UPDATE``; SQLite serialises writers anyway),
so numbers are consecutive and every event names its true predecessor. The database refuses
UPDATE and DELETE on the events (triggers, migration 0001); :func:`verify_chain` still assumes
nothing and recomputes every link, so a row edited by someone who disabled the triggers, or
events removed from the end, are found and the first broken one named.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.service.models import AuditEvent, AuditHead

__all__ = ["ChainReport", "event_hash", "record", "verify_chain"]

GENESIS = "0" * 64
#: The fields an event's hash covers, in the order of the canonical JSON's keys.
_HASHED = ("seq", "at", "actor", "action", "entity", "entity_id", "detail")


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """The link: SHA-256 of the previous hash and the event's fields (seq, at, actor, action,
    entity, entity_id, detail)."""
    fields = {k: event[k] for k in _HASHED}
    return hashlib.sha256(f"{prev_hash}\n{_canonical(fields)}".encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction: it is on the record exactly when the change
    it describes is committed. ``detail`` must hold no clear identifier (masked values only)."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "detail": _canonical(dict(detail or {})),
    }
    digest = event_hash(head.hash, fields)
    event = AuditEvent(**fields, prev_hash=head.hash, hash=digest)
    session.add(event)
    head.seq, head.hash = fields["seq"], digest
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None = None  # seq of the first event that does not verify
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    def message(self) -> str:
        if self.intact:
            return f"审计链完整：共 {self.events} 条事件，逐条核验哈希无误"
        hint = "提示：该条及其后的记录不可信，请核查数据库的访问记录"
        return f"审计链在第 {self.broken_at} 条事件处断开：{self.reason}；{hint}"


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Recompute every link in order; report the first event that fails."""
    result = session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch))
    try:
        count, prev, problem = _walk(result.scalars())
    finally:
        result.close()  # a server-side cursor on PostgreSQL: close it even when stopping early
    if problem:
        return ChainReport(count, *problem)
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    if head.seq != count or head.hash != prev:
        return ChainReport(count, count + 1, f"链尾应为第 {head.seq} 条，实有 {count} 条（末尾的记录被删除）")
    return ChainReport(count)


def _walk(events: Iterable[AuditEvent]) -> tuple[int, str, tuple[int, str] | None]:
    """Events in order → how many verified, the last good hash, and the first problem."""
    prev, expected, count = GENESIS, 1, 0
    for event in events:
        if event.seq != expected:
            return count, prev, (expected, f"缺少第 {expected} 条（下一条为第 {event.seq} 条）")
        if event.prev_hash != prev:
            return count, prev, (event.seq, "记录的前一条哈希与前一条事件不符")
        fields = {k: getattr(event, k) for k in _HASHED}
        if event_hash(prev, fields) != event.hash:
            return count, prev, (event.seq, "事件内容与其哈希不符（记录被修改）")
        prev, expected, count = event.hash, expected + 1, count + 1
    return count, prev, None
