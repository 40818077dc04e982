"""Record and verify the audit trail: an append-only, keyed hash chain.

Each event's hash is HMAC-SHA256, under a key derived from the master key (kept outside the
database: ``Settings.audit_key``, carried by the session factory), over its predecessor's hash
and its own fields in canonical JSON. Someone who can write the database but lacks the key can
neither edit an event and recompute the chain nor append one that verifies.

Chains written before keyed hashing (plain SHA-256, up to migration 0012) stay verifiable: plain
events are accepted only as a prefix, and only when a keyed event follows them (the first keyed
event covers the prefix's last hash). ``jiuye db upgrade`` appends that keyed ``audit.seal``
event when it brings an older database past 0012. A plain event after a keyed one, or a chain
ending in plain events, is a break: an attacker cannot downgrade events to the unkeyed scheme.

:func:`record` keeps an event with its session; the transaction's events are appended when it
commits, the head locked only then (:mod:`jiuye.service.audit_append`): numbers are consecutive
and every event names its true predecessor, whatever the concurrency. The database refuses
UPDATE and DELETE on the events (triggers, migration 0001); :func:`verify_chain` still assumes
nothing and recomputes every link, so a row edited by someone who disabled the triggers, or
events removed from the end, are found and the first broken one named.

One thing the database alone cannot show: the newest events cut off together with the head row
set back to the last one kept (every remaining link still verifies). Hence the *anchor*: the
count and last hash a verification reports, kept outside the database (a signed daily report, a
notebook); verifying against an earlier anchor finds any cut at or before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.service.audit_append import defer
from jiuye.service.audit_hash import GENESIS, HASHED, canonical, event_hash, keyed_hash, session_key
from jiuye.service.models import AuditEvent, AuditHead

__all__ = [
    "GENESIS",
    "ChainReport",
    "event_hash",
    "keyed_hash",
    "parse_anchor",
    "record",
    "seal_legacy",
    "verify_chain",
]


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Record one event in the caller's transaction: it is on the record exactly when the change
    it describes is committed (appended at the commit, :mod:`jiuye.service.audit_append`).
    ``detail`` must hold no clear identifier (masked values only)."""
    fields = {"actor": actor, "action": action, "entity": entity, "entity_id": str(entity_id),
              "detail": canonical(dict(detail or {}))}  # fmt: skip
    defer(session, fields)


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None = None  # seq of the first event that does not verify
    reason: str = ""
    head: str = ""  # the last verified event's hash

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    @property
    def anchor(self) -> str:
        """``count:hash``, to keep outside the database and verify against later."""
        return f"{self.events}:{self.head}"

    def message(self) -> str:
        if self.intact:
            return f"审计链完整：共 {self.events} 条事件，逐条核验哈希无误"
        hint = "提示：该条及其后的记录不可信，请核查数据库的访问记录"
        return f"审计链在第 {self.broken_at} 条事件处断开：{self.reason}；{hint}"


def seal_legacy(session: Session) -> bool:
    """Cover a chain whose last event is unkeyed (written before 0012) with a keyed event (appended
    when the transaction commits); False when there is nothing to seal. Run once, by the upgrade
    past 0012 (``jiuye db upgrade``)."""
    last = session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    if last is None or keyed_hash(session_key(session), last.prev_hash, _fields(last)) == last.hash:
        return False
    detail = {"legacy_events": last.seq, "legacy_head": last.hash}
    record(session, actor="system", action="audit.seal", entity="audit", entity_id=last.seq, detail=detail)
    return True


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {k: getattr(event, k) for k in HASHED}


def parse_anchor(text: str) -> tuple[int, str]:
    """An anchor as printed by a verification (``count:hash``); ValueError in Chinese otherwise.

    >>> parse_anchor("12:" + "ab" * 32)[0]
    12
    """
    seq, _, digest = text.strip().partition(":")
    if not seq.isdigit() or int(seq) < 1 or len(digest) != 64 or not set(digest) <= set("0123456789abcdef"):
        msg = f"锚点格式不正确：{text[:80]!r}；提示：照核验时显示的“条数:哈希”原样填写，如 12:3fa4…（64位十六进制）"
        raise ValueError(msg)
    return int(seq), digest


def verify_chain(session: Session, batch: int = 5000, anchor: tuple[int, str] | None = None) -> ChainReport:
    """Recompute every link in order; report the first event that fails. With ``anchor`` (an
    earlier verification's count and last hash), also that the chain still holds that event."""
    key = session_key(session)
    result = session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch))
    try:
        count, prev, problem = _walk(result.scalars(), key)
    finally:
        result.close()  # a server-side cursor on PostgreSQL: close it even when stopping early
    if problem:
        return ChainReport(count, *problem, head=prev)
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    if head.seq != count or head.hash != prev:
        why = f"链尾应为第 {head.seq} 条，实有 {count} 条（末尾的记录被删除）"
        return ChainReport(count, count + 1, why, head=prev)
    if anchor is not None:
        seq, digest = anchor
        if seq > count:
            why = f"保存的锚点为第 {seq} 条，链中只有 {count} 条（末尾的记录连同链尾一起被删除）"
            return ChainReport(count, count + 1, why, head=prev)
        if session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq)) != digest:
            return ChainReport(count, seq, f"第 {seq} 条与保存的锚点不符（该条及其前的记录被替换）", head=prev)
    return ChainReport(count, head=prev)


def _walk(events: Iterable[AuditEvent], key: bytes) -> tuple[int, str, tuple[int, str] | None]:
    """Events in order → how many verified, the last good hash, and the first problem."""
    prev, expected, count = GENESIS, 1, 0
    keyed, unsealed = False, None  # seen a keyed event yet; first plain event not yet covered by one
    for event in events:
        if event.seq != expected:
            return count, prev, (expected, f"缺少第 {expected} 条（下一条为第 {event.seq} 条）")
        if event.prev_hash != prev:
            return count, prev, (event.seq, "记录的前一条哈希与前一条事件不符")
        fields = _fields(event)
        if keyed_hash(key, prev, fields) == event.hash:
            keyed, unsealed = True, None
        elif not keyed and event_hash(prev, fields) == event.hash:
            unsealed = unsealed or event.seq  # a legacy event: valid once a keyed event follows
        else:
            return count, prev, (event.seq, "事件内容与其密钥哈希不符（记录被修改，或被以无密钥的哈希重算）")
        prev, expected, count = event.hash, expected + 1, count + 1
    if unsealed is not None:
        why = "此后的记录只有无密钥的哈希，未经密钥封存（可能被改写后以无密钥的哈希重算）"
        return count, prev, (unsealed, why)
    return count, prev, None
