"""The ``jiuye`` command: policy catalog, calculator, facts schema, demo."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from jiuye.calculator import calculate
from jiuye.catalog import assumptions, assumptions_markdown, measure_json
from jiuye.errors import JiuyeError
from jiuye.facts import load_facts
from jiuye.facts.dictionary import dictionary_markdown, dictionary_rows, json_schema
from jiuye.params import load_parameters
from jiuye.policies.registry import all_measures, get_measure
from jiuye.report_json import report_json

app = typer.Typer(help="稳就业政策服务平台：政策目录与计算器", no_args_is_help=True, add_completion=False)
policies_app = typer.Typer(help="政策目录", no_args_is_help=True)
facts_app = typer.Typer(help="事实（输入数据）字典", no_args_is_help=True)
app.add_typer(policies_app, name="policies")
app.add_typer(facts_app, name="facts")

out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True)
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


class Format(StrEnum):
    table = "table"
    json = "json"


class SchemaFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _fail(exc: Exception) -> None:
    err.print(f"[red]错误[/red]：{exc}", markup=True, highlight=False)
    raise typer.Exit(2)


def _parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(JiuyeError(f"{option} 日期格式不正确：{text!r}；提示：应为 YYYY-MM-DD，如 2025-12-31"))
    return None


@policies_app.command("list")
def policies_list(fmt: Annotated[Format, typer.Option("--format", help="table 或 json")] = Format.table) -> None:
    """列出全部政策措施。"""
    measures = all_measures()
    if fmt is Format.json:
        _print_json([measure_json(m) for m in measures])
        return
    table = Table(header_style="bold")
    for name in ("编号", "名称", "适用地区", "结果", "依据"):
        table.add_column(name)
    for m in measures:
        data = measure_json(m)
        table.add_row(
            m.id,
            m.title,
            data["jurisdiction_name"],
            "金额" if m.pays_money else "资格/事项",
            "；".join(data["citations"]),
        )
    out.print(table)


@policies_app.command("show")
def policies_show(
    measure_id: Annotated[str, typer.Argument(help="政策编号，如 gx.expansion")],
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
    as_of: Annotated[str | None, typer.Option("--as-of", help="按该日期显示条件中的参数值")] = None,
) -> None:
    """显示一项政策：条文原文、条件、参数及其分日期取值、有效期。"""
    try:
        measure = get_measure(measure_id)
    except JiuyeError as exc:
        _fail(exc)
        return
    day = _parse_date(as_of, "--as-of") or dt.date.today()
    data = measure_json(measure, load_parameters(), as_of=day)
    if fmt is Format.json:
        _print_json(data)
        return
    out.print(f"[bold]{data['title']}[/bold]（{data['id']}）  适用：{data['jurisdiction_name']}")
    out.print(f"依据：{'；'.join(data['citations'])}")
    out.print(data["summary"])
    out.rule("条文")
    out.print(data["clauses"], highlight=False)
    out.rule("条件")
    for c in data["conditions"]:
        out.print(f"· {c['label']}（{c['citation']}）", highlight=False)
    out.rule("参数")
    table = Table(header_style="bold", show_lines=True)
    for name in ("参数", "说明", "生效日期", "取值", "出处 / 假设"):
        table.add_column(name, overflow="fold")
    for p in data["parameters"]:
        for v in p["values"]:
            ref = v["reference"]
            source = f"{ref['citation']}：“{ref['quote']}”" if ref else ""
            if v["assumption"]:
                source += f"\n假设：{v['assumption']}"
            table.add_row(p["name"], p["description"], v["since"], v["value"], source)
    out.print(table)


@policies_app.command("assumptions")
def policies_assumptions(fmt: Annotated[SchemaFormat, typer.Option("--format")] = SchemaFormat.table) -> None:
    """列出全部具名假设（文件未作规定之处的解读）及其所在参数文件。"""
    params = load_parameters()
    if fmt is SchemaFormat.json:
        _print_json(assumptions(params))
        return
    if fmt is SchemaFormat.markdown:
        sys.stdout.write(assumptions_markdown(params))
        return
    table = Table(header_style="bold", show_lines=True)
    for name in ("参数", "取值", "假设", "文件"):
        table.add_column(name, overflow="fold")
    for a in assumptions(params):
        table.add_row(a["parameter"], a["value"], a["assumption"], a["file"])
    out.print(table)


@app.command("eval")
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
        facts = load_facts(file)
        day = _parse_date(as_of, "--as-of") or facts.as_of or dt.date.today()
        chosen = [get_measure(m) for m in measure] if measure else None
        params = load_parameters(params_file)
        report = calculate(facts, as_of=day, region=region, params=params, measures=chosen)
    except JiuyeError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        _print_json(report_json(report))
    else:
        from jiuye.cli.render import render_report

        render_report(report, out, verbose=verbose)


@facts_app.command("schema")
def facts_schema(fmt: Annotated[SchemaFormat, typer.Option("--format")] = SchemaFormat.table) -> None:
    """打印事实数据字典（中文名称、类型、单位、示例）；--format json 输出 JSON Schema。"""
    if fmt is SchemaFormat.json:
        _print_json(json_schema())
        return
    if fmt is SchemaFormat.markdown:
        sys.stdout.write(dictionary_markdown())
        return
    for entity, rows in dictionary_rows().items():
        table = Table(title=entity, header_style="bold", title_justify="left")
        for name in ("字段", "名称", "类型", "单位", "示例", "说明"):
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(row["field"], row["label"], row["type"], row["unit"], row["example"], row["note"])
        out.print(table)


@app.command("demo")
def demo(as_of: Annotated[str | None, typer.Option("--as-of")] = None) -> None:
    """主任务：用自带示例运行计算器（服务上线前的演示）。"""
    files = sorted(EXAMPLES.glob("*.yaml"))
    if not files:
        _fail(JiuyeError(f"找不到示例目录 {EXAMPLES}"))
    from jiuye.cli.render import render_report

    for path in files:
        out.rule(f"[bold]示例：{path.name}[/bold]")
        try:
            facts = load_facts(path)
            day = _parse_date(as_of, "--as-of") or facts.as_of or dt.date.today()
            render_report(calculate(facts, as_of=day, region=None), out)
        except JiuyeError as exc:
            _fail(exc)
    out.print(f"[bold green]已完成 {len(files)} 个示例的计算[/bold green]")


def main() -> None:
    app()
