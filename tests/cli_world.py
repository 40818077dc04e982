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
    url = Settings.from_env(folder).database_url
    upgrade(url)
    engine = make_engine(url)
    with transaction(make_sessions(engine)) as session:
        create_user(session, username="clerk", password=PASSWORD, role="caseworker", region="450103",
                    display_name="王经办")  # fmt: skip
    engine.dispose()
    return folder


def run(data_dir: Path, group: str, *args: str) -> tuple[int, str]:
    """``jiuye GROUP ARGS`` as the caseworker; (exit code, output)."""
    done = CliRunner().invoke(app, [group, *args, "--username", "clerk", "--data-dir", str(data_dir)])
    return done.exit_code, done.output
