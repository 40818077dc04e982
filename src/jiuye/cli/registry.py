"""``jiuye registry check`` and ``jiuye synth``: registry files checked, or synthesised."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jiuye.cli.output import err, fail, out, parse_date
from jiuye.errors import JiuyeError

__all__ = ["registry_app", "synth_command"]

registry_app = typer.Typer(help="台账（登记数据）：格式见 docs/registry-format.md", no_args_is_help=True)


@registry_app.command("check")
def registry_check(
    directory: Annotated[Path, typer.Argument(help="台账目录（persons.csv、人员.xlsx、招用记录.parquet……）")],
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="只导入无误的行，报告跳过的行")] = False,
) -> None:
    """检查台账：按文件和行号列出每一处错误；有误且未加 --skip-bad 时以状态 2 退出。"""
    import polars as pl
    from rich.table import Table

    from jiuye.registry.io import problems_report, read_registry

    try:
        registry = read_registry(directory, skip_bad=skip_bad)
    except JiuyeError as exc:
        fail(exc)
        return
    if registry.problems:
        rows = len({(p.file, p.line) for p in registry.problems})
        err.print(f"[yellow]已跳过 {rows} 行有误数据[/yellow]（{len(registry.problems)} 处）：", highlight=False)
        err.print(problems_report(registry.problems), markup=False, highlight=False, soft_wrap=True)
    table = Table(header_style="bold")
    for name in ("表", "文件", "导入行数"):
        table.add_column(name)
    for name, frame in registry.tables.items():
        table.add_row(name, registry.files[name], str(frame.select(pl.len()).collect().item()))
    out.print(table)
    out.print("[green]台账检查通过[/green]" if not registry.problems else "[yellow]台账已导入无误的行[/yellow]")


def synth_command(
    persons: Annotated[int, typer.Option("--persons", help="人数（人员表行数）；单位、招用等记录按比例生成")],
    seed: Annotated[int, typer.Option("--seed", help="随机种子：种子、人数、截止日期相同则文件完全相同")] = 0,
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录（每表一个 Parquet 文件及 manifest.json）")] = Path(
        "registry"
    ),
    as_of: Annotated[str | None, typer.Option("--as-of", help="数据截止日期 YYYY-MM-DD，默认 2025-12-31")] = None,
) -> None:
    """生成合成台账（演示与基准测试数据）：仿广西人口与企业分布，可复现，任意规模。"""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from jiuye.facts.model import Facts
    from jiuye.registry.synth import DEFAULT_AS_OF, MANIFEST, check_options, synthesize

    day = parse_date(as_of, "--as-of") or DEFAULT_AS_OF
    started = time.perf_counter()
    try:
        check_options(persons=persons, seed=seed, as_of=day)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
        ) as bar:
            task = bar.add_task("生成人员及其记录", total=persons)
            manifest = synthesize(
                out_dir,
                persons=persons,
                seed=seed,
                as_of=day,
                progress=lambda done, _: bar.update(task, completed=done),
            )
    except JiuyeError as exc:
        fail(exc)
        return
    except OSError as exc:
        fail(JiuyeError(f"无法写入输出目录 {out_dir}：{exc.strerror or exc}；提示：检查路径与写入权限"))
        return
    table = Table(header_style="bold")
    for name in ("表", "名称", "文件", "行数"):
        table.add_column(name, justify="right" if name == "行数" else "left")
    for name, entry in manifest["tables"].items():
        table.add_row(name, Facts.model_fields[name].title or name, entry["file"], f"{entry['rows']:,}")
    out.print(table)
    out.print(
        f"已写入 {out_dir}（{MANIFEST} 记录种子与行数）：种子 {seed}，截止日期 {day.isoformat()}，"
        f"用时 {time.perf_counter() - started:.1f} 秒",
        highlight=False,
    )
