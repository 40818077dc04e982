"""Local parameter files: a bureau's own dated settings, stored as uploaded and never edited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["LocalParameterFile"]


class LocalParameterFile(Timestamped, Base):
    """One uploaded ``*.params.yaml``: its text exactly as checked (what the engine loads), who
    uploaded it and its SHA-256. ``created_at`` is when; files apply in upload order (``id``)."""

    __tablename__ = "local_parameter_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    effective_from: Mapped[dt.date] = mapped_column(Date)  # the earliest date a value of it governs
    summary: Mapped[str] = mapped_column(Text)  # JSON: each value it sets, for the list of files
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
