"""Commands of the case service: ``jiuye db upgrade``, ``jiuye audit verify``, ``jiuye serve`` and
``jiuye cases import-matches`` (免申即享)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jiuye.cli.staff import DataDir, Today, Username, parse_day, staff_session

__all__ = ["audit_app", "cases_app", "db_app"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

db_app = typer.Typer(help="案件服务数据库：DATABASE_URL 指定（默认 .jiuye/jiuye.db 的 SQLite）", no_args_is_help=True)
audit_app = typer.Typer(help="审计日志：只追加、哈希链接", no_args_is_help=True)
cases_app = typer.Typer(help="案件：把政策找人结果转为主动服务（免申即享）案件", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None) -> None:
    """把数据库结构升级到最新版本（新库则创建）。"""
    from jiuye.service.migrate import current, upgrade
    from jiuye.service.settings import Settings

    settings = Settings.from_env(data_dir)
    upgrade(settings.database_url, audit_key=settings.audit_key)
    out.print(f"数据库已是最新结构（版本 {current(settings.database_url)}）")


@audit_app.command("verify")
def audit_verify(
    data_dir: DataDir = None,
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", help="此前核验时显示并另行保存的锚点（条数:哈希），核对其后的记录未被连同链尾截断"),
    ] = None,
) -> None:
    """逐条核验审计日志的哈希链，报告第一条断开的记录；断开时退出码为 1。完整时显示锚点，请保存在数据库以外。"""
    from jiuye.service.audit import parse_anchor, verify_chain
    from jiuye.service.db import make_engine, make_sessions
    from jiuye.service.migrate import is_current
    from jiuye.service.settings import Settings

    try:
        kept = parse_anchor(anchor) if anchor is not None else None
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    settings = Settings.from_env(data_dir)
    if not is_current(settings.database_url):
        hint = "提示：先运行 jiuye db upgrade（旧的审计链在升级时以密钥封存）"
        err.print(f"[red]数据库尚未建立或结构不是最新版本；{hint}[/red]")
        raise typer.Exit(2)
    engine = make_engine(settings.database_url)
    try:
        with make_sessions(engine, audit_key=settings.audit_key)() as session:
            report = verify_chain(session, anchor=kept)
    finally:
        engine.dispose()
    if report.intact:
        out.print(f"[green]{report.message()}[/green]")
        out.print(f"锚点：{report.anchor}（请保存在数据库以外，日后以 --anchor 核对记录未被截断）")
        return
    err.print(f"[red]{report.message()}[/red]")
    raise typer.Exit(1)


@cases_app.command("import-matches")
def import_matches_command(
    registry_dir: Annotated[Path, typer.Argument(help="登记数据目录（与 jiuye match 所用相同）")],
    match_dir: Annotated[Path, typer.Argument(help="jiuye match 的输出目录（含 decisions.parquet）")],
    measure: Annotated[list[str], typer.Option("--measure", help="转为案件的政策（可重复）")],
    username: Username,
    today: Today = None,
    data_dir: DataDir = None,
) -> None:
    """把政策找人结果中“符合”的对象转为已预审的主动服务案件（仍须审核、公示、核准）。

    口令从环境变量 JIUYE_PASSWORD 读取，未设置时提示输入。"""
    import polars as pl

    from jiuye.registry.io import read_registry
    from jiuye.service.proactive import import_matches

    decisions_file = match_dir / "decisions.parquet"
    if not decisions_file.is_file():
        err.print(f"[red]找不到 {decisions_file}；提示：先运行 jiuye match REGISTRY --out {match_dir}[/red]")
        raise typer.Exit(2)
    day = parse_day(today)
    with staff_session(username, data_dir) as staff:
        registry = read_registry(registry_dir)
        report = import_matches(
            staff.session, staff.engine, staff.caller, registry.tables,
            pl.read_parquet(decisions_file), measures=measure, today=day,
        )  # fmt: skip
    out.print(report.summary())
    for label, why in report.skipped[:20]:
        out.print(f"  跳过 {label}：{why}")
    if len(report.skipped) > 20:
        out.print(f"  ……另有 {len(report.skipped) - 20} 件跳过")


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
    migrate: Annotated[
        bool, typer.Option("--migrate", help="启动前先把数据库升级到最新结构（同 jiuye db upgrade）")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """启动案件服务（接口文档在 /docs）。数据库须已是最新结构：先运行 jiuye db upgrade，或加 --migrate。"""
    import os

    import uvicorn

    from jiuye.service.api import create_app
    from jiuye.service.auth import TEST_HASHING
    from jiuye.service.db import make_engine, make_sessions, transaction
    from jiuye.service.demo import seed_demo
    from jiuye.service.migrate import is_current, upgrade
    from jiuye.service.protect import Protector
    from jiuye.service.settings import Settings

    if os.environ.get(TEST_HASHING) == "1" and not demo:  # weak hashes must never reach real accounts
        err.print(
            f"[red]环境变量 {TEST_HASHING}=1 仅供测试（口令以最低强度哈希），正式服务拒绝启动；提示：取消该变量[/red]"
        )
        raise typer.Exit(2)
    settings = Settings.from_env(data_dir)
    where = settings.database_url.split("@")[-1]
    if demo or migrate:
        upgrade(settings.database_url, audit_key=settings.audit_key)
    elif not is_current(settings.database_url):
        hint = "提示：先运行 jiuye db upgrade（同样的 --data-dir 或 DATABASE_URL），或以 jiuye serve --migrate 启动"
        err.print(f"[red]数据库尚未建立或结构不是最新版本（{where}），服务无法启动；{hint}[/red]")
        raise typer.Exit(2)
    demo_clock = None
    if demo:
        import dataclasses
        import datetime as dt

        from jiuye.service.demo import DEMO_LOGINS, DEMO_PAYER, DemoClock

        demo_clock = DemoClock(dt.date.fromisoformat(today) if today else dt.date.today())
        if not settings.payer_account:
            settings = dataclasses.replace(settings, payer_account=DEMO_PAYER)
        password = os.environ.get("JIUYE_DEMO_PASSWORD", "jiuye-demo-2025")
        engine = make_engine(settings.database_url)
        with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
            seeded = seed_demo(session, Protector(settings.index_key, settings.encryption_key), password)
        engine.dispose()
        if seeded:
            names = "、".join(login[0] for login in DEMO_LOGINS)
            out.print(f"[yellow]演示模式[/yellow]：已创建演示账号 {names}，口令 {password}（仅供本机试用）")
    app = create_app(settings, demo_clock=demo_clock)
    if demo:
        app.state.demo_logins = DEMO_LOGINS  # the home page offers them, with the shared password
        app.state.demo_password = password
    out.print(f"网上服务：http://{host}:{port}/ （接口文档 /docs；数据库 {where}）")
    uvicorn.run(app, host=host, port=port, log_level="warning")
