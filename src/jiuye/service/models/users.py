"""Staff and claimant accounts: hashed passwords, one role, one region (data scope)."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["ROLES", "User"]

#: enterprise user, individual, caseworker, reviewer, finance, auditor, administrator
ROLES = ("enterprise", "individual", "caseworker", "reviewer", "finance", "auditor", "admin")


class User(Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role in " + str(ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    role: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(6))  # staff: the area they serve; claimants: their own
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))  # enterprise / individual users
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Staff's own 公民身份号码 under the blind index, when known: they may not handle or review a
    # claim that names them (回避). Never the number itself.
    person_index: Mapped[str | None] = mapped_column(String(64), index=True)
