"""Getting in: failed-login counters (lockout) and pending self-registrations (verification codes)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["LoginThrottle", "Registration"]


class LoginThrottle(Base):
    """Recent failed logins for one user name or one client address (``kind``), and the lock
    they earned. A name nobody has counts like a real one, so a lock reveals nothing."""

    __tablename__ = "login_throttle"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # "user" or "address"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Registration(Timestamped, Base):
    """One self-registration in progress: the subject's number (blind index and ciphertext), the
    keyed hash of the code sent (never the code), its expiry and the attempts used."""

    __tablename__ = "registrations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, unguessable
    kind: Mapped[str] = mapped_column(String(16))
    number_index: Mapped[str] = mapped_column(String(64), index=True)
    number_sealed: Mapped[str] = mapped_column(String(400))
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(6))
    phone_sealed: Mapped[str] = mapped_column(String(400))  # the phone the code went to (kept if a new subject is made)
    code_hash: Mapped[str] = mapped_column(String(64))
    sent: Mapped[bool] = mapped_column(default=False)  # False: refused quietly (already bound, name differs)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
