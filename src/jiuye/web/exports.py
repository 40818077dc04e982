"""Excel export of any list a page shows: the same rows and columns, masked as on the page."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import xlsxwriter  # type: ignore[import-untyped]  # the package ships no type information
from fastapi.responses import Response

__all__ = ["xlsx_response"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    # Text stays text: an ID, account or code with leading zeros must not become a number.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return value
    return str(value)


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """One sheet, a bold header row, frozen below it; written in memory (lists are paged or bounded)."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False}) as book:
        sheet = book.add_worksheet("导出")
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, list(headers), bold)
        for i, row in enumerate(rows, start=1):
            sheet.write_row(i, 0, [_cell(v) for v in row])
        sheet.freeze_panes(1, 0)
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(buffer.getvalue(), media_type=_XLSX, headers={"Content-Disposition": disposition})
