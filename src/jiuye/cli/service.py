"""Commands of the case service's database: ``jiuye db upgrade``, ``jiuye audit verify``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["audit_app", "db_app"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

db_app = typer.Typer(help="案件服务数据库：DATABASE_URL 指定（默认 .jiuye/jiuye.db 的 SQLite）", no_args_is_help=True)
audit_app = typer.Typer(help="审计日志：只追加、哈希链接", no_args_is_help=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="数据目录（默认 .jiuye，或 JIUYE_DATA_DIR）")]


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None) -> None:
    """把数据库结构升级到最新版本（新库则创建）。"""
    from jiuye.service.migrate import current, upgrade
    from jiuye.service.settings import Settings

    settings = Settings.from_env(data_dir)
    upgrade(settings.database_url)
    out.print(f"数据库已是最新结构（版本 {current(settings.database_url)}）")


@audit_app.command("verify")
def audit_verify(data_dir: DataDir = None) -> None:
    """逐条核验审计日志的哈希链，报告第一条断开的记录；断开时退出码为 1。"""
    from jiuye.service.audit import verify_chain
    from jiuye.service.db import make_engine, make_sessions
    from jiuye.service.settings import Settings

    engine = make_engine(Settings.from_env(data_dir).database_url)
    try:
        with make_sessions(engine)() as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    if report.intact:
        out.print(f"[green]{report.message()}[/green]")
        return
    err.print(f"[red]{report.message()}[/red]")
    raise typer.Exit(1)
