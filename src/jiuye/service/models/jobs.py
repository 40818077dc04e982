"""Job postings (aggregated from channels) and the real-name assistance ledger for unemployed
graduates (桂人社发〔2025〕38号（十七）): each graduate, their service events, and the jobs pushed to
them with the trail of what happened next.

A graduate is a registered person subject (ID number under the blind index, never in clear). A job
is pushed to a graduate at most once: a unique constraint, not a check in code.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["Graduate", "JobPosting", "JobPush", "ServiceEvent"]


class JobPosting(Timestamped, Base):
    """One vacancy after de-duplication across channels; ``payload`` is the full parsed posting."""

    __tablename__ = "job_postings"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    employer: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(6), index=True)
    occupation_code: Mapped[str | None] = mapped_column(String(12), index=True)
    open_on: Mapped[dt.date | None] = mapped_column(Date)
    close_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    channels: Mapped[str] = mapped_column(Text)  # JSON: [[channel, channel id], ...] it was seen on
    payload: Mapped[str] = mapped_column(Text)  # JSON of jiuye.jobs.model.Posting
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: 1 when stored, +1 on each change of the payload: how a resident posting index tells what changed.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Graduate(Timestamped, Base):
    """An unemployed graduate in the ledger, with the caseworker who serves them."""

    __tablename__ = "graduates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), unique=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    school: Mapped[str] = mapped_column(String(200), default="")
    major: Mapped[str] = mapped_column(String(200), default="")
    graduated_on: Mapped[dt.date] = mapped_column(Date)
    hardship: Mapped[str] = mapped_column(String(200), default="")  # comma-separated HARDSHIP_FLAGS
    registered_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # jiuye.assistance.GraduateStatus
    status_since: Mapped[dt.date] = mapped_column(Date)
    profile: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the seeker profile (no ID numbers)


class ServiceEvent(Timestamped, Base):
    """One service given (政策宣介, 职业指导, 岗位推荐, 培训, 见习, 联系): when, by whom, how, evidence."""

    __tablename__ = "service_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduates.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # jiuye.assistance.ServiceKind
    on: Mapped[dt.date] = mapped_column(Date)
    staff_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16))  # 上门走访 | 电话 | 短信 | 线上 | 窗口 | 招聘会
    evidence: Mapped[str] = mapped_column(String(500))
    targeted: Mapped[bool] = mapped_column(Boolean, default=False)
    push_id: Mapped[int | None] = mapped_column(ForeignKey("job_pushes.id"))


class JobPush(Timestamped, Base):
    """A job recommended to a graduate, once, and how far it went."""

    __tablename__ = "job_pushes"
    __table_args__ = (UniqueConstraint("graduate_id", "posting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduates.id"), index=True)
    posting_id: Mapped[str] = mapped_column(ForeignKey("job_postings.id"))
    pushed_on: Mapped[dt.date] = mapped_column(Date)
    targeted: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation: Mapped[str] = mapped_column(Text, default="")  # why this job (Chinese), as shown
    stage: Mapped[str] = mapped_column(String(16))  # jiuye.assistance.Stage
    stage_on: Mapped[dt.date] = mapped_column(Date)
    trail: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [[stage, date], ...]
