"""``jiuye near-misses``: the 差一点 list of a match already run, cut by measure, region or condition."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["near_misses_command"]

out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)


def near_misses_command(
    match_dir: Annotated[Path, typer.Argument(help="jiuye match 的输出目录（含 decisions.parquet）")],
    measure: Annotated[list[str] | None, typer.Option("--measure", help="只列该政策（可重复）")] = None,
    region: Annotated[str | None, typer.Option("--region", help="只列该地区（行政区划代码）")] = None,
    condition: Annotated[str | None, typer.Option("--condition", help="只列差在该条件上的（条件编号）")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="屏幕上最多显示的行数")] = 50,
    to_file: Annotated[Path | None, typer.Option("--out", help="把整个名单写入文件（.csv 或 .xlsx）")] = None,
) -> None:
    """政策找人“差一点”名单：只差一项条件的对象，按差距从小到大（号码已脱敏）。"""
    import polars as pl

    from jiuye.errors import JiuyeError
    from jiuye.matching.near_misses import near_miss_list
    from jiuye.matching.output import near_miss_sheet, write_near_misses
    from jiuye.policies.registry import get_measure
    from jiuye.regions import validate_region

    source = match_dir / "decisions.parquet"
    try:
        if not source.is_file():
            msg = f"找不到 {source}；提示：先运行 jiuye match 台账 --as-of 日期 --region 代码 --out {match_dir}"
            raise JiuyeError(msg)
        for m in measure or []:
            get_measure(m)
        area = validate_region(region) if region else None
        decisions = pl.read_parquet(source)
        if "near_miss" not in decisions.columns:
            msg = f"{source} 没有差一点的列（由旧版本写出）；提示：重新运行 jiuye match"
            raise JiuyeError(msg)
        near = near_miss_list(decisions, measures=measure or (), region=area, condition=condition)
        if to_file is not None:
            write_near_misses(near, to_file)
    except JiuyeError as exc:
        err.print(f"[red]错误[/red]：{exc}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    sheet = near_miss_sheet(near.head(limit))
    table = Table(title=f"差一点名单（共 {near.height} 项，显示前 {sheet.height} 项）")
    for name in sheet.columns:
        table.add_column(name, overflow="fold")
    for row in sheet.iter_rows():
        table.add_row(*("" if v is None else str(v) for v in row))
    out.print(table)
    if to_file is not None:
        out.print(f"名单已写入 {to_file}（{near.height} 行）")
