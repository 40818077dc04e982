"""Registry files on disk → lazy frames of raw cells, columns named by field, rows by line.

One file per table, named by the table's English or Chinese name (``persons.csv``,
``人员.xlsx``, ``employments.parquet``, or a folder ``persons/`` of Parquet parts). CSV may be
UTF-8 (with or without BOM) or GBK/GB18030: UTF-8 is tried first; a GB file is transcoded, in
a stream, to a scratch file that lives until the process ends, so even large files are scanned
lazily rather than loaded.
"""

from __future__ import annotations

import atexit
import codecs
import csv
import functools
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from jiuye.engine.provenance import files_hash
from jiuye.registry.headers import TABLES, resolve_headers, table_names, table_of
from jiuye.registry.problems import RegistryError, RowProblem

__all__ = [
    "LINE",
    "SUFFIXES",
    "Opened",
    "Source",
    "find_sources",
    "open_source",
    "registry_files_hash",
    "scratch_file",
    "scratch_folder",
]

#: The column holding each row's line number as the user sees it in the file.
LINE = "__line"
SUFFIXES = (".csv", ".xlsx", ".parquet")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Source:
    table: str
    path: Path
    name: str  # as shown in messages: the file name inside the registry directory

    @property
    def kind(self) -> str:
        return "parquet" if self.path.is_dir() else self.path.suffix.lower().lstrip(".")


@dataclass(frozen=True)
class Opened:
    source: Source
    frame: pl.LazyFrame  # LINE + one column per field present, in the file's own types
    headers: dict[str, str]  # field → header as written in the file


def find_sources(directory: Path) -> list[Source]:
    """The table files of a registry directory; unknown or repeated table names are errors."""
    if not directory.is_dir():
        msg = f"台账目录 {directory} 不存在或不是目录；提示：指向存放 persons.csv、人员.xlsx 等文件的目录"
        raise RegistryError([RowProblem(str(directory), 0, "目录", msg)])
    found: dict[str, Source] = {}
    problems: list[RowProblem] = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith((".", "~$")):
            continue  # hidden files, Excel lock files
        if path.is_dir():
            if table_of(path.name) is None or not any(path.glob("*.parquet")):
                continue
            stem = path.name
        elif path.suffix.lower() in SUFFIXES:
            stem = path.stem
        else:
            continue
        table = table_of(stem)
        if table is None:
            known = "；".join("/".join(table_names(t)) for t in TABLES)
            message = f"文件名不是可识别的表名；提示：可用的表名为 {known}"
            problems.append(RowProblem(path.name, 0, "文件名", message))
        elif table in found:
            message = f"与 {found[table].name} 是同一张表（{table}）；提示：每张表只放一个文件"
            problems.append(RowProblem(path.name, 0, "文件名", message))
        else:
            found[table] = Source(table, path, path.name)
    if not found and not problems:
        known = "、".join(f"{t}.csv" for t in TABLES)
        message = f"目录中没有台账文件；提示：每张表一个 .csv、.xlsx 或 .parquet 文件，如 {known}"
        problems.append(RowProblem(str(directory), 0, "目录", message))
    if problems:
        raise RegistryError(problems)
    return [found[t] for t in TABLES if t in found]


def registry_files_hash(directory: Path) -> str:
    """SHA-256 over the names and bytes of a registry's table files: what a match read."""
    return files_hash([source.path for source in find_sources(directory)], directory)


def open_source(source: Source, scratch: Path) -> Opened:
    """Read the header, resolve it to fields, and scan the rows lazily with their line numbers."""
    if source.kind == "parquet":
        return _open_parquet(source)
    if source.kind == "xlsx":
        return _open_excel(source)
    return _open_csv(source, scratch)


def _named(source: Source, frame: pl.LazyFrame, headers: list[str | None], first_line: int) -> Opened:
    header_line = 0 if source.kind == "parquet" else 1
    fields = resolve_headers(source.table, headers, source.name, line=header_line)
    columns = frame.collect_schema().names()
    frame = frame.rename(dict(zip(columns, fields, strict=True))).with_row_index(LINE, offset=first_line)
    if source.kind != "parquet":  # a blank line or an empty spreadsheet row is not a record
        frame = frame.filter(~pl.all_horizontal(pl.col(f).is_null() for f in fields))
    return Opened(source, frame, {f: h or "" for f, h in zip(fields, headers, strict=True)})


def _open_parquet(source: Source) -> Opened:
    target = source.path / "*.parquet" if source.path.is_dir() else source.path
    frame = pl.scan_parquet(target)
    names = frame.collect_schema().names()
    return _named(source, frame, list(names), 1)


def _open_excel(source: Source) -> Opened:
    """Excel: first sheet, header on row 1, every cell as text (staff mix numbers and text)."""
    try:
        sheet = pl.read_excel(
            source.path,
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            raise_if_empty=False,
        )
    except Exception as exc:  # a corrupt or password-protected workbook: say so in Chinese
        message = f"无法读取 Excel 文件（{type(exc).__name__}）；提示：确认文件未加密、未损坏，格式为 .xlsx"
        raise RegistryError([RowProblem(source.name, 0, "文件", message)]) from exc
    if sheet.height == 0:
        raise RegistryError([RowProblem(source.name, 1, "表头", "工作表为空；提示：第1行应为列名")])
    headers = [None if v is None else str(v) for v in sheet.row(0)]
    rows = sheet.slice(1).select(pl.all().cast(pl.String))
    return _named(source, rows.lazy(), headers, 2)


def _open_csv(source: Source, scratch: Path) -> Opened:
    encoding = _encoding(source.path)
    path = source.path if encoding == "utf-8" else _transcoded(source, scratch)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    if not first.strip():
        raise RegistryError([RowProblem(source.name, 1, "表头", "第1行为空；提示：第1行应为列名")])
    separator = "\t" if "\t" in first and "," not in first else ","
    headers: list[str | None] = list(next(csv.reader([first], delimiter=separator)))
    schema = {f"c{i}": pl.String for i in range(len(headers))}
    frame = pl.scan_csv(path, has_header=False, skip_rows=1, schema=schema, separator=separator)
    return _named(source, frame, headers, 2)


def _encoding(path: Path) -> str:
    """UTF-8 if every byte decodes as UTF-8 (streamed), otherwise GB18030 (a superset of GBK)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


@functools.cache
def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="jiuye-registry-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def scratch_folder() -> Path:
    """A new folder for one reading's working files (transcoded CSV, parsed columns). It lives
    until the process ends, since the lazy tables read from it; a failed reading removes it."""
    return Path(tempfile.mkdtemp(dir=_scratch()))


def scratch_file(folder: Path, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(suffix=suffix, dir=folder)
    os.close(handle)
    return Path(name)


def _transcoded(source: Source, scratch: Path) -> Path:
    """A UTF-8 copy of a GB18030 file, written in chunks."""
    target = scratch_file(scratch, ".csv")
    try:
        with (
            source.path.open(encoding="gb18030", newline="") as read,
            target.open("w", encoding="utf-8", newline="") as write,
        ):
            while chunk := read.read(_CHUNK):
                write.write(chunk)
    except UnicodeDecodeError as exc:
        target.unlink(missing_ok=True)
        message = "文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030）；提示：用 Excel 或 WPS 另存为“CSV UTF-8”"
        raise RegistryError([RowProblem(source.name, 0, "文件", message)]) from exc
    return target
