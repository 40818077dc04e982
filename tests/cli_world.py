"""A service data directory for command-line tests: SQLite, migrated, with one caseworker whose
password is in ``JIUYE_PASSWORD``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claims_world import PASSWORD
from jiuye.cli.app import app
from jiuye.service.auth import create_user
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.migrate import upgrade
from jiuye.service.settings import Settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "service"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JIUYE_PASSWORD", PASSWORD)
    upgrade(Settings.from_env(folder).database_url)
    add_staff(folder, "clerk", "caseworker", "450103", "王经办")
    return folder


def add_staff(folder: Path, username: str, role: str, region: str, display_name: str) -> None:
    """A member of staff in the data directory's database, with the shared test password."""
    settings = Settings.from_env(folder)
    engine = make_engine(settings.database_url)
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        create_user(session, username=username, password=PASSWORD, role=role, region=region,
                    display_name=display_name)  # fmt: skip
    engine.dispose()


def run(data_dir: Path, group: str, *args: str) -> tuple[int, str]:
    """``jiuye GROUP ARGS`` as the caseworker; (exit code, output)."""
    done = CliRunner().invoke(app, [group, *args, "--username", "clerk", "--data-dir", str(data_dir)])
    return done.exit_code, done.output
