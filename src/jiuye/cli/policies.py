"""``jiuye policies``: the catalog (list, show, assumptions) and, imported when used, ``diff``."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer

from jiuye.cli.lazy import lazy_group
from jiuye.cli.output import Format, SchemaFormat, fail, out, parse_date, print_json
from jiuye.errors import JiuyeError

__all__ = ["policies_app"]

policies_app = typer.Typer(
    cls=lazy_group({"diff": "jiuye.cli.policy_diff:policies_diff"}), help="政策目录", no_args_is_help=True
)


@policies_app.command("list")
def policies_list(fmt: Annotated[Format, typer.Option("--format", help="table 或 json")] = Format.table) -> None:
    """列出全部政策措施。"""
    from jiuye.catalog import measure_json
    from jiuye.policies.registry import all_measures

    measures = all_measures()
    if fmt is Format.json:
        print_json([measure_json(m) for m in measures])
        return
    from rich.table import Table

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
    from jiuye.catalog import measure_json
    from jiuye.params import load_parameters
    from jiuye.policies.registry import get_measure

    try:
        measure = get_measure(measure_id)
    except JiuyeError as exc:
        fail(exc)
    day = parse_date(as_of, "--as-of") or dt.date.today()
    data = measure_json(measure, load_parameters(), as_of=day)
    if fmt is Format.json:
        print_json(data)
        return
    from rich.table import Table

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
    from jiuye.catalog import assumptions, assumptions_markdown
    from jiuye.params import load_parameters

    params = load_parameters()
    if fmt is SchemaFormat.json:
        print_json(assumptions(params))
        return
    if fmt is SchemaFormat.markdown:
        sys.stdout.write(assumptions_markdown(params))
        return
    from rich.table import Table

    table = Table(header_style="bold", show_lines=True)
    for name in ("参数", "取值", "假设", "文件"):
        table.add_column(name, overflow="fold")
    for a in assumptions(params):
        table.add_row(a["parameter"], a["value"], a["assumption"], a["file"])
    out.print(table)
