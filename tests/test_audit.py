"""The audit trail is append-only and hash-chained, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from jiuye.service.audit import parse_anchor, record, verify_chain
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


def _actions(url: str) -> list[str]:
    engine = make_engine(url)
    with make_sessions(engine, audit_key=KEY)() as session:
        found = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    engine.dispose()
    return found


def test_an_event_recorded_in_a_savepoint_rolled_back_is_dropped_with_it(database_url: str) -> None:
    engine = make_engine(database_url)
    with transaction(make_sessions(engine, audit_key=KEY)) as session:
        record(session, actor="a", action="kept.before", entity="e", entity_id=1)
        with pytest.raises(RuntimeError), session.begin_nested():
            record(session, actor="a", action="dropped", entity="e", entity_id=2)
            with session.begin_nested():
                record(session, actor="a", action="dropped.inner", entity="e", entity_id=3)
            raise RuntimeError("the savepoint's change failed")
        with session.begin_nested():
            record(session, actor="a", action="kept.released", entity="e", entity_id=4)
        record(session, actor="a", action="kept.after", entity="e", entity_id=5)
    engine.dispose()
    assert _actions(database_url) == ["kept.before", "kept.released", "kept.after"]
    assert _report(database_url).intact


def test_a_session_keeps_nothing_for_its_next_transaction(database_url: str) -> None:
    engine = make_engine(database_url)
    with make_sessions(engine, audit_key=KEY)() as session:
        with pytest.raises(RuntimeError), session.begin():
            record(session, actor="a", action="rolled.back", entity="e", entity_id=1)
            raise RuntimeError("the change failed")
        with session.begin():
            record(session, actor="a", action="committed", entity="e", entity_id=2)
        with session.begin():
            pass  # nothing recorded: nothing appended
    engine.dispose()
    assert _actions(database_url) == ["committed"]
    assert _report(database_url).intact


def test_the_chain_is_locked_only_while_the_events_are_appended(tmp_path: Path) -> None:
    """PostgreSQL: a transaction that recorded an event and is still working does not hold the
    head; another commits meanwhile, and the chain is in commit order, unbroken."""
    from conftest import new_database

    with new_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        sessions = make_sessions(engine, audit_key=KEY)
        with sessions() as slow, slow.begin():
            record(slow, actor="a", action="slow", entity="e", entity_id=1)
            slow.execute(text("SELECT 1"))  # its transaction is open on the server
            with sessions() as quick, quick.begin():
                quick.execute(text("SET LOCAL lock_timeout = '2s'"))  # would fail, were the head held
                record(quick, actor="b", action="quick", entity="e", entity_id=2)
        engine.dispose()
        assert _actions(url) == ["quick", "slow"]
        assert _report(url).intact


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


def _rehash_from(url: str, seq: int, statement: str) -> None:
    """A database writer without the key: edit event ``seq``, then recompute every later link
    with plain SHA-256 and move the head, as the unkeyed chain allowed."""
    from jiuye.service.audit import event_hash

    _tamper(url, statement)
    engine = make_engine(url)
    fields = ("seq", "at", "actor", "action", "entity", "entity_id", "detail")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM audit_events ORDER BY seq")).mappings().all()
    prev = next((r["hash"] for r in rows if r["seq"] == seq - 1), "0" * 64)
    statements = []
    for row in rows:
        if row["seq"] < seq:
            continue
        digest = event_hash(prev, {k: row[k] for k in fields})
        statements.append(f"UPDATE audit_events SET prev_hash = '{prev}', hash = '{digest}' WHERE seq = {row['seq']}")
        prev = digest
    engine.dispose()
    for statement in statements:
        _tamper(url, statement)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE audit_head SET hash = '{prev}' WHERE id = 1"))
    engine.dispose()


def test_an_event_rewritten_and_rehashed_without_the_key_is_found(database_url: str) -> None:
    _append(database_url, 6)
    _rehash_from(database_url, 3, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
    report = _report(database_url)
    assert report.broken_at == 3 and "密钥" in report.reason


def test_a_chain_downgraded_whole_to_plain_hashes_is_found(database_url: str) -> None:
    _append(database_url, 4)
    _rehash_from(database_url, 1, "UPDATE audit_events SET detail = '{\"i\":7}' WHERE seq = 1")
    report = _report(database_url)
    assert not report.intact and report.broken_at == 1 and "未经密钥封存" in report.reason


def test_a_chain_verifies_only_with_its_own_key(database_url: str) -> None:
    _append(database_url, 2)
    assert not _report(database_url, key=os.urandom(32)).intact


def _old_database(url: str, n: int) -> None:
    """A database as it was before keyed hashing: schema 0008, a plain SHA-256 chain."""
    from alembic import command

    from jiuye.service.audit import GENESIS, event_hash
    from jiuye.service.migrate import _config
    from jiuye.service.models import AuditHead

    command.downgrade(_config(url), "0008")
    engine = make_engine(url)
    prev = GENESIS
    with make_sessions(engine, audit_key=KEY)() as session, session.begin():
        for seq in range(1, n + 1):
            fields = {"seq": seq, "at": f"2025-01-0{seq}T00:00:00.000000Z", "actor": "old", "action": "subject.read",
                      "entity": "subject", "entity_id": str(seq), "detail": "{}"}  # fmt: skip
            digest = event_hash(prev, fields)
            session.add(AuditEvent(**fields, prev_hash=prev, hash=digest))
            prev = digest
        head = session.get(AuditHead, 1)
        assert head is not None
        head.seq, head.hash = n, prev
    engine.dispose()


def test_an_old_plain_chain_is_sealed_by_the_upgrade_and_then_cannot_be_rewritten(database_url: str) -> None:
    from jiuye.service.migrate import upgrade

    _old_database(database_url, 3)
    upgrade(database_url, audit_key=KEY)
    report = _report(database_url)
    assert report.intact and report.events == 4, report.message()
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT action FROM audit_events WHERE seq = 4")).scalar() == "audit.seal"
    engine.dispose()
    upgrade(database_url, audit_key=KEY)  # nothing more to seal
    assert _report(database_url).events == 4
    _rehash_from(database_url, 2, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
    assert not _report(database_url).intact, "封存事件的密钥哈希覆盖此前的旧记录"


def test_an_old_chain_upgraded_without_the_key_is_not_called_intact(database_url: str) -> None:
    from jiuye.service.migrate import upgrade

    _old_database(database_url, 2)
    upgrade(database_url)
    report = _report(database_url)
    assert report.broken_at == 1 and "未经密钥封存" in report.reason
    _append(database_url, 1)  # the first keyed event seals what came before
    assert _report(database_url).intact


def test_verify_over_http_finds_a_rewritten_and_rehashed_event(database_url: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from jiuye.service.api import create_app
    from jiuye.service.auth import create_user
    from jiuye.service.settings import Settings

    settings = Settings(database_url=database_url, data_dir=tmp_path, master_key=os.urandom(32))
    engine = make_engine(database_url)
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        create_user(session, username="auditor", password="p" * 12, role="auditor", region="450000", display_name="a")
    engine.dispose()
    _append(database_url, 3, key=settings.audit_key)
    app = create_app(settings)
    with TestClient(app) as client:
        token = client.post("/auth/token", data={"username": "auditor", "password": "p" * 12}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/audit/verify", headers=headers).json()["intact"]
        _rehash_from(database_url, 2, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
        report = client.get("/audit/verify", headers=headers).json()
    app.state.engine.dispose()
    assert not report["intact"] and report["broken_at"] == 2


def _cut_tail_and_head(url: str, keep: int) -> None:
    """Delete every event after ``keep`` and set the head back to the last one kept: each remaining
    link still verifies, so only an anchor kept outside the database can tell."""
    _tamper(url, f"DELETE FROM audit_events WHERE seq > {keep}")
    engine = make_engine(url)
    with engine.begin() as connection:
        last = connection.execute(text(f"SELECT hash FROM audit_events WHERE seq = {keep}")).scalar_one()
        connection.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash"), {"seq": keep, "hash": last})
    engine.dispose()


def _report_against(url: str, anchor: tuple[int, str]):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    with make_sessions(engine, audit_key=KEY)() as session:
        report = verify_chain(session, anchor=anchor)
    engine.dispose()
    return report


def test_a_tail_cut_with_its_head_is_found_against_an_anchor_kept_outside(database_url: str) -> None:
    _append(database_url, 5)
    kept = parse_anchor(_report(database_url).anchor)
    assert kept[0] == 5
    assert _report_against(database_url, kept).intact
    _cut_tail_and_head(database_url, 3)
    report = _report_against(database_url, kept)
    assert report.broken_at == 4 and "保存的锚点为第 5 条" in report.reason, report.reason
    assert _report_against(database_url, parse_anchor(_report(database_url).anchor)).intact  # a later anchor: as it is
    older = _report(database_url)
    _append(database_url, 2)
    assert _report_against(database_url, parse_anchor(older.anchor)).intact, "锚点之后新增的记录不影响核对"


def test_an_anchor_that_names_another_hash_is_refused(database_url: str) -> None:
    _append(database_url, 3)
    report = _report_against(database_url, (2, "0" * 64))
    assert report.broken_at == 2 and "与保存的锚点不符" in report.reason


@pytest.mark.parametrize("bad", ["", "5", "x:" + "a" * 64, "0:" + "a" * 64, "3:" + "g" * 64, "3:abc"])
def test_a_malformed_anchor_is_refused_in_chinese(bad: str) -> None:
    with pytest.raises(ValueError, match="锚点格式不正确"):
        parse_anchor(bad)


def test_the_command_prints_the_anchor_and_checks_against_it(tmp_path: Path) -> None:
    from jiuye.cli.app import app
    from jiuye.service.settings import Settings

    runner = CliRunner()
    folder = tmp_path / "data"
    assert runner.invoke(app, ["db", "upgrade", "--data-dir", str(folder)]).exit_code == 0
    url = f"sqlite:///{folder / 'jiuye.db'}"
    key = Settings.from_env(folder).audit_key
    engine = make_engine(url)
    for i in range(4):
        with transaction(make_sessions(engine, audit_key=key)) as session:
            record(session, actor="clerk", action="subject.read", entity="subject", entity_id=i)
    engine.dispose()
    done = runner.invoke(app, ["audit", "verify", "--data-dir", str(folder)])
    anchor = done.output.split("锚点：")[1].split("（")[0].strip()
    assert done.exit_code == 0 and parse_anchor(anchor)[0] == 4, done.output
    _cut_tail_and_head(url, 2)
    assert runner.invoke(app, ["audit", "verify", "--data-dir", str(folder)]).exit_code == 0  # the database alone
    done = runner.invoke(app, ["audit", "verify", "--data-dir", str(folder), "--anchor", anchor])
    assert done.exit_code == 1 and "第 4 条" in done.output, done.output
    done = runner.invoke(app, ["audit", "verify", "--data-dir", str(folder), "--anchor", "4:xyz"])
    assert done.exit_code == 2 and "锚点格式不正确" in done.output
