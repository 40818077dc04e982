"""The audit trail is append-only and hash-chained, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from jiuye.service.audit import record, verify_chain
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.models import AuditEvent

KEY = os.urandom(32)  # the audit key: outside the database, as Settings.audit_key is


def _append(url: str, n: int, actor: str = "caseworker1", key: bytes = KEY) -> None:
    engine = make_engine(url)
    sessions = make_sessions(engine, audit_key=key)
    for i in range(n):
        with transaction(sessions) as session:
            record(session, actor=actor, action="subject.read", entity="subject", entity_id=i, detail={"i": i})
    engine.dispose()


def _report(url: str, key: bytes = KEY):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    with make_sessions(engine, audit_key=key)() as session:
        report = verify_chain(session)
    engine.dispose()
    return report


def test_a_fresh_chain_verifies_and_counts_every_event(database_url: str) -> None:
    _append(database_url, 5)
    report = _report(database_url)
    assert report.intact and report.events == 5
    assert "审计链完整" in report.message()


def test_an_event_rolled_back_with_its_change_leaves_no_trace(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_sessions(engine, audit_key=KEY)
    with pytest.raises(RuntimeError), transaction(sessions) as session:
        record(session, actor="a", action="x", entity="e", entity_id=1)
        raise RuntimeError("the change failed")
    with sessions() as session:
        assert session.scalars(select(AuditEvent)).all() == []
    engine.dispose()
    _append(database_url, 1)
    assert _report(database_url).intact


def test_the_database_refuses_to_update_or_delete_an_event(database_url: str) -> None:
    _append(database_url, 2)
    engine = make_engine(database_url)
    for statement in ("UPDATE audit_events SET actor = 'x' WHERE seq = 1", "DELETE FROM audit_events WHERE seq = 2"):
        with pytest.raises(DBAPIError, match="只能追加"), engine.begin() as connection:
            connection.exec_driver_sql(statement)
    engine.dispose()
    assert _report(database_url).intact


def _tamper(url: str, statement: str) -> None:
    """What someone with the database owner's rights could do: disable the guard, edit, restore."""
    engine = make_engine(url)
    with engine.begin() as connection:
        if url.startswith("postgresql"):
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            connection.exec_driver_sql(statement)
            connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
        else:
            triggers = connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
            ).all()
            for name, _ in triggers:
                connection.execute(text(f"DROP TRIGGER {name}"))
            connection.exec_driver_sql(statement)
            for _, sql in triggers:
                connection.execute(text(sql))
    engine.dispose()


def test_editing_one_row_breaks_the_chain_at_that_row(database_url: str) -> None:
    _append(database_url, 6)
    _tamper(database_url, "UPDATE audit_events SET detail = '{\"i\":99}' WHERE seq = 4")
    report = _report(database_url)
    assert report.broken_at == 4
    assert "第 4 条" in report.message() and "被修改" in report.message()


def test_removing_the_last_events_is_found(database_url: str) -> None:
    _append(database_url, 5)
    _tamper(database_url, "DELETE FROM audit_events WHERE seq >= 4")
    report = _report(database_url)
    assert report.broken_at == 4
    assert "末尾的记录被删除" in report.reason


def test_removing_an_event_in_the_middle_is_found(database_url: str) -> None:
    _append(database_url, 5)
    _tamper(database_url, "DELETE FROM audit_events WHERE seq = 2")
    assert _report(database_url).broken_at == 2


def test_concurrent_writers_make_one_unbroken_chain(database_url: str) -> None:
    threads = [threading.Thread(target=_append, args=(database_url, 10, f"user{i}")) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = _report(database_url)
    assert report.intact and report.events == 60


def test_the_commands_create_the_database_and_verify_its_chain(tmp_path: Path) -> None:
    from jiuye.cli.app import app

    runner = CliRunner()
    folder = tmp_path / "data"
    done = runner.invoke(app, ["db", "upgrade", "--data-dir", str(folder)])
    assert done.exit_code == 0, done.output
    assert (folder / "master.key").stat().st_mode & 0o077 == 0, "主密钥文件只能由所有者读取"
    from jiuye.service.settings import Settings

    _append(f"sqlite:///{folder / 'jiuye.db'}", 3, key=Settings.from_env(folder).audit_key)
    done = runner.invoke(app, ["audit", "verify", "--data-dir", str(folder)])
    assert done.exit_code == 0 and "共 3 条" in done.output
    _tamper(f"sqlite:///{folder / 'jiuye.db'}", "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
    done = runner.invoke(app, ["audit", "verify", "--data-dir", str(folder)])
    assert done.exit_code == 1 and "第 2 条" in done.output
