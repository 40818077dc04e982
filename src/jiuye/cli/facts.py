"""``jiuye facts schema``: the facts data dictionary (labels, types, units, examples)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from jiuye.cli.output import SchemaFormat, out, print_json

__all__ = ["facts_app"]

facts_app = typer.Typer(help="事实（输入数据）字典", no_args_is_help=True)


@facts_app.command("schema")
def facts_schema(fmt: Annotated[SchemaFormat, typer.Option("--format")] = SchemaFormat.table) -> None:
    """打印事实数据字典（中文名称、类型、单位、示例）；--format json 输出 JSON Schema。"""
    from jiuye.facts.dictionary import dictionary_markdown, dictionary_rows, json_schema

    if fmt is SchemaFormat.json:
        print_json(json_schema())
        return
    if fmt is SchemaFormat.markdown:
        sys.stdout.write(dictionary_markdown())
        return
    from rich.table import Table

    for entity, rows in dictionary_rows().items():
        table = Table(title=entity, header_style="bold", title_justify="left")
        for name in ("字段", "名称", "类型", "单位", "示例", "说明"):
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(row["field"], row["label"], row["type"], row["unit"], row["example"], row["note"])
        out.print(table)
