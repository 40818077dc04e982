"""Job-posting files → a header and rows of cells, each row with the line a person finds it on.

* Excel (``.xlsx``, ``.xlsm``): the first sheet, every cell as text (fastexcel via polars, as the
  registry import reads workbooks); a line is the sheet's row number.
* CSV / TSV (``.csv``, ``.tsv``, ``.txt``): UTF-8 (with or without BOM), else GBK/GB18030; a line is the
  record number as Excel or WPS shows the file (header = line 1), which differs from the text editor's
  line only where a quoted cell holds line breaks.
* JSON (``.json``): an array of objects, the line being where each object starts; or JSON Lines
  (``.jsonl``, ``.ndjson``, or a ``.json`` file that is not an array): one object per line.

The header need not be the first row: staff sheets often open with a title row (``2025年3月招聘信息``),
so the header is the first of the first :data:`HEADER_SCAN_ROWS` rows that names a job-title column.
Cells are text, or a list of texts when the file holds a list (JSON arrays; Python-style list strings
such as ``['北京-海淀区', '招8人']`` that scrapers write into CSV cells).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from jiuye.jobs.intake.columns import field_of
from jiuye.registry.problems import RowProblem

__all__ = ["HEADER_SCAN_ROWS", "SUFFIXES", "Cell", "Table", "cell_value", "read_table", "table_from_records"]

#: Text, a list of texts (a list cell), or ``None`` (blank).
Cell = str | tuple[str, ...] | None

#: How many rows may come before the header (a sheet title, a note, a blank row).
HEADER_SCAN_ROWS = 10
SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson")
_UNREADABLE_HINT = "确认文件未加密、未损坏"


@dataclass(frozen=True, slots=True)
class Table:
    """One file's rows: ``headers`` and, per row, its line and one cell per header."""

    name: str
    headers: tuple[str, ...]
    header_line: int
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    problems: tuple[RowProblem, ...] = ()


def _text(value: object) -> str | None:
    """A scalar as text: integral numbers without ``.0``, booleans as 是/否."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    text = _CONTROL.sub("", str(value)).strip()
    return text or None


#: Control characters other than line breaks and tabs, and lone surrogates (from JSON escapes): they
#: mean nothing in a posting, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def cell_value(value: object) -> Cell:
    """One cell or JSON value as a :data:`Cell`; a string that is a Python or JSON list literal of
    scalars becomes a list.

    >>> cell_value("['上海-浦东新区']"), cell_value("[急聘]"), cell_value(3.0), cell_value(["a", 2])
    (('上海-浦东新区',), '[急聘]', '3', ('a', '2'))
    """
    if isinstance(value, (list, tuple)):
        items = tuple(t for t in (_text(v) for v in value) if t is not None)
        return items or None
    text = _text(value)
    if text is not None and text.startswith("[") and text.endswith("]"):
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return text
        if isinstance(parsed, list) and all(isinstance(v, (str, int, float)) for v in parsed):
            return cell_value(parsed)
    return text


def _blank(cells: tuple[Cell, ...]) -> bool:
    return all(c is None for c in cells)


def _header_at(rows: list[tuple[int, list[object]]]) -> int | None:
    """Index of the header row: the first (of the first few) naming a title column."""
    for index, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(field_of(str(c)) == "title" for c in cells if c is not None):
            return index
    return None


def _tabulate(name: str, rows: list[tuple[int, list[object]]]) -> Table:
    """Rows of raw values (header somewhere near the top) → a :class:`Table`."""
    rows = [(line, cells) for line, cells in rows if any(_text(c) is not None for c in cells)]
    if not rows:
        return Table(name, (), 0, (), (RowProblem(name, 0, "文件", "文件中没有数据；提示：第1行应为列名"),))
    at = _header_at(rows)
    if at is None:
        message = "前几行中找不到列名行（没有职位名称列）；提示：第1行应为列名，如 职位名称、公司名称、薪资"
        return Table(name, (), 0, (), (RowProblem(name, rows[0][0], "表头", message),))
    header_line, header_cells = rows[at]
    headers = tuple(_text(c) or "" for c in header_cells)
    out: list[tuple[int, tuple[Cell, ...]]] = []
    problems: list[RowProblem] = []
    for line, raw in rows[at + 1 :]:
        cells = tuple(cell_value(v) for v in raw)
        extra = cells[len(headers) :]
        if any(c is not None for c in extra):
            message = (
                f"本行有 {len(headers) + len(extra)} 列，多于表头的 {len(headers)} 列；提示：检查是否有未加引号的逗号"
            )
            problems.append(RowProblem(name, line, "整行", message))
            continue
        cells = cells[: len(headers)] + (None,) * (len(headers) - len(cells))
        if not _blank(cells):
            out.append((line, cells))
    return Table(name, headers, header_line, tuple(out), tuple(problems))


def _decode(data: bytes, name: str) -> tuple[str | None, RowProblem | None]:
    """UTF-8 (BOM allowed), else GB18030 (a superset of GBK), else a problem."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError:
            continue
    message = "文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030）；提示：用 Excel 或 WPS 另存为“CSV UTF-8”"
    return None, RowProblem(name, 0, "文件", message)


