"""What commands acting for a member of staff share: log in (password from ``JIUYE_PASSWORD`` or
a prompt), one transaction, and errors printed in Chinese with a non-zero exit."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:  # the service stack is heavy: imported when a command runs, not when the CLI starts
    from sqlalchemy.orm import Session

    from jiuye.service.applications import Engine
    from jiuye.service.auth import Caller

__all__ = ["DataDir", "Staff", "Today", "Username", "parse_day", "staff_session"]

err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="数据目录（默认 .jiuye，或 JIUYE_DATA_DIR）")]
Username = Annotated[str, typer.Option("--username", help="工作人员账号（口令取自 JIUYE_PASSWORD，未设置时提示输入）")]
Today = Annotated[str | None, typer.Option("--today", help="办理日期 YYYY-MM-DD（默认今天）")]


def parse_day(value: str | None, option: str = "--today") -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]{option} 应为 YYYY-MM-DD，收到 {value!r}[/red]")
        raise typer.Exit(2) from None


@dataclass
class Staff:
    session: Session
    caller: Caller
    engine: Engine
    #: The data directory (keys, uploads, caches).
    data_dir: Path | None = None


@contextmanager
def staff_session(username: str, data_dir: Path | None) -> Iterator[Staff]:
    """One transaction as ``username``: committed if the block ends, nothing written if it fails."""
    from jiuye.errors import JiuyeError
    from jiuye.params import load_parameters
    from jiuye.service.applications import Engine
    from jiuye.service.auth import Caller, authenticate
    from jiuye.service.db import make_engine, make_sessions, transaction
    from jiuye.service.parameter_files import stored_parameters
    from jiuye.service.protect import Protector
    from jiuye.service.settings import Settings

    password = os.environ.get("JIUYE_PASSWORD") or typer.prompt("口令", hide_input=True)
    settings = Settings.from_env(data_dir)
    db = make_engine(settings.database_url)
    protector = Protector(settings.index_key, settings.encryption_key)
    try:
        with transaction(make_sessions(db, audit_key=settings.audit_key)) as session:
            user = authenticate(session, username, password)
            caller = Caller(user.id, user.username, user.role, user.region, user.subject_id)
            yield Staff(
                session, caller, Engine(stored_parameters(session, load_parameters()), protector), settings.data_dir
            )
    except JiuyeError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    finally:
        db.dispose()
