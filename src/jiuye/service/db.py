"""Database engines and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL in production."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as exc_module
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["AUDIT_KEY", "make_engine", "make_sessions", "read_committed", "transaction"]

AUDIT_KEY = "jiuye_audit_key"  # the key of Session.info that holds the audit chain's key


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, enforced foreign keys and a busy timeout, and
    opens its transactions with BEGIN IMMEDIATE so that concurrent writers queue instead of
    failing half-way."""
    if not url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _ping_when_idle(engine)
        return engine
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        connection.isolation_level = None  # let SQLAlchemy's "begin" below decide how to begin
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "checkout")
    def _driver_autocommit(connection: Any, _record: Any, _proxy: Any) -> None:
        # As at connect: after an autocommit read (read_committed) SQLAlchemy resets the driver
        # to its implicit transactions; the "begin" below decides how transactions begin.
        connection.isolation_level = None

    # SQLite has one writer at a time. Waiting on SQLite's busy handler backs off by sleeping and
    # is not first-come-first-served (p99 of seconds with two threads); a lock in the process
    # queues this process's writers instead, and the busy timeout remains for other processes.
    writer = threading.Lock()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return  # a read outside any transaction (see read_committed): it writes nothing
        writer.acquire()
        connection.info["jiuye_writer"] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _end(connection)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(connection: Any) -> None:
        if connection.info.pop("jiuye_writer", False):  # only the connection that took it
            writer.release()

    return engine


#: A pooled connection idle longer than this is checked (one round trip) before it is lent out.
#: Named assumption: a connection used within the last few seconds is alive; one broken meanwhile
#: (the server restarted) fails that one statement, and SQLAlchemy then discards the whole pool.
IDLE_PING_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """``pool_pre_ping``, but only for connections that sat idle: a busy service would otherwise
    pay a round trip per transaction (seven per claim taken from filing to approval)."""

    @event.listens_for(engine, "checkin")
    def _checkin(_connection: Any, record: Any) -> None:
        record.info["jiuye_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("jiuye_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return  # new, or in use a moment ago
        try:
            alive = engine.dialect.do_ping(connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise exc_module.DisconnectionError(str(exc)) from exc
        if not alive:
            raise exc_module.DisconnectionError("ping failed")  # the pool retries with a new connection


def make_sessions(engine: Engine, *, audit_key: bytes) -> sessionmaker[Session]:
    """Sessions that carry the audit chain's key (``Settings.audit_key``): :func:`jiuye.service.audit.record`
    seals each event with it, and only a holder of the key can verify or extend the chain."""
    return sessionmaker(engine, expire_on_commit=False, info={AUDIT_KEY: audit_key})


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back (nothing written) if it raises."""
    with sessions() as session, session.begin():
        yield session


@contextmanager
def read_committed(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reading committed data outside any transaction (autocommit): no BEGIN and
    COMMIT round trips on PostgreSQL, no writer lock on SQLite. Each statement sees what was
    committed when it ran, so it suits a read of one statement, checked again before any write;
    nothing may be written through it."""
    with sessions() as session:
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session
