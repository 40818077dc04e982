"""Schema migrations (Alembic), run from code: no alembic.ini to find, the same on every database.

>>> import tempfile, pathlib
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'x.db'}"
>>> upgrade(url); current(url) == head()
True
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from jiuye.service.db import make_engine

__all__ = ["current", "head", "is_current", "upgrade"]

_HERE = Path(__file__).parent / "migrations"
_KEYED_AUDIT = "0012"  # the revision from which audit events are keyed (HMAC)


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head", *, audit_key: bytes | None = None) -> None:
    """Bring the database at ``url`` to ``revision`` (creating it if it is a new SQLite file).

    With ``audit_key``, an upgrade that crosses into keyed audit hashing seals the older, unkeyed
    chain with one keyed event (:func:`jiuye.service.audit.seal_legacy`). Only then: a chain found
    unsealed later was downgraded by someone, and sealing it would bless the forgery."""
    before = current(url)
    command.upgrade(_config(url), revision)
    if audit_key is None or before is None or before not in _pre_keyed():
        return
    from jiuye.service.audit import seal_legacy
    from jiuye.service.db import make_sessions, transaction

    engine = make_engine(url)
    try:
        with transaction(make_sessions(engine, audit_key=audit_key)) as session:
            seal_legacy(session)
    finally:
        engine.dispose()


def _pre_keyed() -> set[str]:
    """Revisions older than keyed audit hashing (its ancestors, whatever the chain's order)."""
    script = ScriptDirectory.from_config(_config("sqlite://"))
    return {r.revision for r in script.iterate_revisions(_KEYED_AUDIT, "base")} - {_KEYED_AUDIT}


def is_current(url: str) -> bool:
    """Whether the database has the newest schema (a missing or empty database has none)."""
    try:
        return current(url) == head()
    except SQLAlchemyError:  # an unreachable or unreadable database is not current either
        return False


def head() -> str:
    revision = ScriptDirectory.from_config(_config("sqlite://")).get_current_head()
    assert revision is not None
    return revision


def current(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
