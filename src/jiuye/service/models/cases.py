"""Applications, their approvals, and the grant ledger that makes paying twice impossible.

The ledger's guarantee is a partial unique index: at most one *live* grant item per
(ledger key, item key, period), enforced by the database and written in the same transaction as
the approval. Two approvals racing for the same hire cannot both commit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import func

from jiuye.service.models.base import Base, Timestamped

if TYPE_CHECKING:
    from jiuye.service.models.identity import Subject

__all__ = ["Application", "Approval", "GrantItem"]


class Application(Timestamped, Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(64), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)  # the subject's: what scopes access
    state: Mapped[str] = mapped_column(String(20), index=True)
    source: Mapped[str] = mapped_column(String(16))  # self | caseworker | proactive
    claimant_ref: Mapped[str] = mapped_column(String(64))  # the claimant's id inside the facts
    facts_sealed: Mapped[str] = mapped_column(Text)  # the facts hold ID numbers: encrypted at rest
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who filed it
    filed_as: Mapped[str | None] = mapped_column(String(16))  # filer's role: enterprise|individual|caseworker
    handlers: Mapped[str] = mapped_column(String(200), default="")  # user ids, comma-separated
    review_round: Mapped[int] = mapped_column(Integer, default=1)  # an objection starts a new round
    as_of_submitted: Mapped[dt.date | None] = mapped_column(Date, index=True)  # the queue's date filter
    status_submitted: Mapped[str | None] = mapped_column(String(16))
    amount_submitted_fen: Mapped[int | None] = mapped_column(BigInteger)
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, Chinese
    as_of_approved: Mapped[dt.date | None] = mapped_column(Date)
    amount_approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    # The engine's provenance (JSON: engine version, rule hash, parameter dates, facts hash) of the
    # decision at submission and at approval, so either can be reproduced and checked later.
    provenance_submitted: Mapped[str | None] = mapped_column(Text)
    provenance_approved: Mapped[str | None] = mapped_column(Text)
    notice_published: Mapped[dt.date | None] = mapped_column(Date)
    notice_last_day: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # What the money is (最高, 不超过): the engine's ceiling at submission, apart from the amount due,
    # and the amount a caseworker set within it (jiuye.service.amounts).
    ceiling_submitted_fen: Mapped[int | None] = mapped_column(BigInteger)
    amount_set_fen: Mapped[int | None] = mapped_column(BigInteger)
    amount_set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # 免申即享: the claimant's one-click confirmation of a proactive case, and the account of
    # theirs they chose to be paid into (jiuye.service.offers).
    claimant_confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_account_id: Mapped[int | None] = mapped_column(ForeignKey("bank_accounts.id"))

    # The subject, read in the same statement by the steps that need both (contains_eager): holding
    # it keeps it in the session, where Session.get finds it. Never loaded on its own, never written.
    subject: Mapped[Subject] = relationship(viewonly=True, lazy="raise")

    # A stale writer fails instead of overwriting (SQLAlchemy's declarative spelling, hence the noqa).
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Approval(Base):
    __tablename__ = "approvals"
    __table_args__ = (UniqueConstraint("application_id", "review_round", "reviewer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    review_round: Mapped[int] = mapped_column(Integer)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class GrantItem(Timestamped, Base):
    """One thing granted once: a hire's expansion subsidy, an internship, a certificate..."""

    __tablename__ = "grant_items"
    __table_args__ = (
        Index(
            "uq_grant_items_live",
            "ledger_key",
            "item_key",
            "period",
            unique=True,
            sqlite_where=text("status = 'live'"),
            postgresql_where=text("status = 'live'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    measure_id: Mapped[str] = mapped_column(String(64))
    ledger_key: Mapped[str] = mapped_column(String(64))
    item_key: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="live")  # live | revoked
