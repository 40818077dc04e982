"""Alembic environment: the service's metadata, the URL given by ``jiuye.service.migrate``."""

from __future__ import annotations

from alembic import context

from jiuye.service.db import make_engine
from jiuye.service.models import Base

config = context.config
engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
try:
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
finally:
    engine.dispose()
