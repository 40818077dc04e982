"""A running service for API edge tests: the demo seed (staff of every role, subjects with accounts),
an enterprise and an individual user bound to demo subjects, one draft claim; tokens for each role."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiuye.service.api import create_app
from jiuye.service.auth import create_user, issue_token
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.demo import DEMO_PAYER, DemoClock, seed_demo
from jiuye.service.models import Subject, User
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings

PASSWORD = "correct horse battery"
#: The user each role is tested as (demo accounts; the two claimants are added here).
USER_OF_ROLE = {
    "enterprise": "firm",
    "individual": "person",
    "caseworker": "clerk",
    "reviewer": "reviewer1",
    "finance": "finance",
    "auditor": "auditor",
    "admin": "admin",
}
TODAY = dt.date(2025, 12, 1)


@dataclass
class Service:
    app: FastAPI
    tokens: dict[str, str]  # role -> bearer token

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def close(self) -> None:
        self.app.state.engine.dispose()


def spec_app() -> FastAPI:
    """The application as deployed in demo mode, for reading its OpenAPI document only (it opens no
    database connection until a request comes)."""
    settings = Settings(database_url="sqlite://", data_dir=Path(tempfile.gettempdir()), master_key=os.urandom(32))
    return create_app(settings, demo_clock=DemoClock(TODAY))


def start_service(database_url: str, data_dir: Path) -> Service:
    """The service in demo mode over a new, migrated database."""
    settings = Settings(
        database_url=database_url, data_dir=data_dir, master_key=os.urandom(32), payer_account=DEMO_PAYER
    )
    engine = make_engine(database_url)
    protector = Protector(settings.index_key, settings.encryption_key)
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        seed_demo(session, protector, PASSWORD)
        subjects = {s.kind: s.id for s in session.scalars(select(Subject).order_by(Subject.id.desc()))}
        for username, role, kind in (("firm", "enterprise", "enterprise"), ("person", "individual", "person")):
            create_user(
                session, username=username, password=PASSWORD, role=role, region="450103", display_name=username,
                subject_id=subjects[kind],
            )  # fmt: skip
        users = {u.username: u for u in session.scalars(select(User))}
        tokens = {role: issue_token(users[name], settings.token_key, 600) for role, name in USER_OF_ROLE.items()}
    engine.dispose()
    return Service(create_app(settings, demo_clock=DemoClock(TODAY)), tokens)


@contextmanager
def staff_client(database_url: str, data_dir: Path, staff: tuple[tuple[str, str, str], ...]) -> Iterator[TestClient]:
    """A client of the service (not in demo mode) whose only users are ``staff`` (name, role,
    region; password :data:`PASSWORD`); ``client.app_state`` is the app's state."""
    settings = Settings(database_url=database_url, data_dir=data_dir, master_key=os.urandom(32))
    engine = make_engine(database_url)
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        for name, role, region in staff:
            create_user(session, username=name, password=PASSWORD, role=role, region=region, display_name=name)
    engine.dispose()
    app = create_app(settings)
    with TestClient(app) as test_client:
        test_client.app_state = app.state  # type: ignore[attr-defined]
        yield test_client
    app.state.engine.dispose()
