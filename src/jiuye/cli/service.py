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


def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="本地试用：建库并写入演示账号与对象（统一口令，启动时显示）")
    ] = False,
    today: Annotated[
        str | None,
        typer.Option("--today", help="演示模式的“今天”（YYYY-MM-DD，默认今天；管理员可经 /demo/today 调整）"),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """启动案件服务（接口文档在 /docs）。"""
    import os

    import uvicorn

    from jiuye.service.api import create_app
    from jiuye.service.db import make_engine, make_sessions, transaction
    from jiuye.service.demo import DEMO_USERS, seed_demo
    from jiuye.service.migrate import upgrade
    from jiuye.service.protect import Protector
    from jiuye.service.settings import Settings

    settings = Settings.from_env(data_dir)
    demo_clock = None
    if demo:
        import dataclasses
        import datetime as dt

        from jiuye.service.demo import DEMO_PAYER, DemoClock

        demo_clock = DemoClock(dt.date.fromisoformat(today) if today else dt.date.today())
        if not settings.payer_account:
            settings = dataclasses.replace(settings, payer_account=DEMO_PAYER)
        upgrade(settings.database_url)
        password = os.environ.get("JIUYE_DEMO_PASSWORD", "jiuye-demo-2025")
        engine = make_engine(settings.database_url)
        with transaction(make_sessions(engine)) as session:
            seeded = seed_demo(session, Protector(settings.index_key, settings.encryption_key), password)
        engine.dispose()
        if seeded:
            names = "、".join(user[0] for user in DEMO_USERS)
            out.print(f"[yellow]演示模式[/yellow]：已创建演示账号 {names}，口令 {password}（仅供本机试用）")
    out.print(f"案件服务：http://{host}:{port}/docs （数据库 {settings.database_url.split('@')[-1]}）")
    uvicorn.run(create_app(settings, demo_clock=demo_clock), host=host, port=port, log_level="warning")