def _read_csv(path: Path, name: str) -> Table:
    text, problem = _decode(path.read_bytes(), name)
    if text is None:
        return Table(name, (), 0, (), (problem,) if problem else ())
    first = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in first and "," not in first) else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        return Table(name, (), 0, (), (RowProblem(name, 0, "文件", f"CSV 格式有误（{exc}）"),))
    return _tabulate(name, [(i, list(r)) for i, r in enumerate(records, start=1)])


def _read_excel(path: Path, name: str) -> Table:
    try:
        sheet = pl.read_excel(
            path, has_header=False, infer_schema_length=0, drop_empty_rows=False, raise_if_empty=False
        )
    except Exception as exc:  # a corrupt or password-protected workbook: say so in Chinese
        message = f"无法读取 Excel 文件（{type(exc).__name__}）；提示：{_UNREADABLE_HINT}，格式为 .xlsx"
        return Table(name, (), 0, (), (RowProblem(name, 0, "文件", message),))
    return _tabulate(name, [(i, list(r)) for i, r in enumerate(sheet.iter_rows(), start=1)])


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _array_items(text: str, start: int) -> Iterator[tuple[int, object]]:
    """The elements of the JSON array starting at ``text[start]`` with the line each begins on.

    The standard library parses values but does not say where each element is; ``raw_decode`` over
    the elements does. Raises :class:`json.JSONDecodeError` (with a line number) on bad syntax.
    """
    decoder = json.JSONDecoder()
    position = _skip_space(text, start + 1)
    line, counted = 1, 0
    if position < len(text) and text[position] == "]":
        return
    while True:
        line += text.count("\n", counted, position)
        counted = position
        value, end = decoder.raw_decode(text, position)
        yield line, value
        position = _skip_space(text, end)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
        elif position < len(text) and text[position] == "]":
            return
        else:
            raise json.JSONDecodeError("数组元素之间应为逗号", text, position)


def _json_records(text: str, name: str) -> tuple[list[tuple[int, object]], list[RowProblem]]:
    start = _skip_space(text, 0)
    problems: list[RowProblem] = []
    if text.startswith("[", start):
        try:
            return list(_array_items(text, start)), problems
        except json.JSONDecodeError as exc:
            problems.append(RowProblem(name, exc.lineno, "文件", f"JSON 格式有误（第{exc.colno}列）；提示：{exc.msg}"))
            return [], problems
        except RecursionError:
            problems.append(RowProblem(name, 1, "文件", _TOO_DEEP))
            return [], problems
    records: list[tuple[int, object]] = []
    for line, raw in enumerate(text.splitlines(), start=1):  # JSON Lines
        if not raw.strip():
            continue
        try:
            records.append((line, json.loads(raw)))
        except json.JSONDecodeError as exc:
            message = (
                f"不是一行完整的 JSON 对象（{exc.msg}）；提示：JSON 文件应为对象数组，或每行一个对象（JSON Lines）"
            )
            problems.append(RowProblem(name, line, "整行", message))
        except RecursionError:
            problems.append(RowProblem(name, line, "整行", _TOO_DEEP))
    return records, problems


_TOO_DEEP = "JSON 嵌套过深，无法读取；提示：岗位记录应为一层对象"


def table_from_records(name: str, records: list[tuple[int, object]]) -> Table:
    """Objects (one per posting, keys as column names) → a :class:`Table` whose headers are every key
    in first-seen order; a non-object record is a problem of its line."""
    headers: dict[str, None] = {}
    problems: list[RowProblem] = []
    objects: list[tuple[int, dict[str, object]]] = []
    for line, record in records:
        if not isinstance(record, dict):
            problems.append(RowProblem(name, line, "整行", '应为一个对象（{"职位": ..., "公司": ...}）'))
            continue
        objects.append((line, record))
        headers.update((str(k), None) for k in record)
    keys = tuple(headers)
    if not any(field_of(k) == "title" for k in keys):
        message = "记录中没有职位名称字段；提示：键名可写 职位名称、岗位名称、job_name、positionName 等"
        return Table(name, keys, 0, (), (*problems, RowProblem(name, 0, "表头", message)))
    rows = []
    for line, record in objects:
        cells = tuple(cell_value(record.get(k)) for k in keys)
        if not _blank(cells):
            rows.append((line, cells))
    return Table(name, keys, 0, tuple(rows), tuple(problems))


def _read_json(path: Path, name: str) -> Table:
    text, problem = _decode(path.read_bytes(), name)
    if text is None:
        return Table(name, (), 0, (), (problem,) if problem else ())
    records, problems = _json_records(text, name)
    table = table_from_records(name, records)
    return Table(table.name, table.headers, table.header_line, table.rows, (*problems, *table.problems))


def read_table(path: Path, name: str | None = None) -> Table:
    """Read one posting file; unreadable files and bad lines come back as problems, never raised."""
    shown = name or path.name
    suffix = path.suffix.lower()
    if not path.is_file():
        return Table(shown, (), 0, (), (RowProblem(shown, 0, "文件", "文件不存在或不是文件"),))
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, shown)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path, shown)
    if suffix in (".json", ".jsonl", ".ndjson"):
        return _read_json(path, shown)
    message = f"不支持的文件类型 {suffix or '（无扩展名）'}；提示：可用 {'、'.join(SUFFIXES)}"
    return Table(shown, (), 0, (), (RowProblem(shown, 0, "文件", message),))
