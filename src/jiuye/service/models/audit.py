"""The audit trail: an append-only, hash-chained event log (database triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base

__all__ = ["AuditEvent", "AuditHead"]


class AuditEvent(Base):
    """One event. ``hash`` = HMAC-SHA256 (keyed outside the database; plain SHA-256 for events
    before migration 0012) over the previous hash and this event's canonical fields, so changing,
    inserting or removing any row breaks every link after it."""

    __tablename__ = "audit_events"
    # a record's history (the case page) is read by entity and id
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC text: hashed exactly as stored
    actor: Mapped[str] = mapped_column(String(64))  # user name, or "system"
    action: Mapped[str] = mapped_column(String(64))  # e.g. subject.create, subject.unmask, application.approve
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON, no clear identifiers
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The chain's last link, one row: writers lock it, so events get consecutive numbers and
    each names its true predecessor even under concurrent transactions."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
