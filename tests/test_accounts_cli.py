"""``jiuye users`` (the local operator's account commands) and ``jiuye serve`` on a database
that is empty or behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from jiuye.cli.app import app
from jiuye.service.db import make_engine, make_sessions
from jiuye.service.migrate import current, head
from jiuye.service.models import AuditEvent, User
from jiuye.service.settings import Settings

NEW_PASSWORD = "a brand new password"


def _users(data_dir: Path, *args: str, typed: str | None = None) -> tuple[int, str]:
    done = CliRunner().invoke(app, ["users", *args, "--data-dir", str(data_dir)], input=typed)
    return done.exit_code, done.output


def _db(data_dir: Path) -> tuple[list[User], list[AuditEvent]]:
    settings = Settings.from_env(data_dir)
    engine = make_engine(settings.database_url)
    with make_sessions(engine, audit_key=settings.audit_key)() as session:
        found = list(session.scalars(select(User).order_by(User.username))), list(session.scalars(select(AuditEvent)))
    engine.dispose()
    return found


def test_the_operator_adds_lists_disables_enables_repasswords_and_changes_roles(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIUYE_NEW_PASSWORD", NEW_PASSWORD)
    code, output = _users(data_dir, "add", "boss", "--role", "admin", "--region", "450000", "--name", "自治区管理员")
    assert code == 0 and "已创建用户 boss" in output, output
    code, output = _users(data_dir, "list")
    assert code == 0 and "boss" in output and "clerk" in output and "argon2" not in output
    assert _users(data_dir, "disable", "clerk")[0] == 0
    users, events = _db(data_dir)
    assert [u.active for u in users if u.username == "clerk"] == [False]
    assert _users(data_dir, "enable", "clerk")[0] == 0
    code, output = _users(data_dir, "roles", "clerk", "reviewer")
    assert code == 0 and "reviewer" in output
    code, output = _users(data_dir, "roles", "clerk")
    assert code == 0 and "的角色：reviewer" in output
    monkeypatch.delenv("JIUYE_NEW_PASSWORD")
    code, output = _users(data_dir, "passwd", "clerk", typed=f"{NEW_PASSWORD}x\n{NEW_PASSWORD}x\n")
    assert code == 0 and NEW_PASSWORD not in output, "口令不回显"
    users, events = _db(data_dir)
    clerk = next(u for u in users if u.username == "clerk")
    assert clerk.active and clerk.role == "reviewer" and clerk.password_hash.startswith("$argon2id$")
    mine = [(e.action, e.actor) for e in events if e.actor.startswith("cli:")]
    assert [a for a, _ in mine] == ["user.create", "user.disable", "user.enable", "user.role", "user.password"]


def test_wrong_input_is_refused_in_chinese(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIUYE_NEW_PASSWORD", "short")
    code, output = _users(data_dir, "add", "x", "--role", "caseworker", "--region", "450103")
    assert code == 1 and "口令过短" in output
    monkeypatch.setenv("JIUYE_NEW_PASSWORD", NEW_PASSWORD)
    code, output = _users(data_dir, "add", "x", "--role", "enterprise", "--region", "450103")
    assert code == 1 and "不能在此授予" in output
    code, output = _users(data_dir, "add", "clerk", "--role", "caseworker", "--region", "450103")
    assert code == 1 and "已存在" in output
    code, output = _users(data_dir, "disable", "nobody")
    assert code == 1 and "不存在" in output
    assert "--password" not in CliRunner().invoke(app, ["users", "add", "--help"]).output, "口令不经命令行参数"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced: what the service would have been started with."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return calls


def test_serve_refuses_to_start_a_real_service_with_test_hashing(tmp_path: Path, started: list[dict[str, Any]]) -> None:
    """tests/conftest.py sets the cheap-hashing switch: a real service must not run with it."""
    done = CliRunner().invoke(app, ["serve", "--migrate", "--data-dir", str(tmp_path / "new")])
    assert done.exit_code == 2 and "JIUYE_TEST_CHEAP_HASHING" in done.output and started == [], done.output


def test_serve_on_an_empty_database_says_what_to_run_and_demo_still_builds_it(
    tmp_path: Path, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JIUYE_TEST_CHEAP_HASHING")
    done = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path / "new")])
    assert done.exit_code == 2 and "jiuye db upgrade" in done.output and "--migrate" in done.output, done.output
    assert started == []
    done = CliRunner().invoke(app, ["serve", "--demo", "--data-dir", str(tmp_path / "new")])  # still builds and seeds
    assert done.exit_code == 0 and "演示模式" in done.output, done.output
    users, _ = _db(tmp_path / "new")
    assert {u.username for u in users} >= {"admin", "clerk"} and len(started) == 1
    verified = CliRunner().invoke(app, ["audit", "verify", "--data-dir", str(tmp_path / "new")])
    assert verified.exit_code == 0 and "审计链完整" in verified.output


def test_serve_on_an_old_database_refuses_and_migrates_when_asked(
    tmp_path: Path, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JIUYE_TEST_CHEAP_HASHING")
    from jiuye.service.migrate import upgrade

    folder = tmp_path / "old"
    url = Settings.from_env(folder).database_url
    upgrade(url, "0008")
    done = CliRunner().invoke(app, ["serve", "--data-dir", str(folder)])
    assert done.exit_code == 2 and "jiuye db upgrade" in done.output and started == []
    verify = CliRunner().invoke(app, ["audit", "verify", "--data-dir", str(folder)])
    assert verify.exit_code == 2 and "jiuye db upgrade" in verify.output
    done = CliRunner().invoke(app, ["serve", "--migrate", "--data-dir", str(folder)])
    assert done.exit_code == 0, done.output
    assert len(started) == 1 and current(url) == head()
