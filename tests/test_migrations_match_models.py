"""The migrations build exactly the schema the models describe, on both databases, and the recent
ones (issue 12: evidence and confirmation, background jobs, local parameter files, page indexes)
step down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from jiuye.service.migrate import _config, current, head, upgrade
from jiuye.service.models import Base


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))
    finally:
        engine.dispose()


def test_the_head_schema_is_the_models(database_url: str) -> None:
    assert current(database_url) == head()
    assert _differences(database_url) == []


def test_the_web_migrations_step_down_and_up(database_url: str) -> None:
    command.downgrade(_config(database_url), "0014")
    assert current(database_url) == "0014"
    upgrade(database_url)
    assert current(database_url) == head()
    assert _differences(database_url) == []
