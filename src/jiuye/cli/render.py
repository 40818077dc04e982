"""Rich rendering for people: Chinese tables of decisions and of the catalog."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from jiuye.calculator import Report
from jiuye.dates import cn_date
from jiuye.engine.decision import Decision
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, NEEDS_FACTS
from jiuye.money import format_yuan
from jiuye.regions import region_name

__all__ = ["render_report"]

_STATUS = {ELIGIBLE: "[green]符合[/green]", INELIGIBLE: "[red]不符合[/red]", NEEDS_FACTS: "[yellow]待补充[/yellow]"}


def _only_jurisdiction(d: Decision) -> bool:
    return d.status == INELIGIBLE and all(
        [c.key for c in line.conditions if c.result is False] == ["jurisdiction"] for line in d.lines
    )


def _money(d: Decision) -> str:
    """应发 (the amount due) and 最高 (a ceiling) are shown apart, never as one figure."""
    if d.amount_fen is not None and d.ceiling_fen is not None:
        return f"应发{format_yuan(d.amount_fen)}\n（最高{format_yuan(d.ceiling_fen)}）"
    if d.ceiling_fen is not None:
        return f"最高可领{format_yuan(d.ceiling_fen)}\n（金额待核定）"
    return format_yuan(d.amount_fen) if d.amount_fen is not None else "—"


def render_report(report: Report, console: Console, *, verbose: bool = False) -> None:
    where = f"{report.region} {region_name(report.region)}" if report.region else "未指定"
    console.print(f"[bold]评估日期[/bold]：{cn_date(report.as_of)}    [bold]地区[/bold]：{where}")
    out_of_area = [d for d in report.decisions if _only_jurisdiction(d)]
    shown = [d for d in report.decisions if verbose or d not in out_of_area]
    order = {ELIGIBLE: 0, NEEDS_FACTS: 1, INELIGIBLE: 2}
    shown.sort(key=lambda d: order[d.status])
    table = Table(show_lines=True, header_style="bold")
    for name in ("政策", "对象", "结论", "金额", "理由与依据"):
        table.add_column(name, overflow="fold")
    for d in shown:
        amount = _money(d)
        if not d.selected:
            amount += "\n（与其他政策择一）"
        reasons = list(d.reasons[: 6 if verbose else 3])
        if len(d.reasons) > len(reasons):
            reasons.append(f"……另有{len(d.reasons) - len(reasons)}条")
        reasons += [f"[magenta]冲突[/magenta]：{c.message}" for c in d.conflicts]
        reasons += [f"[cyan]假设[/cyan]：{a}" for a in d.assumptions[:2]]
        reasons += [f"[dim]说明：{n}[/dim]" for n in d.notes[:2]]
        for line in d.lines[:1]:
            reasons += [f"{k}：{v}" for k, v in line.info.items()]
        reasons.append(f"[dim]依据：{'；'.join(d.citations)}[/dim]")
        subject = f"{d.subject_kind} {d.subject_name or d.subject_id}"
        table.add_row(f"{d.title}\n[dim]{d.measure}[/dim]", subject, _STATUS[d.status], amount, "\n".join(reasons))
    console.print(table)
    payable = [d for d in report.decisions if d.status == ELIGIBLE and d.selected and d.amount_fen]
    total = sum(d.amount_fen or 0 for d in payable)
    unsettled = [
        d for d in report.decisions if d.status == ELIGIBLE and d.selected and d.amount_fen is None and d.ceiling_fen
    ]
    ceilings = sum(d.ceiling_fen or 0 for d in unsettled)
    console.print(
        Panel(
            f"符合 {sum(d.status == ELIGIBLE for d in report.decisions)} 项，"
            f"待补充事实 {sum(d.status == NEEDS_FACTS for d in report.decisions)} 项，"
            f"可享受资金合计 [bold]{format_yuan(total)}[/bold]"
            + (f"（另有 {len(unsettled)} 项最高可领合计 {format_yuan(ceilings)}，金额待核定）" if ceilings else "")
            + (
                f"；另有 {len(out_of_area)} 项政策不适用于本地区（--verbose 显示）"
                if out_of_area and not verbose
                else ""
            ),
            title="小结",
        )
    )
    if report.provenance is not None:
        p = report.provenance
        console.print(
            f"[dim]来源：引擎 {p.engine_version}；规则与参数 {p.rule_set_hash[:16]}；事实 {(p.input_hash or '')[:16]}"
            "（SHA-256前16位，完整值及参数日期见 --format json）[/dim]",
            highlight=False,
        )
