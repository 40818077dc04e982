"""Fund-safety hits: what a check found, its evidence, and what a person decided about it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["SafetyHit"]


class SafetyHit(Timestamped, Base):
    __tablename__ = "safety_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(32), index=True)  # account_changed, shared_account, revisit...
    mode: Mapped[str] = mapped_column(String(16))  # blocking | flag | post
    key: Mapped[str] = mapped_column(String(128), unique=True)  # one hit per finding, however often checked
    region: Mapped[str] = mapped_column(String(6), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    evidence: Mapped[str] = mapped_column(Text)  # JSON, masked
    disposition: Mapped[str] = mapped_column(String(16), default="open")  # open | cleared | confirmed
    disposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    disposed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(String(500))
