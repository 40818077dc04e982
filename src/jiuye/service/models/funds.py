"""Fund allocations (资金下达): each row adds to (or, negative, takes from) a fund's budget for a
region and year; commitments and payments are read from the grant ledger and the payments."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["FundAllocation"]


class FundAllocation(Timestamped, Base):
    __tablename__ = "fund_allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund: Mapped[str] = mapped_column(String(32), index=True)  # ui_fund, employment_fund, finance...
    region: Mapped[str] = mapped_column(String(6), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
