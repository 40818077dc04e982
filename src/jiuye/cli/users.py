"""``jiuye users``: staff accounts managed by the local operator (whoever holds the database and
the master key; how the first administrator is made). Passwords come from ``JIUYE_NEW_PASSWORD``
or a prompt, never the command line; every change is audited as ``cli:<operating-system user>``."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from jiuye.cli.staff import DataDir

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from jiuye.service.users import Admin

__all__ = ["users_app"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
users_app = typer.Typer(help="账号管理：工作人员账号的创建、停用、启用、重设口令与角色", no_args_is_help=True)

Name = Annotated[str, typer.Argument(help="用户名")]
_ROLES = "caseworker 经办、reviewer 审核、finance 财务、auditor 审计、admin 管理员"


def _operator() -> str:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a container)
        who = str(os.getuid())
    return f"cli:{who}"[:64]


def _new_password() -> str:
    """From JIUYE_NEW_PASSWORD, else typed twice without echo."""
    typed = os.environ.get("JIUYE_NEW_PASSWORD")
    return typed or typer.prompt("新口令", hide_input=True, confirmation_prompt="再输入一次")


@contextmanager
def _operating(data_dir: Path | None) -> Iterator[Session]:
    """One transaction on the service database; errors in Chinese with exit code 1."""
    from jiuye.errors import JiuyeError
    from jiuye.service.db import make_engine, make_sessions, transaction
    from jiuye.service.migrate import is_current
    from jiuye.service.settings import Settings

    settings = Settings.from_env(data_dir)
    if not is_current(settings.database_url):
        err.print("[red]数据库尚未建立或结构不是最新版本；提示：先运行 jiuye db upgrade[/red]")
        raise typer.Exit(2)
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
            yield session
    except JiuyeError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


def _admin() -> Admin:
    from jiuye.service.users import Admin

    return Admin(_operator())


@users_app.command("add")
def add(
    username: Name,
    role: Annotated[str, typer.Option("--role", help=f"角色：{_ROLES}")],
    region: Annotated[str, typer.Option("--region", help="辖区（6位行政区划代码，如 450103）")],
    name: Annotated[str, typer.Option("--name", help="显示名称（默认同用户名）")] = "",
    data_dir: DataDir = None,
) -> None:
    """创建工作人员账号。口令取自环境变量 JIUYE_NEW_PASSWORD，未设置时提示输入两次。"""
    from jiuye.service.users import add_user

    password = _new_password()
    with _operating(data_dir) as session:
        user = add_user(
            session, _admin(), username=username, password=password, role=role, region=region, display_name=name
        )
        out.print(f"已创建用户 {user.username}（角色 {user.role}，辖区 {user.region}）")


@users_app.command("list")
def list_command(
    region: Annotated[str | None, typer.Option("--region", help="只列出此地区内的用户")] = None,
    data_dir: DataDir = None,
) -> None:
    """列出账号（不显示口令）。"""
    from jiuye.service.users import list_users

    with _operating(data_dir) as session:
        users = list_users(session, _admin(), region=region, limit=1000)
        table = Table("用户名", "名称", "角色", "辖区", "对象", "状态")
        for user in users:
            subject = str(user.subject_id) if user.subject_id else ""
            state = "启用" if user.active else "停用"
            table.add_row(user.username, user.display_name, user.role, user.region, subject, state)
        out.print(table if users else "没有用户")


@users_app.command("disable")
def disable(username: Name, data_dir: DataDir = None) -> None:
    """停用账号：其登录凭证立即失效。"""
    from jiuye.service.users import set_active

    with _operating(data_dir) as session:
        set_active(session, _admin(), username, active=False)
    out.print(f"已停用用户 {username}")


@users_app.command("enable")
def enable(username: Name, data_dir: DataDir = None) -> None:
    """启用账号，并解除登录锁定。"""
    from jiuye.service.users import set_active

    with _operating(data_dir) as session:
        set_active(session, _admin(), username, active=True)
    out.print(f"已启用用户 {username}")


@users_app.command("passwd")
def passwd(username: Name, data_dir: DataDir = None) -> None:
    """重设口令（取自 JIUYE_NEW_PASSWORD，未设置时提示输入两次），并解除登录锁定。"""
    from jiuye.service.users import set_password

    password = _new_password()
    with _operating(data_dir) as session:
        set_password(session, _admin(), username, password)
    out.print(f"已重设用户 {username} 的口令")


@users_app.command("roles")
def roles(
    username: Name,
    role: Annotated[str | None, typer.Argument(help=f"新角色（不填则显示当前角色）：{_ROLES}")] = None,
    data_dir: DataDir = None,
) -> None:
    """显示或更改工作人员的角色。"""
    from jiuye.service.users import change_role, find_user

    with _operating(data_dir) as session:
        if role is None:
            out.print(f"用户 {username} 的角色：{find_user(session, _admin(), username).role}（可选：{_ROLES}）")
            return
        user = change_role(session, _admin(), username, role)
        out.print(f"用户 {username} 的角色已改为 {user.role}")
