"""Two-sheet workbooks (汇总 + 明细), every cell text, written with xlsxwriter and read with polars (private)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]  # the package ships no type information

from jiuye.payments.errors import ReturnFileError

__all__ = ["DETAIL_SHEET", "SUMMARY_SHEET", "read_sheet", "workbook_bytes"]

SUMMARY_SHEET = "汇总"
DETAIL_SHEET = "明细"


def workbook_bytes(summary: Sequence[Sequence[str]], detail: Sequence[Sequence[str]]) -> bytes:
    """A workbook whose two sheets hold ``summary`` and ``detail`` rows (the first row of each: titles).

    Cells are written as text with the text number format, so that Excel neither turns an account
    number into ``6.22E+18`` nor an amount into a float.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"num_format": "@", "bold": True})
    for name, rows in ((SUMMARY_SHEET, summary), (DETAIL_SHEET, detail)):
        sheet = book.add_worksheet(name)
        width = max((len(row) for row in rows), default=0)
        sheet.set_column(0, max(width - 1, 0), 20, text)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value, bold if r == 0 else text)
    book.close()
    return buffer.getvalue()


def read_sheet(data: bytes, sheet: str) -> list[list[str]]:
    """Every row of ``sheet`` as text (an empty cell is ``""``); a numeric cell reads as its digits."""
    try:
        frame = pl.read_excel(
            data, sheet_name=sheet, has_header=False, infer_schema_length=0, drop_empty_rows=False, raise_if_empty=False
        )
    except Exception as exc:  # a corrupt workbook or a missing sheet: say which, in Chinese
        msg = (
            f"无法读取回盘 Excel 的「{sheet}」工作表（{type(exc).__name__}）；"
            f"提示：确认文件为 .xlsx 且含「{sheet}」工作表"
        )
        raise ReturnFileError(msg) from exc
    return [["" if v is None else str(v).strip() for v in row] for row in frame.iter_rows()]
