"""The 代发 (batch benefit payment) file a bank takes: a batch header and one line per payment.

Banks differ in their 代发 layouts, so this is **the format we define** (named assumption
"JYDF-1"; a bureau whose bank wants another layout adds an adapter beside this module):

Delimited text (``.txt``), UTF-8 with BOM (``utf-8-sig``) or GBK, fields separated by ``|``,
lines ended by CRLF, no quoting (a field containing ``|`` or a line break is refused)::

    line 1    批次号|总笔数|总金额|付款账号|付款日期
    line 2…   序号|收款人姓名|收款账号|金额|用途|摘要

* 总金额, 金额: yuan with exactly two decimals, no sign, no thousands separator (``1500.00``);
* 付款日期: ``YYYYMMDD``; 序号: 1, 2, … in file order;
* 用途: the payment's idempotency key (:func:`jiuye.payments.keys.payment_key`), the bank reference
  that comes back in the return file; 摘要: the measure's title, which the payee sees.

Excel (``.xlsx``): sheet 汇总 (titles on row 1, the header values on row 2) and sheet 明细 (titles
on row 1, one payment per row from row 2), the same fields in the same order, every cell text.

Money is integer fen inside and becomes yuan text only here. Writing refuses, naming every bad
line at once, a batch whose declared count or total differs from its lines, an amount ≤ 0, a
name or account number not in the form registration stores (:mod:`jiuye.payments.payee`: 8–30
ASCII digits; a normalised name without ``|``, line breaks or control characters), a repeated
idempotency key, or (for GBK) a name GBK cannot encode.

>>> import datetime as dt
>>> line = PaymentLine(1, "张三", "6222020000000001", 150000, "JYSVMWGWIEAGJGPDYT", "一次性扩岗补助")
>>> batch = BankBatch(BatchHeader("PB20250701-01", 1, 150000, "4500000000000001", dt.date(2025, 7, 1)), (line,))
>>> for row in render_text(batch).decode("utf-8-sig").splitlines():
...     print(row)
PB20250701-01|1|1500.00|4500000000000001|20250701
1|张三|6222020000000001|1500.00|JYSVMWGWIEAGJGPDYT|一次性扩岗补助
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jiuye.money import format_yuan
from jiuye.payments._layout import (
    DELIMITER,
    DETAIL_TITLES,
    HEADER_TITLES,
    LINE_END,
    TextEncoding,
    date_text,
    unsafe_character,
    yuan_text,
)
from jiuye.payments._xlsx import workbook_bytes
from jiuye.payments.errors import BankFileError
from jiuye.payments.keys import is_payment_key
from jiuye.payments.payee import account_problem, name_problem

__all__ = [
    "BankBatch",
    "BatchHeader",
    "PaymentLine",
    "check_batch",
    "detail_fields",
    "header_fields",
    "render_excel",
    "render_text",
    "write_batch",
]


@dataclass(frozen=True)
class BatchHeader:
    """What the batch declares; checked against the lines, so a lost or added line is caught."""

    batch_no: str
    declared_count: int
    declared_total_fen: int
    payer_account: str
    pay_date: dt.date


@dataclass(frozen=True)
class PaymentLine:
    seq: int
    payee_name: str
    account_no: str
    amount_fen: int
    key: str  # idempotency key, written as 用途
    measure_title: str  # written as 摘要


@dataclass(frozen=True)
class BankBatch:
    header: BatchHeader
    lines: tuple[PaymentLine, ...]


def header_fields(header: BatchHeader) -> list[str]:
    return [
        header.batch_no,
        str(header.declared_count),
        yuan_text(header.declared_total_fen),
        header.payer_account,
        date_text(header.pay_date),
    ]


def detail_fields(line: PaymentLine) -> list[str]:
    return [str(line.seq), line.payee_name, line.account_no, yuan_text(line.amount_fen), line.key, line.measure_title]


def _text_problems(
    where: str, labelled: Iterable[tuple[str, str]], encoding: TextEncoding | None, *, separators: bool = True
) -> list[str]:
    out = []
    for label, value in labelled:
        bad = unsafe_character(value) if separators else None
        if bad is not None:
            out.append(f"{where}：{label}含分隔符或控制字符「{bad}」；提示：删去该字符后重新导出")
        if encoding == "gbk":
            missing = [c for c in value if not _gbk_ok(c)]
            if missing:
                out.append(
                    f"{where}：{label}含 GBK 无法表示的字符「{''.join(missing)}」；"
                    "提示：改用 UTF-8 格式导出，或按开户行要求处理生僻字"
                )
    return out


def _gbk_ok(char: str) -> bool:
    try:
        char.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _line_problems(i: int, line: PaymentLine, encoding: TextEncoding | None) -> list[str]:
    where = f"明细第{i}笔（序号{line.seq}）"
    out = []
    if line.seq != i:
        out.append(f"{where}：序号应为 {i}；提示：序号从1起按顺序连续编号")
    # The same rule registration applies (jiuye.payments.payee): what was accepted exports.
    out += [f"{where}：{p}" for p in (name_problem(line.payee_name), account_problem(line.account_no)) if p]
    if isinstance(line.amount_fen, bool) or not isinstance(line.amount_fen, int):
        out.append(f"{where}：金额 {line.amount_fen!r} 不是整数分；提示：金额以分为单位的整数保存")
    elif line.amount_fen <= 0:
        out.append(f"{where}：金额 {yuan_text(line.amount_fen)} 元不大于零；提示：零额或负额不得代发")
    if not is_payment_key(line.key):
        out.append(f"{where}：用途（付款幂等键）「{line.key}」格式不正确；提示：由 payment_key 生成")
    if not line.measure_title.strip():
        out.append(f"{where}：摘要（政策名称）为空；提示：填写收款人可读的政策名称")
    out += _text_problems(where, [("摘要", line.measure_title)], encoding)
    return out + _text_problems(where, [("收款人姓名", line.payee_name)], encoding, separators=False)


def check_batch(batch: BankBatch, *, encoding: TextEncoding | None = None) -> None:
    """Raise :class:`BankFileError` listing every problem; ``encoding`` adds the checks of that encoding."""
    header = batch.header
    problems: list[str] = []
    if not header.batch_no.strip():
        problems.append("批次号为空；提示：填写批次号")
    if not header.payer_account.strip():
        problems.append("付款账号为空；提示：填写财政或基金专户账号")
    problems += _text_problems("批次汇总", [("批次号", header.batch_no), ("付款账号", header.payer_account)], encoding)
    if not batch.lines:
        problems.append("批次没有任何明细；提示：空批次无需导出")
    first_line: dict[str, int] = {}
    for i, line in enumerate(batch.lines, start=1):
        problems += _line_problems(i, line, encoding)
        if line.key in first_line:
            problems.append(
                f"明细第{i}笔（序号{line.seq}）：用途「{line.key}」与第{first_line[line.key]}笔重复；"
                "提示：同一笔付款在一个批次中只能出现一次"
            )
        first_line.setdefault(line.key, i)
    if header.declared_count != len(batch.lines):
        problems.append(
            f"批次声明 {header.declared_count} 笔，明细实有 {len(batch.lines)} 笔；提示：核对批次是否漏笔或多笔"
        )
    total = sum(line.amount_fen for line in batch.lines if isinstance(line.amount_fen, int))
    if header.declared_total_fen != total:
        problems.append(
            f"批次声明总金额 {format_yuan(header.declared_total_fen)}，明细合计 {format_yuan(total)}；"
            "提示：核对各笔金额与批次汇总"
        )
    if problems:
        raise BankFileError(header.batch_no, problems)


def render_text(batch: BankBatch, *, encoding: TextEncoding = "utf-8-sig") -> bytes:
    """The delimited text file (checked first)."""
    check_batch(batch, encoding=encoding)
    rows = [header_fields(batch.header), *(detail_fields(line) for line in batch.lines)]
    return "".join(DELIMITER.join(row) + LINE_END for row in rows).encode(encoding)


def render_excel(batch: BankBatch) -> bytes:
    """The ``.xlsx`` workbook (checked first)."""
    check_batch(batch)
    summary = [list(HEADER_TITLES), header_fields(batch.header)]
    detail = [list(DETAIL_TITLES), *(detail_fields(line) for line in batch.lines)]
    return workbook_bytes(summary, detail)


def write_batch(batch: BankBatch, path: Path, *, encoding: TextEncoding = "utf-8-sig") -> Path:
    """Write the file at ``path`` (Excel when it ends in ``.xlsx``, else text) atomically: all or nothing."""
    data = render_excel(batch) if path.suffix.lower() == ".xlsx" else render_text(batch, encoding=encoding)
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(staging).replace(path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return path
