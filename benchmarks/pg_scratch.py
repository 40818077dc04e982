"""A schema of its own on the PostgreSQL server for one benchmark run, dropped afterwards (as the
tests' ``new_database`` does), so benchmarks never touch another run's tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

__all__ = ["scratch_schema"]


@contextmanager
def scratch_schema(postgres: str) -> Iterator[str | None]:
    """The URL of a new, empty schema on ``postgres``, or None (said on stdout) when the server
    cannot be reached; errors of the benchmark itself propagate."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    try:
        try:
            with admin.connect() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
        except OperationalError as exc:  # no server here: say so
            print(f"PostgreSQL skipped: {type(exc).__name__}")
            yield None
            return
        try:
            yield f"{postgres}?options=-csearch_path%3D{schema}"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    finally:
        admin.dispose()
