"""Subjects (persons and enterprises) and their bank accounts, identifiers protected.

No column holds a clear ID number, USCC, phone or account number: each is stored as a blind
index (to find and deduplicate), a ciphertext (to reveal, audited) and a mask (to show).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["IDENTITY_PENDING", "IDENTITY_VERIFIED", "BankAccount", "Subject"]

#: A subject the bureau registered, or checked by hand (verified); one that registered itself and
#: still needs a caseworker's identity check (pending): its claims cannot be approved or paid.
IDENTITY_VERIFIED, IDENTITY_PENDING = "verified", "pending"


class Subject(Timestamped, Base):
    __tablename__ = "subjects"
    __table_args__ = (
        UniqueConstraint("kind", "number_index"),
        CheckConstraint("kind in ('person', 'enterprise')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(6), index=True)  # GB/T 2260
    number_index: Mapped[str] = mapped_column(String(64))  # 公民身份号码 or 统一社会信用代码
    number_sealed: Mapped[str] = mapped_column(String(400))
    number_masked: Mapped[str] = mapped_column(String(32))
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_sealed: Mapped[str | None] = mapped_column(String(400))
    phone_masked: Mapped[str | None] = mapped_column(String(32))
    address_index: Mapped[str | None] = mapped_column(String(64), index=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    identity_status: Mapped[str] = mapped_column(
        String(16), default=IDENTITY_VERIFIED, server_default=IDENTITY_VERIFIED
    )


class BankAccount(Timestamped, Base):
    """An account a subject is paid into. A change is a new row, never an edit, so "account changed
    shortly before payout" can be checked against ``recorded_on``: the service's day when it was
    recorded, which no one types (``valid_from`` is refused earlier than that day)."""

    __tablename__ = "bank_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    bank_name: Mapped[str] = mapped_column(String(100))
    holder_name: Mapped[str] = mapped_column(String(200))
    account_index: Mapped[str] = mapped_column(String(64), index=True)
    account_sealed: Mapped[str] = mapped_column(String(400))
    account_masked: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
