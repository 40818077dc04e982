"""The application's pool of background workers (``service.background``), shared by every page
that starts long-running work (政策找人 runs, posting imports): started with the application,
which at start-up marks failed what a previous process left unfinished."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from jiuye.service.background import Background
from jiuye.service.db import transaction

__all__ = ["background_lifespan", "background_of"]


@asynccontextmanager
async def background_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One pool for the application (given to one router only: a second would start a second pool)."""
    background = Background(app.state.sessions)
    if inspect(app.state.engine).has_table("background_jobs"):  # else: an app over no schema (the API spec's)
        with transaction(app.state.sessions) as session:
            Background.recover(session)
    app.state.background = background
    yield
    background.shutdown()


def background_of(request: Request, session: Session) -> Background:
    """The application's pool; made here (recovering in the request's transaction) when the
    application was served without its start-up (a test client outside ``with``)."""
    background: Background | None = getattr(request.app.state, "background", None)
    if background is None:
        Background.recover(session)
        background = request.app.state.background = Background(request.app.state.sessions)
    return background
