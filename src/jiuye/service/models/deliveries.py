"""Delivery documents: what an approval that pays no cash ends in (tax list entry, notice, loan settlement, record).

One per approved application and form, numbered, issued exactly once: the unique constraints hold
even when two approvals of the same claim race.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["DeliveryDocument"]


class DeliveryDocument(Timestamped, Base):
    __tablename__ = "delivery_documents"
    __table_args__ = (UniqueConstraint("application_id", "form"), UniqueConstraint("number"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    form: Mapped[str] = mapped_column(String(20), index=True)  # jiuye.delivery.Form
    measure_id: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)  # the application's: what scopes access
    issued_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)  # deduction quota, interest subsidy; None: no money
    status: Mapped[str] = mapped_column(String(16), default="issued")  # issued | awaiting_loan | settled
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON: citation, tax year, loan terms (Chinese)
