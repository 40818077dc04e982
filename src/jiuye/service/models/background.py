"""Background jobs (a matching run, a large import): their state and progress live in the
database, so a page reload, or another member of staff of the region, sees the same progress."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["JOB_STATES", "BackgroundJob"]

JOB_STATES = ("queued", "running", "done", "failed")


class BackgroundJob(Timestamped, Base):
    __tablename__ = "background_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # matching, ...
    state: Mapped[str] = mapped_column(String(12), index=True, default="queued")  # JOB_STATES
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(500), default="")  # Chinese, shown beside the bar
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    region: Mapped[str] = mapped_column(String(6), index=True)  # whose staff may see it
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON: what the job was asked to do
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[str | None] = mapped_column(String(500))  # where the output is, under the data dir
    error: Mapped[str | None] = mapped_column(Text)  # Chinese, personal data masked
