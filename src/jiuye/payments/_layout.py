"""The 代发 file layout shared by the export, the return parser and the simulated bank (private).

Column order and titles live here once; see :mod:`jiuye.payments.bankfile` for the layout.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from jiuye.money import fen_to_decimal, to_fen
from jiuye.payments.errors import ReturnFileError

__all__ = [
    "DELIMITER",
    "DETAIL_TITLES",
    "HEADER_TITLES",
    "LINE_END",
    "RESULT_TITLES",
    "TextEncoding",
    "date_text",
    "decode",
    "parse_date",
    "parse_time",
    "parse_yuan",
    "unsafe_character",
    "yuan_text",
]

TextEncoding = Literal["utf-8-sig", "gbk"]

DELIMITER = "|"
LINE_END = "\r\n"  # bank clients run on Windows
HEADER_TITLES = ("批次号", "总笔数", "总金额（元）", "付款账号", "付款日期")
DETAIL_TITLES = ("序号", "收款人姓名", "收款账号", "金额（元）", "用途", "摘要")
RESULT_TITLES = ("结果", "银行说明", "交易时间")

_YUAN = re.compile(r"^\d{1,13}(\.\d{1,2})?$")  # no sign, no thousands separator, at most two decimals
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%dT%H:%M:%S")


def yuan_text(fen: int) -> str:
    """``150001`` → ``'1500.01'`` (exact; never through float).

    >>> yuan_text(150001), yuan_text(5)
    ('1500.01', '0.05')
    """
    return str(fen_to_decimal(fen))


def parse_yuan(text: str) -> int | None:
    """Yuan text → fen, or ``None`` when it is not a plain non-negative amount with ≤ 2 decimals.

    >>> parse_yuan("1500.01"), parse_yuan("1500"), parse_yuan("1,500.00"), parse_yuan("0.001")
    (150001, 150000, None, None)
    """
    value = text.strip()
    return to_fen(value) if _YUAN.match(value) else None


def date_text(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip(), "%Y%m%d").date()
    except ValueError:
        return None


def parse_time(text: str) -> dt.datetime | None:
    """The bank's transaction time in one of the accepted forms, or ``None``.

    >>> parse_time("20250701093000") == parse_time("2025-07-01 09:30:00")
    True
    """
    value = text.strip()
    for form in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(value, form)
        except ValueError:
            continue
    return None


def unsafe_character(text: str) -> str | None:
    """A character that would break a line of the delimited file (the delimiter or a control character)."""
    for char in text:
        if char == DELIMITER or ord(char) < 0x20 or ord(char) == 0x7F:
            return repr(char) if char != DELIMITER else DELIMITER
    return None


def decode(data: bytes) -> str:
    """Text of a delimited file: UTF-8 (with or without BOM), else GBK (as Chinese banks write it)."""
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    msg = "回盘文件既不是 UTF-8 也不是 GBK 编码；提示：请银行按 UTF-8 或 GBK 导出文本回盘文件"
    raise ReturnFileError(msg)
