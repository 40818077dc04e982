"""Payments and the batches that carry them to the bank.

At most one *live* payment per application (pending, exported, paid or unknown): a partial unique
index, so no run, however concurrent or however often repeated after a crash, can pay a grant
twice. A failed, reversed or voided payment frees the grant for a new attempt under a new key.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["LIVE_PAYMENT", "Payment", "PaymentBatch"]

LIVE_PAYMENT = ("pending", "exported", "paid", "unknown")
_LIVE = "status IN ('pending', 'exported', 'paid', 'unknown')"


class PaymentBatch(Timestamped, Base):
    __tablename__ = "payment_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_no: Mapped[str] = mapped_column(String(32), unique=True)
    region: Mapped[str] = mapped_column(String(6))
    pay_date: Mapped[dt.date] = mapped_column(Date)
    declared_count: Mapped[int] = mapped_column(Integer)
    declared_total_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))  # prepared | exported | reconciled | voided
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    void_reason: Mapped[str | None] = mapped_column(String(500))
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Payment(Timestamped, Base):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("application_id", "attempt"),
        Index(
            "uq_payments_live",
            "application_id",
            unique=True,
            sqlite_where=text(_LIVE),
            postgresql_where=text(_LIVE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(32), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id"))
    payee_name: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    fingerprint: Mapped[str] = mapped_column(String(64))  # HMAC over the fields fixed at approval
    status: Mapped[str] = mapped_column(String(16))  # pending|exported|paid|failed|unknown|reversed|voided
    bank_message: Mapped[str | None] = mapped_column(String(200))
    void_reason: Mapped[str | None] = mapped_column(String(500))
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
