"""``jiuye eval`` and ``jiuye demo``: the calculator on a facts document (or on the examples)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from jiuye.cli.output import Format, fail, loading, out, parse_date, print_json
from jiuye.errors import JiuyeError

__all__ = ["demo", "eval_command"]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def eval_command(
    file: Annotated[Path, typer.Argument(help="事实文件（JSON 或 YAML）")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="评估日期 YYYY-MM-DD，默认取文件中的 as_of 或今天")
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="地区代码（GB/T 2260），默认取文件中的 region")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table 或 json")] = Format.table,
    measure: Annotated[list[str] | None, typer.Option("--measure", help="只评估指定政策（可重复）")] = None,
    params_file: Annotated[list[Path] | None, typer.Option("--params", help="本地参数文件（可重复）")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="显示不适用于本地区的政策")] = False,
) -> None:
    """按事实文件计算各项政策的资格、金额与理由。"""
    try:
        with loading():
            from jiuye.calculator import calculate
            from jiuye.facts import load_facts
            from jiuye.params import load_parameters
            from jiuye.policies.registry import all_measures, get_measure

            facts = load_facts(file)
            chosen = [get_measure(m) for m in measure] if measure else all_measures()
            params = load_parameters(params_file)
        day = parse_date(as_of, "--as-of") or facts.as_of or dt.date.today()
        report = calculate(facts, as_of=day, region=region, params=params, measures=chosen)
    except JiuyeError as exc:
        fail(exc)
    if fmt is Format.json:
        from jiuye.report_json import report_json

        print_json(report_json(report))
    else:
        from jiuye.cli.render import render_report

        render_report(report, out, verbose=verbose)


def demo(as_of: Annotated[str | None, typer.Option("--as-of")] = None) -> None:
    """主任务：用自带示例运行计算器（服务上线前的演示）。"""
    from jiuye.calculator import calculate
    from jiuye.cli.render import render_report
    from jiuye.facts import load_facts

    files = sorted(EXAMPLES.glob("*.yaml"))
    if not files:
        fail(JiuyeError(f"找不到示例目录 {EXAMPLES}"))
    for path in files:
        out.rule(f"[bold]示例：{path.name}[/bold]")
        try:
            facts = load_facts(path)
            day = parse_date(as_of, "--as-of") or facts.as_of or dt.date.today()
            render_report(calculate(facts, as_of=day, region=None), out)
        except JiuyeError as exc:
            fail(exc)
    out.print(f"[bold green]已完成 {len(files)} 个示例的计算[/bold green]")
