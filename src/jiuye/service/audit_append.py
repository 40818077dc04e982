"""Appending a transaction's audit events to the chain at its commit, the head locked only then.

:func:`jiuye.service.audit.record` leaves each event with its session (:func:`defer`); when the
transaction commits, its other changes are flushed first, then the one-row head is locked
(``SELECT ... FOR UPDATE``; SQLite serialises writers anyway), the events are inserted and the
head moved (one statement on PostgreSQL), and the lock ends with the commit. Concurrent steps so
wait on each other only for those last round trips, not for the whole step, and numbers stay
consecutive with every event naming its true predecessor. An event recorded inside a savepoint
that is rolled back is dropped with it; a transaction rolled back leaves none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, insert, select, text, update
from sqlalchemy.orm import Session, SessionTransaction

from jiuye.service.audit_hash import keyed_hash, session_key
from jiuye.service.models import AuditEvent, AuditHead

__all__ = ["defer"]

_COLUMNS = ("seq", "at", "actor", "action", "entity", "entity_id", "detail", "prev_hash", "hash")
_TYPES = ("bigint", "varchar", "varchar", "varchar", "varchar", "varchar", "text", "varchar", "varchar")
#: PostgreSQL: the events (one array a column, whatever their number: one statement text, prepared
#: once by the server) and the head moved, in one statement.
_PG_APPEND = text(
    "WITH moved AS (UPDATE audit_head SET seq = :head_seq, hash = :head_hash WHERE id = 1) "
    f"INSERT INTO audit_events ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in zip(_COLUMNS, _TYPES, strict=True))
    + ")"
)
_PENDING = "jiuye_audit_pending"  # the key of Session.info holding events not yet appended


@dataclass(frozen=True)
class _Pending:
    fields: dict[str, Any]  # what the event's hash covers, but its number and time
    within: SessionTransaction | None  # the innermost savepoint when it was recorded


def defer(session: Session, fields: dict[str, Any]) -> None:
    """Keep an event (its fields but number and time) for the commit of ``session``'s transaction."""
    session_key(session)  # refuse now, not at the commit, in a session without the key
    session.info.setdefault(_PENDING, []).append(_Pending(fields, session.get_nested_transaction()))


def _append(session: Session, pending: list[_Pending]) -> None:
    """Chain the transaction's events onto the head: lock it, insert them, move it (on PostgreSQL
    the last two in one statement)."""
    key = session_key(session)
    head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()).one()
    seq, prev = head.seq, head.hash
    rows = []
    for item in pending:
        seq += 1
        fields = {"seq": seq, "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), **item.fields}
        digest = keyed_hash(key, prev, fields)
        rows.append({**fields, "prev_hash": prev, "hash": digest})
        prev = digest
    if session.get_bind().dialect.name == "postgresql":  # one round trip less while the head is locked
        columns = {name: [row[name] for row in rows] for name in _COLUMNS}
        session.execute(_PG_APPEND, {"head_seq": seq, "head_hash": prev, **columns})
        return
    session.execute(insert(AuditEvent), rows)
    moved = update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=prev)
    session.execute(moved.execution_options(synchronize_session=False))


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.get(_PENDING):
        return  # a savepoint released (its events wait for the outer commit), or nothing to append
    session.flush()  # the transaction's own changes first: the head is locked as late as possible
    _append(session, session.info.pop(_PENDING))


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    if not previous.nested:
        session.info.pop(_PENDING, None)
        return
    session.info[_PENDING] = [e for e in pending if not _inside(e.within, previous)]


def _inside(within: SessionTransaction | None, savepoint: SessionTransaction) -> bool:
    while within is not None:
        if within is savepoint:
            return True
        within = within.parent
    return False


@event.listens_for(Session, "after_transaction_end")
def _after_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)  # committed (appended) or rolled back: nothing carries over
