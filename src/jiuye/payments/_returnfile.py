"""Reading a bank return file (text or .xlsx) into numbered rows of text fields (private).

Whole-file failures (encoding, empty file, missing sheet or column) raise :class:`ReturnFileError`;
everything about single lines is left to :mod:`jiuye.payments.returns`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jiuye.payments._layout import DELIMITER, DETAIL_TITLES, HEADER_TITLES, RESULT_TITLES, decode
from jiuye.payments._xlsx import DETAIL_SHEET, SUMMARY_SHEET, read_sheet
from jiuye.payments.errors import ReturnFileError

__all__ = ["RawReturn", "Row", "read_return_rows"]

_ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive
_NEWLINE = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line of the text file, or row of the sheet
    where: str  # how a person finds it: 第5行 / 明细表第5行
    fields: tuple[str, ...]


@dataclass(frozen=True)
class RawReturn:
    header: Row
    rows: tuple[Row, ...]


def read_return_rows(data: bytes) -> RawReturn:
    """Rows of a return file; the format is recognised from the content, not the file name."""
    return _from_excel(data) if data.startswith(_ZIP_MAGIC) else _from_text(data)


def _from_text(data: bytes) -> RawReturn:
    numbered = [(i, text) for i, text in enumerate(_NEWLINE.split(decode(data)), start=1) if text.strip()]
    if not numbered:
        msg = "回盘文件为空；提示：第1行应为批次汇总，其后每行一笔"
        raise ReturnFileError(msg)
    rows = [Row(i, f"第{i}行", tuple(f.strip() for f in text.split(DELIMITER))) for i, text in numbered]
    return RawReturn(rows[0], tuple(rows[1:]))


def _columns(titles: list[str], wanted: tuple[str, ...], sheet: str) -> list[int]:
    missing = [t for t in wanted if t not in titles]
    if missing:
        msg = f"回盘 Excel「{sheet}」工作表第1行缺少列：{'、'.join(missing)}；提示：第1行应为列名，按代发文件格式"
        raise ReturnFileError(msg)
    return [titles.index(t) for t in wanted]


def _from_excel(data: bytes) -> RawReturn:
    summary = read_sheet(data, SUMMARY_SHEET)
    if len(summary) < 2:
        msg = f"回盘 Excel「{SUMMARY_SHEET}」工作表应有列名和一行汇总；提示：第2行填写批次汇总"
        raise ReturnFileError(msg)
    at = _columns(summary[0], HEADER_TITLES, SUMMARY_SHEET)
    header = Row(2, f"{SUMMARY_SHEET}表第2行", tuple(summary[1][c] for c in at))
    detail = read_sheet(data, DETAIL_SHEET)
    if not detail:
        msg = f"回盘 Excel「{DETAIL_SHEET}」工作表为空；提示：第1行应为列名"
        raise ReturnFileError(msg)
    at = _columns(detail[0], DETAIL_TITLES + RESULT_TITLES, DETAIL_SHEET)
    rows = tuple(
        Row(r, f"{DETAIL_SHEET}表第{r}行", tuple(values[c] for c in at))
        for r, values in enumerate(detail[1:], start=2)
        if any(values)
    )
    return RawReturn(header, rows)
