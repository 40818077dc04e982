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
from jiuye.cli.deliveries import deliveries_app
from jiuye.cli.jobs import jobs_app
from jiuye.cli.ledger import ledger_app
from jiuye.cli.near_misses import near_misses_command
from jiuye.cli.policy_diff import policies_diff
from jiuye.cli.service import audit_app, cases_app, db_app, serve
from jiuye.cli.users import users_app
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
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(cases_app, name="cases")
app.add_typer(ledger_app, name="ledger")
app.add_typer(jobs_app, name="jobs")
app.add_typer(deliveries_app, name="deliveries")
app.add_typer(users_app, name="users")
app.command("serve")(serve)
policies_app.command("diff")(policies_diff)
app.command("near-misses")(near_misses_command)

out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, soft_wrap=True)  # an error is one line per problem: the terminal wraps it, not us
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


@app.command("match")
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
    from jiuye.regions import region_name, validate_region
    from jiuye.registry.io import read_registry
    from jiuye.registry.sources import registry_files_hash

    try:
        day = _parse_date(as_of, "--as-of")
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
        _fail(exc)
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


registry_app = typer.Typer(help="台账（登记数据）：格式见 docs/registry-format.md", no_args_is_help=True)
app.add_typer(registry_app, name="registry")


@registry_app.command("check")
def registry_check(
    directory: Annotated[Path, typer.Argument(help="台账目录（persons.csv、人员.xlsx、招用记录.parquet……）")],
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="只导入无误的行，报告跳过的行")] = False,
) -> None:
    """检查台账：按文件和行号列出每一处错误；有误且未加 --skip-bad 时以状态 2 退出。"""
    import polars as pl

    from jiuye.registry.io import problems_report, read_registry

    try:
        registry = read_registry(directory, skip_bad=skip_bad)
    except JiuyeError as exc:
        _fail(exc)
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


@app.command("synth")
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

    from jiuye.facts.model import Facts
    from jiuye.registry.synth import DEFAULT_AS_OF, MANIFEST, check_options, synthesize

    day = _parse_date(as_of, "--as-of") or DEFAULT_AS_OF
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
        _fail(exc)
        return
    except OSError as exc:
        _fail(JiuyeError(f"无法写入输出目录 {out_dir}：{exc.strerror or exc}；提示：检查路径与写入权限"))
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
