"""``jiuye deliveries``: the documents approvals end in when they send no money (税收扣减名单、缓缴决定、
贴息结算、认定记录), listed and exported for the receiving agency."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jiuye.cli.staff import DataDir, Today, Username, parse_day, staff_session

__all__ = ["deliveries_app"]

deliveries_app = typer.Typer(
    help="交付文书：减免税名单、缓缴决定通知书、贷款贴息结算清单、认定记录", no_args_is_help=True
)
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


class DocumentForm(StrEnum):
    tax_deduction = "tax_deduction"
    fee_relief = "fee_relief"
    loan_settlement = "loan_settlement"
    record = "record"


@deliveries_app.command("list")
def list_documents(
    username: Username,
    form: Annotated[DocumentForm | None, typer.Option("--form", help="只列该交付方式")] = None,
    measure: Annotated[str | None, typer.Option("--measure", help="只列该政策编号")] = None,
    data_dir: DataDir = None,
) -> None:
    """本辖区的交付文书：编号、交付方式、政策、金额、状态。"""
    from jiuye.delivery import Form
    from jiuye.money import fen_to_decimal
    from jiuye.service.deliveries import list_documents as documents

    with staff_session(username, data_dir) as staff:
        found = documents(staff.session, staff.caller, form=form.value if form else None, measure_id=measure,
                          limit=5000)  # fmt: skip
        table = Table("编号", "文书编号", "交付方式", "政策", "对象", "金额（元）", "状态", "出具日期")
        for d in found:
            amount = "" if d.amount_fen is None else str(fen_to_decimal(d.amount_fen))
            table.add_row(str(d.id), d.number, Form(d.form).label, d.measure_id, str(d.subject_id), amount, d.status,
                          d.issued_on.isoformat())  # fmt: skip
    out.print(table)
    out.print(f"共 {len(found)} 份")


@deliveries_app.command("export")
def export(
    target: Annotated[Path, typer.Argument(help="输出 Excel 文件（.xlsx）")],
    form: Annotated[DocumentForm, typer.Option("--form", help="交付方式：一个接收单位一份清单")],
    username: Username,
    today: Today = None,
    data_dir: DataDir = None,
) -> None:
    """交给接收单位的清单（经办、财务、审计人员导出完整号码，其他角色脱敏）。"""
    from jiuye.service.deliveries import export_documents

    with staff_session(username, data_dir) as staff:
        data = export_documents(staff.session, staff.engine.protector, staff.caller, form=form.value,
                                today=parse_day(today))  # fmt: skip
    target.write_bytes(data)
    out.print(f"已导出到 {target}")


@deliveries_app.command("notice")
def notice(
    document_id: Annotated[int, typer.Argument(help="交付文书编号")],
    username: Username,
    data_dir: DataDir = None,
) -> None:
    """一份文书的正文：享受凭证、决定通知书、结算单或认定记录。"""
    from jiuye.service.deliveries import notice as render

    with staff_session(username, data_dir) as staff:
        text = render(staff.session, staff.engine.protector, staff.caller, document_id)
    out.print(text, end="", markup=False, highlight=False)
