"""Workbooks written in constant memory: xlsxwriter's ``constant_memory`` mode flushes each row
to a temporary file as soon as the next begins, so a sheet costs the memory of one row, not of
the whole list (``DataFrame.write_excel`` holds every cell until the workbook closes: +2.6 GB
for a list of 912,816 rows).

xlsxwriter was chosen over openpyxl's write-only mode by measurement: on the same 50,000-row
list, 1.37 CPU-s against openpyxl's 2.42 (Polars' in-memory ``write_excel``: 1.86 and 1.8× the
peak memory), medians of 3 at load 16 on 2 cores (benchmarks/excel_writers.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]  # the package ships no type information

__all__ = ["EXCEL_SHEET_ROWS", "write_workbook"]

#: Excel's own limit per worksheet (Microsoft, "Excel specifications and limits": 1,048,576 rows),
#: the header row included.
EXCEL_SHEET_ROWS = 1_048_576
_OPTIONS = {
    "constant_memory": True,
    # identifiers such as 450103... stay text; a name starting with = or http stays text
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}
_CHUNK = 50_000  # rows turned into Python values at a time
_WIDTH_SAMPLE = 200  # rows looked at to size a column

Cell = Callable[[int, int, Any], Any]


def _cell_writers(sheet: Any, frame: pl.DataFrame, date_format: Any) -> list[Cell]:
    def text(row: int, col: int, value: Any) -> Any:
        return sheet.write_string(row, col, str(value))

    def date(row: int, col: int, value: Any) -> Any:
        return sheet.write_datetime(row, col, value, date_format)

    writers: list[Cell] = []
    for dtype in frame.dtypes:
        if dtype.is_numeric() or isinstance(dtype, pl.Decimal):
            writers.append(sheet.write_number)  # a Decimal is written as its exact digits
        elif dtype == pl.String:
            writers.append(sheet.write_string)
        elif dtype in (pl.Date, pl.Datetime):
            writers.append(date)
        else:
            writers.append(text)
    return writers


def _width(frame: pl.DataFrame, column: str) -> float:
    """A column as wide as its header or its longer values (a CJK character counts twice)."""
    values = [column, *(str(v) for v in frame.get_column(column).head(_WIDTH_SAMPLE).to_list() if v is not None)]
    return min(60.0, 2.0 + max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in v) for v in values))


def _write_sheet(book: Any, name: str, frame: pl.DataFrame, header: Any, date_format: Any) -> None:
    if frame.height + 1 > EXCEL_SHEET_ROWS:
        msg = f"工作表“{name}”有 {frame.height} 行，超过 Excel 上限（{EXCEL_SHEET_ROWS - 1} 行数据）"
        raise ValueError(msg)
    sheet = book.add_worksheet(name)
    for col, column in enumerate(frame.columns):
        sheet.set_column(col, col, _width(frame, column))
    sheet.write_row(0, 0, frame.columns, header)
    if frame.height:
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, frame.height, frame.width - 1)
    row = 1
    if not any(dtype.is_temporal() for dtype in frame.dtypes):
        # write_row types each cell itself (text, number, a Decimal as its digits; None left
        # empty) and is the faster path (benchmarks/excel_writers.py)
        for chunk in frame.iter_slices(_CHUNK):
            for values in chunk.iter_rows():
                sheet.write_row(row, 0, values)
                row += 1
        return
    writers = list(enumerate(_cell_writers(sheet, frame, date_format)))
    for chunk in frame.iter_slices(_CHUNK):
        for values in chunk.iter_rows():
            for col, write in writers:
                value = values[col]
                if value is not None:
                    write(row, col, value)
            row += 1


def write_workbook(path: Path, sheets: Iterable[tuple[str, pl.DataFrame]]) -> None:
    """One workbook, a sheet per (name, frame), rows in the frame's order, a bold header row."""
    with xlsxwriter.Workbook(str(path), _OPTIONS) as book:
        header = book.add_format({"bold": True})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for name, frame in sheets:
            _write_sheet(book, name, frame, header, date_format)
