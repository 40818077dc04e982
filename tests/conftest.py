"""Shared test fixtures: the bundled parameters and where ../shared lives (tests skip without it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Argon2 at its lowest cost for the users fixtures create (read when jiuye.service.auth is first
# imported, hence before any import of it; JIUYE_TEST_CHEAP_HASHING=0 keeps the real cost). Tests of
# login timing restore the real cost themselves.
os.environ.setdefault("JIUYE_TEST_CHEAP_HASHING", "1")
# Nothing is read from or kept in the user's cache (the tests of the caches set their own folder).
os.environ["JIUYE_CACHE_DIR"] = ""

from jiuye.params import ParameterSet, load_parameters

pytest_plugins = ("cli_world",)  # the data_dir fixture of command-line tests

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def params() -> ParameterSet:
    return load_parameters()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("JIUYE_REQUIRE_SHARED"):
            pytest.fail("CI 要求 ../shared/ 存在，以运行参考数据交叉核对")
        pytest.skip("../shared/ 不存在：跳过与参考数据的交叉核对")
    return SHARED


#: PostgreSQL of these machines (trust auth); override with JIUYE_TEST_POSTGRES.
POSTGRES = os.environ.get("JIUYE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_unavailable() -> str | None:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(POSTGRES)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: not here
        return f"无法连接 PostgreSQL（{POSTGRES}）：{type(exc).__name__}"
    return None


@contextmanager
def new_database(kind: str, directory: Path) -> Iterator[str]:
    """A new, migrated database: a SQLite file in ``directory``, or a schema of its own on the
    PostgreSQL server (dropped afterwards). PostgreSQL tests skip, saying why, where there is
    none; with ``JIUYE_REQUIRE_POSTGRES=1`` (as in ``.ci/run``) they fail instead."""
    from jiuye.service.migrate import upgrade

    if kind == "sqlite":
        url = f"sqlite:///{directory / f'jiuye-{uuid.uuid4().hex[:8]}.db'}"
        upgrade(url)
        yield url
        return
    reason = _postgres_unavailable()
    if reason:
        if os.environ.get("JIUYE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"JIUYE_REQUIRE_POSTGRES=1 要求运行 PostgreSQL 测试，但{reason}")
        pytest.skip(f"跳过 PostgreSQL 测试：{reason}")
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """A new, migrated database of each kind (see :func:`new_database`)."""
    with new_database(database_kind, tmp_path) as url:
        yield url
