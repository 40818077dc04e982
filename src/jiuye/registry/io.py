"""Read a registry directory (台账目录) into canonical lazy tables, checked, bad rows by file and line.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "人员.csv").write_text("人员编号,身份证号,是否高校毕业生\\nP1,11010519491231002X,否\\n", "utf-8")
>>> registry = read_registry(folder)
>>> registry.tables["persons"].select("id", "birth_date", "sex").collect().row(0)
('P1', datetime.date(1949, 12, 31), 'female')
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jiuye.facts import model as m
from jiuye.facts.tables import registry_schema
from jiuye.registry.problems import RegistryError, RowProblem, problems_report
from jiuye.registry.sources import LINE, find_sources, open_source, scratch_file, scratch_folder
from jiuye.registry.validate import (
    REFERENCES,
    Checked,
    Keys,
    cell_problems,
    check_table,
    duplicate_problems,
    reference_problems,
)

__all__ = ["Registry", "RegistryError", "RowProblem", "problems_report", "read_registry"]

_HINT = "改正上列各行后重新导入；或加 --skip-bad（read_registry(..., skip_bad=True)）只导入无误的行"


@dataclass
class Registry:
    """Canonical registry tables (schemas exactly ``registry_schema``) and the rows left out.

    ``tables`` has one lazy frame per table file found, keyed by the facts attribute name
    (persons, employers, employments...); ``files`` names the file each came from.
    """

    tables: dict[str, pl.LazyFrame]
    problems: list[RowProblem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    def prior(self) -> pl.DataFrame:
        """Grants already received (the ``prior`` argument of ``evaluate_batch``)."""
        frame = self.tables.get("prior_grants")
        schema = registry_schema(m.PriorGrant)
        return frame.collect() if frame is not None else pl.DataFrame(schema=schema)


def read_registry(
    path: Path, *, skip_bad: bool = False, today: dt.date | None = None, scratch: Path | None = None
) -> Registry:
    """Read and check every table file of a registry directory.

    Without ``skip_bad`` any bad row raises :class:`RegistryError`, whose message lists every
    bad row by file and line, and nothing is returned. With ``skip_bad`` the good rows are
    kept and the bad ones reported in ``problems``; rows that point at a skipped row are
    skipped too. Bad file names and headers always raise: a column cannot be skipped.

    Files are scanned in streaming mode, once to check (a second time for a file with bad
    rows, to word their problems). CSV text is parsed in that pass only: the parsed columns
    go to a scratch Parquet file, which the returned lazy tables read (it lives until the
    process ends; a failed reading removes it). Only the keys (line, id, references), the bad
    rows and an Excel sheet are held in memory.

    ``scratch``, an empty folder of the caller's, holds those working files instead: the caller
    removes it once done with the tables (a long-running service, which reads many registries,
    does so rather than keep them until it ends).
    """
    own = scratch is None
    folder = scratch_folder() if scratch is None else scratch
    try:
        registry = _read(Path(path), skip_bad=skip_bad, today=today, scratch=folder)
    except BaseException:
        if own:
            shutil.rmtree(folder, ignore_errors=True)  # nothing is left behind by a failed reading
        raise
    if own and not any(folder.iterdir()):
        folder.rmdir()
    return registry


def _read(path: Path, *, skip_bad: bool, today: dt.date | None, scratch: Path) -> Registry:
    opened = []
    header_problems: list[RowProblem] = []
    for source in find_sources(path):
        try:
            opened.append(open_source(source, scratch))
        except RegistryError as exc:
            header_problems += exc.problems
    if header_problems:
        raise RegistryError(header_problems, hint="列名或文件名须改正后才能导入（不能用 --skip-bad 跳过）")
    checked = {o.source.table: check_table(o, today=today) for o in opened}
    checked, keys, problems = _scan(checked, scratch)
    problems += _across(keys)
    order = {c.name: i for i, c in enumerate(checked.values())}
    problems.sort(key=lambda p: (order[p.file], p.line))
    if problems and not skip_bad:
        raise RegistryError(problems, hint=_HINT)
    bad: dict[str, list[int]] = {}
    for p in problems:
        bad.setdefault(_table_of_file(checked, p.file), []).append(p.line)
    tables = {}
    for table, c in checked.items():
        frame = c.typed()
        if table in bad:
            skipped = pl.Series(sorted(set(bad[table])), dtype=pl.UInt32).implode()
            frame = frame.filter(~pl.col(LINE).is_in(skipped))
        tables[table] = frame.drop(LINE)
    files = {table: c.name for table, c in checked.items()}
    return Registry(tables, problems, files)


def _table_of_file(checked: dict[str, Checked], name: str) -> str:
    return next(t for t, c in checked.items() if c.name == name)


def _scan(checked: dict[str, Checked], scratch: Path) -> tuple[dict[str, Checked], dict[str, Keys], list[RowProblem]]:
    """One streaming pass per file: the keys (line, good, id, references) and, for CSV and
    Excel, the parsed columns, kept so that text is parsed only once (a scratch Parquet file
    for CSV, memory for an Excel sheet). A file with bad rows is read again to word their
    problems. A file that cannot be parsed (a row with more cells than headers, say) is
    reported as such."""
    keys: dict[str, Keys] = {}
    kept: dict[str, Checked] = {}
    problems: list[RowProblem] = []
    unreadable: list[RowProblem] = []
    for table, c in checked.items():
        try:
            kept[table] = c = _parsed_once(c, scratch)
            keys[table] = Keys(c, c.keys().collect(engine="streaming"))
            if not keys[table].frame["good"].all():
                problems += cell_problems(c, c.bad_rows().collect(engine="streaming"))
        except pl.exceptions.PolarsError as exc:
            detail = str(exc).splitlines()[0][:200]
            message = f"文件无法解析（{detail}）；提示：检查是否有某行的列数多于表头，或引号未成对"
            unreadable.append(RowProblem(c.name, 0, "文件", message))
    if unreadable:
        raise RegistryError(unreadable)
    return kept, keys, problems


def _parsed_once(c: Checked, scratch: Path) -> Checked:
    kind = c.opened.source.kind
    if kind == "parquet":
        return c  # typed columns are read directly, and cheaply, every time
    if kind == "xlsx":
        return c.kept(c.checked_columns().collect().lazy())
    path = scratch_file(scratch, ".parquet")
    c.checked_columns().sink_parquet(path, compression="lz4")
    return c.kept(pl.scan_parquet(path))


def _across(keys: dict[str, Keys]) -> list[RowProblem]:
    """Duplicate ids, and references that lead nowhere (one join per table pointed at)."""
    problems: list[RowProblem] = []
    for k in keys.values():
        problems += duplicate_problems(k)
    children: dict[str, list[tuple[Keys, str]]] = {}
    for table, fk, parent_table in REFERENCES:
        if table in keys:
            children.setdefault(parent_table, []).append((keys[table], fk))
    for parent_table, pointing in children.items():
        problems += reference_problems(parent_table, keys.get(parent_table), pointing)
    return problems
