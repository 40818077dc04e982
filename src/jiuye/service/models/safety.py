"""Fund-safety hits (what a check found, its evidence, what a person decided) and the claim
people index the person-level checks compare across applications."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["ClaimPerson", "SafetyHit"]


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


class ClaimPerson(Base):
    """What one application says about one person, under the blind index: registered unemployed
    over a period, or employed (and insured) by an employer from a date. Rewritten at each
    submission; compared across applications and regions by the person-level checks."""

    __tablename__ = "claim_persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    person_index: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(12))  # unemployed | employed
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    employer_index: Mapped[str | None] = mapped_column(String(64))
    insured: Mapped[bool] = mapped_column(Boolean, default=False)  # social insurance paid for the job
