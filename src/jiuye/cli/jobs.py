"""``jiuye jobs``: job aggregation and two-way recommendation (人工智能+就业, 桂人社发〔2025〕38号
（十四）（十五）), and targeted pushes to graduates in the ledger (（十七））."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jiuye.cli.staff import DataDir, Staff, Today, Username, parse_day, staff_session

__all__ = ["jobs_app"]

jobs_app = typer.Typer(
    help="岗位归集与人岗匹配：导入岗位、为毕业生推荐岗位、为岗位推荐人选、针对性推送", no_args_is_help=True
)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)


@contextmanager
def _saved_index(staff: Staff) -> Iterator[None]:
    """Rank with the posting index saved under the data directory, brought in step with the table first,
    and save it again afterwards (``jiuye.service.posting_cache``)."""
    from jiuye.service.posting_cache import cache_path, load_index, save_index

    if staff.data_dir is None:
        yield
        return
    path = cache_path(staff.data_dir)
    load_index(staff.session, path)
    yield
    save_index(staff.session, path)


@jobs_app.command("import")
def import_files(
    files: Annotated[
        list[Path], typer.Argument(help="岗位文件：Excel（.xlsx）、CSV（UTF-8 或 GBK）、JSON 或 JSON Lines")
    ],
    channel: Annotated[str, typer.Option("--channel", help="来源渠道，如 51job、零工市场、单位自报")],
    username: Username,
    strict: Annotated[bool, typer.Option("--strict", help="有任何一行有误即整批不导入（默认只导入正确的行）")] = False,
    reference: Annotated[str | None, typer.Option("--reference", help="无年份日期按此日推断（默认今天）")] = None,
    data_dir: DataDir = None,
) -> None:
    """导入一个渠道的岗位文件：逐字段解析，标注职业分类与岗位开发方向，与已有岗位跨渠道去重后入库。"""
    from jiuye.service.jobs import import_posting_files

    with staff_session(username, data_dir) as staff:
        result, stored = import_posting_files(
            staff.session, staff.caller, files, channel=channel, strict=strict,
            reference=parse_day(reference, "--reference") if reference else None,
        )  # fmt: skip
    out.print(result.summary())
    for problem in result.problems[:20]:
        out.print(f"  {problem}")
    if len(result.problems) > 20:
        out.print(f"  ……另有 {len(result.problems) - 20} 处问题")
    out.print(f"入库：新增 {stored.added}，更新 {stored.updated}，未变 {stored.unchanged}")


@jobs_app.command("match")
def match(
    graduate_id: Annotated[int, typer.Argument(help="实名帮扶台账编号")],
    username: Username,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="推荐个数")] = 10,
    today: Today = None,
    data_dir: DataDir = None,
) -> None:
    """为台账中的毕业生推荐在招岗位（满足全部硬性条件，逐条说明理由；不含已推送过的）。"""
    from jiuye.service.job_matching import jobs_for_graduate

    with staff_session(username, data_dir) as staff, _saved_index(staff):
        matches = jobs_for_graduate(staff.session, staff.caller, graduate_id, today=parse_day(today), k=top)
    if not matches:
        out.print("没有满足全部硬性条件的在招岗位")
    for rank, m in enumerate(matches, start=1):
        where = m.posting.place or m.posting.region
        out.print(f"[bold]{rank}. {m.posting.title}[/bold]（{m.posting.employer}，{where}） 岗位编号 {m.posting.id}")
        out.print(m.explanation.text(), highlight=False)


@jobs_app.command("seekers")
def seekers(
    posting_id: Annotated[str, typer.Argument(help="岗位编号")],
    username: Username,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="推荐人数")] = 10,
    today: Today = None,
    data_dir: DataDir = None,
) -> None:
    """为岗位推荐本辖区台账中仍在帮扶的毕业生（双方的硬性条件都满足）。"""
    from jiuye.service.job_matching import seekers_for_posting

    with staff_session(username, data_dir) as staff:
        matches = seekers_for_posting(staff.session, staff.caller, posting_id, today=parse_day(today), k=top)
    if not matches:
        out.print("本辖区台账中没有满足该岗位全部硬性条件的毕业生")
    for rank, (graduate_id, m) in enumerate(matches, start=1):
        out.print(f"[bold]{rank}. 台账编号 {graduate_id}[/bold]")
        out.print(m.explanation.text(), highlight=False)


@jobs_app.command("push")
def push(
    graduate_id: Annotated[int, typer.Argument(help="实名帮扶台账编号")],
    username: Username,
    channel: Annotated[str, typer.Option("--channel", help="推送方式：短信、电话、线上……")] = "短信",
    today: Today = None,
    data_dir: DataDir = None,
) -> None:
    """向毕业生推送 3—5 个针对性岗位（困难毕业生优先，gx38（十七））：均满足硬性条件，职业与单位各不相同，
    从未推送过、未截止；计入“1131”服务的岗位推荐。"""
    from jiuye.service.assistance import push_jobs
    from jiuye.service.job_matching import targeted_chooser

    with staff_session(username, data_dir) as staff, _saved_index(staff):
        pushes = push_jobs(staff.session, staff.caller, graduate_id, today=parse_day(today), choose=targeted_chooser,
                           channel=channel)  # fmt: skip
        made = [(p.id, p.posting_id, p.explanation.splitlines()[0] if p.explanation else "") for p in pushes]
    for push_id, posting_id, first in made:
        out.print(f"推送编号 {push_id}：岗位 {posting_id}  {first}")
    out.print(f"已推送 {len(made)} 个岗位")
