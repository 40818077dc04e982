"""``jiuye match``: every measure over a whole registry, with decisions, budget and lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from jiuye.cli.output import err, fail, out, parse_date
from jiuye.errors import JiuyeError

__all__ = ["match_command"]


def match_command(
    registry_dir: Annotated[Path, typer.Argument(help="登记数据目录（persons.parquet、招用记录.csv……）")],
    as_of: Annotated[str, typer.Option("--as-of", help="评估日期 YYYY-MM-DD")],
    region: Annotated[str, typer.Option("--region", help="辖区行政区划代码，如 450000（全区）、450100（南宁市）")],
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录（决定、预算、名单）")],
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="跳过有误的行（逐行报告），否则有误即停止")] = False,
    measure: Annotated[list[str] | None, typer.Option("--measure", help="只评估指定政策（可重复）")] = None,
    keep_ineligible: Annotated[bool, typer.Option("--all", help="输出中也保留“不符合”的决定")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="覆盖已存在的输出目录")] = False,
    excel_region: Annotated[str | None, typer.Option("--excel-region", help="Excel 名单只含该地区")] = None,
    excel_measure: Annotated[str | None, typer.Option("--excel-measure", help="Excel 名单只含该政策")] = None,
    excel_rows: Annotated[
        int | None,
        typer.Option(
            "--excel-rows",
            min=0,
            help="Excel 名单最多写入的行数（默认5万行，见 docs/matching.md；0 为不写 Excel 名单）",
        ),
    ] = None,
) -> None:
    """政策找人：对整个登记数据评估全部政策，输出每个对象的决定、预算汇总和可打开的名单。"""
    import time

    import polars as pl
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jiuye.matching import match_registry
    from jiuye.matching.output import write_match
    from jiuye.money import format_yuan, to_fen
    from jiuye.params import load_parameters
    from jiuye.policies.registry import all_measures, get_measure
    from jiuye.regions import region_name, validate_region
    from jiuye.registry.io import read_registry
    from jiuye.registry.sources import registry_files_hash

    try:
        day = parse_date(as_of, "--as-of")
        assert day is not None
        area = validate_region(region)
        chosen = [get_measure(m) for m in measure] if measure else all_measures()
        started = time.perf_counter()
        registry = read_registry(registry_dir, skip_bad=skip_bad)
        reading = time.perf_counter() - started
        for problem in registry.problems[:50]:
            err.print(f"[yellow]已跳过[/yellow] {problem}", highlight=False)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
        ) as bar:
            task = bar.add_task("逐项评估政策", total=len(chosen))
            result = match_registry(
                registry.tables,
                as_of=day,
                region=area,
                params=load_parameters(),
                measures=chosen,
                keep_ineligible=keep_ineligible,
                progress=lambda m: bar.update(task, advance=1, description=f"已评估 {m.id}"),
            )
        excel = None
        if excel_region:
            excel = pl.col("region").str.starts_with(validate_region(excel_region).rstrip("0"))
        if excel_measure:
            get_measure(excel_measure)
            by_measure = pl.col("measure") == excel_measure
            excel = by_measure if excel is None else excel & by_measure
        summary = write_match(
            result,
            registry.tables,
            out_dir,
            overwrite=overwrite,
            excel_filter=excel,
            **({} if excel_rows is None else {"excel_cap": excel_rows}),
            extra={"skipped_rows": len(registry.problems)},
            registry_hash=registry_files_hash(registry_dir),
            timings={"read_validate": reading},
        )
    except JiuyeError as exc:
        fail(exc)
        return
    out.print(f"[bold]政策找人[/bold]：{cn_date_text(day)}，{area} {region_name(area)}")
    total = format_yuan(to_fen(summary["total_amount"]))
    out.print(f"符合条件的决定 {summary['eligible_decisions']} 项，应发资金合计 {total}")
    for fund, amount in summary["by_fund"].items():
        out.print(f"  {fund}：{format_yuan(to_fen(amount))}")
    if to_fen(summary["total_ceiling_unsettled"]):
        ceiling = format_yuan(to_fen(summary["total_ceiling_unsettled"]))
        out.print(f"另有按“最高”标准、待经办机构核定金额的项目，最高限额合计 {ceiling}（不计入应发资金）")
    out.print(
        f"结果已写入 {out_dir}（decisions.parquet、eligible.csv、eligible/、budget.xlsx、near_misses.csv、"
        "summary.json、provenance.json）"
    )
    lists = summary["excel_lists"]
    shown = "[yellow]注意[/yellow]" if lists["written"] < lists["rows"] else "Excel 名单"
    out.print(f"{shown}：{summary['excel_list']}")
    out.print(
        f"只差一项条件（差一点）的对象 {summary['near_misses']} 项：见 near_misses.csv，"
        f"或用 jiuye near-misses {out_dir} 筛选查看"
    )
    if summary["near_miss_list"] != "near_misses.xlsx":
        out.print(f"[yellow]注意[/yellow]：{summary['near_miss_list']}")
    spent = summary["timings"]
    stages = (("read_validate", "读取并校验"), ("evaluate", "评估"), ("decide", "决定"), ("write", "写出"))
    parts = "，".join(f"{word} {spent[key]:.1f} 秒" for key, word in stages if key in spent)
    out.print(f"用时 {spent['total']:.1f} 秒：{parts}")


def cn_date_text(day: dt.date) -> str:
    from jiuye.dates import cn_date

    return cn_date(day)
