"""What the receiving agency gets: a list in Excel (its column headings), and one notice per document.

Pure rendering: the rows arrive already masked or not (the service decides by role); every cell is
text, so Excel never turns a 统一社会信用代码 or an amount into a number.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter  # type: ignore[import-untyped]  # the package ships no type information

from jiuye.delivery.forms import Form

__all__ = ["HEADERS", "NoticeFacts", "notice_text", "workbook"]

#: Column headings of each receiving agency's list (税务部门, 社保经办机构, 经办银行, 存档).
HEADERS: dict[Form, tuple[str, ...]] = {
    Form.TAX_DEDUCTION: (
        "序号", "凭证编号", "纳税人名称", "纳税人识别号/统一社会信用代码", "减免政策", "政策编号", "扣减年度",
        "减免税额（元）", "扣减税种", "核准日期", "政策依据",
    ),
    Form.FEE_RELIEF: (
        "序号", "通知书编号", "单位名称", "统一社会信用代码", "减免缓事项", "政策编号", "核准日期", "政策依据",
    ),
    Form.LOAN_SETTLEMENT: (
        "序号", "结算单号", "借款人", "身份证号码/统一社会信用代码", "政策编号", "贷款本金（元）", "合同年利率",
        "基准利率", "起息日", "到期日", "计息天数", "贴息金额（元）", "经办银行奖励（元）", "状态", "政策依据",
    ),
    Form.RECORD: (
        "序号", "记录编号", "名称", "身份证号码/统一社会信用代码", "认定（备案）事项", "政策编号", "核准日期", "依据",
    ),
}  # fmt: skip


def workbook(form: Form, rows: Sequence[Sequence[str]], *, today: dt.date, total: str) -> bytes:
    """Sheet 汇总 (form, receiver, count, total) and sheet 明细 (``rows`` under the agency's headings)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"num_format": "@", "bold": True})
    summary = [
        ("交付方式", "文书", "接收单位", "件数", "金额合计（元）", "导出日期"),
        (form.label, form.document, form.receiver, str(len(rows)), total, today.isoformat()),
    ]
    for name, sheet_rows in (("汇总", summary), ("明细", [HEADERS[form], *rows])):
        sheet = book.add_worksheet(name)
        sheet.set_column(0, len(sheet_rows[0]) - 1, 22, text)
        for r, row in enumerate(sheet_rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value, bold if r == 0 else text)
    book.close()
    return buffer.getvalue()


@dataclass(frozen=True)
class NoticeFacts:
    form: Form
    number: str
    issued_on: dt.date
    name: str  # the beneficiary
    number_shown: str  # its 统一社会信用代码 or 公民身份号码, masked unless the role needs it
    measure: str  # measure title and id
    lines: tuple[str, ...]  # what is granted (amount, tax year, loan settlement...)
    basis: str  # the citation


def notice_text(facts: NoticeFacts) -> str:
    """A plain-text notice, certificate or record for one document (UTF-8, Chinese)."""
    title = {
        Form.TAX_DEDUCTION: "重点群体创业就业税收扣减享受凭证",
        Form.FEE_RELIEF: "社会保险费缓缴（降费）决定通知书",
        Form.LOAN_SETTLEMENT: "创业担保（专项）贷款贴息结算单",
        Form.RECORD: "认定（备案）记录",
    }[facts.form]
    body = [
        title,
        f"编号：{facts.number}",
        f"致：{facts.form.receiver}",
        "",
        f"{facts.name}（{facts.number_shown}）申请的“{facts.measure}”已于 {facts.issued_on.isoformat()} 核准。",
        *facts.lines,
        "",
        f"依据：{facts.basis}",
        "本文书由系统按核准结果出具，同一申请只出具一次。",
    ]
    return "\n".join(body) + "\n"
