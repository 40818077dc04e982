"""A registry table checked row by row and across tables, all as lazy Polars queries.

Three kinds of problems, reported by line. One streaming pass per file computes a "bad" flag
per cell and collects the keys (line, good, id, references); only a file with bad rows is read
a second time, to word the problems of those rows:

* cells: type, required, range, enum, identifier check codes, region codes
  (:mod:`jiuye.registry.columns`), and the record rules of the facts model (birth date and
  sex agree with the ID number; a separation is not before the hire);
* duplicate ids among good rows (persons, employers, businesses);
* references: an employment's person and employer, a business's founder... must be exactly
  one good row of the table they point to (the joins of :data:`jiuye.facts.tables.UNITS`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from jiuye.facts.contracts import contract_checks
from jiuye.facts.tables import registry_schema
from jiuye.identifiers import mask_id, mask_phone
from jiuye.registry.codes import ID_BIRTH, Checks, any_failed, first_problem, id_birth_date, id_male, id_sex
from jiuye.registry.columns import TEXT, parse_column
from jiuye.registry.headers import REFERENCES, TABLES, required_fields, table_label
from jiuye.registry.problems import RowProblem
from jiuye.registry.sources import LINE, Opened
from jiuye.registry.statuses import certificate_rules, declared_status_rules

__all__ = [
    "COVERED_VALIDATORS",
    "REFERENCES",
    "Checked",
    "Keys",
    "cell_problems",
    "check_table",
    "duplicate_problems",
    "reference_problems",
]

_PROBLEM = "!problem:"
_BAD = "!bad:"
_RAW = "!raw:"
_MASKS: dict[str, Callable[[str], str]] = {"id_number": mask_id, "phone": mask_phone}

#: The facts model's own validators, each mirrored here by a column or record check
#: (a test fails when the model gains one this module does not know).
COVERED_VALIDATORS: dict[str, set[str]] = {
    "Person": {"_check_region", "_check_id", "_derive_from_id", "_declared_statuses"},
    "Employer": {"_check_region", "_check_uscc", "_check_industry"},
    "Employment": {"_dates", "_contract"},
    "Business": {"_check_region", "_check_uscc"},
    "Certificate": {"_held"},
    "Placement": {"_contract"},
    "DistrictIndicators": {"_check_region"},
}


@dataclass(frozen=True)
class Checked:
    opened: Opened
    frame: pl.LazyFrame  # LINE, every canonical column, the text and the "bad" flag of each field present
    present: list[str]
    texts: frozenset[str]  # fields read through text (the others were already typed)
    checks: dict[str, Checks]  # field → its cell and record checks, in order
    store: pl.LazyFrame | None = None  # the checked columns kept after one parse (see ``kept``)

    @property
    def table(self) -> str:
        return self.opened.source.table

    @property
    def name(self) -> str:
        return self.opened.source.name

    @property
    def good(self) -> pl.Expr:
        """True for a row without any cell or record problem."""
        return ~pl.any_horizontal([pl.col(_BAD + f) for f in self.present])

    def checked_columns(self) -> pl.LazyFrame:
        """LINE, the canonical columns and the bad flags: everything but the text."""
        return self.frame.select(LINE, *registry_schema(TABLES[self.table]), *[_BAD + f for f in self.present])

    def kept(self, store: pl.LazyFrame) -> Checked:
        """The same table, its ``checked_columns`` already computed (text parsed once)."""
        return dataclasses.replace(self, store=store)

    def typed(self) -> pl.LazyFrame:
        """LINE and the canonical columns, exactly ``registry_schema``, of every row (bad ones too:
        the caller drops those by line). A blank birth date or sex is read from the ID number."""
        source = self.store if self.store is not None else self.frame
        frame = source.select(LINE, *registry_schema(TABLES[self.table]))
        return _derive_from_id(frame) if self._blanks_from_id(source) else frame

    def _blanks_from_id(self, source: pl.LazyFrame) -> bool:
        """Whether some birth date or sex is blank and an ID number could tell it. Deriving them
        parses every ID number again (as costly as reading the table), so it is done only then."""
        if "id_number" not in self.present:
            return False
        if not {"birth_date", "sex"} <= set(self.present):
            return True
        blanks = source.select(pl.col("birth_date").null_count() + pl.col("sex").null_count())
        return bool(blanks.collect(engine="streaming").item())

    def keys(self) -> pl.LazyFrame:
        """What the checks across rows and tables need: line, good, id and references."""
        names = ["id"] + [fk for table, fk, _ in REFERENCES if table == self.table]
        source = self.store if self.store is not None else self.frame
        return source.select(LINE, self.good.alias("good"), *[n for n in names if n in self.present])

    def bad_rows(self) -> pl.LazyFrame:
        """The rows with any cell or record problem: line, the problem of each cell, cells as written.

        Messages are worded here, after the filter, so a scan of good data never builds them.
        """
        raw = [
            (pl.col(TEXT + f) if f in self.texts else pl.col(f).cast(pl.String)).alias(_RAW + f) for f in self.present
        ]
        problems = [first_problem(self.checks[f]).alias(_PROBLEM + f) for f in self.present]
        return self.frame.filter(~self.good).select(LINE, *problems, *raw)


def check_table(opened: Opened, *, today: dt.date | None = None) -> Checked:
    """Parse and check every cell of a table, lazily, in stages: text, value, checks, record rules."""
    table = opened.source.table
    model = TABLES[table]
    schema = registry_schema(model)
    source = opened.frame.collect_schema()
    present = [f for f in schema if f in source]
    required = set(required_fields(table))
    trim = opened.source.kind != "parquet"
    parsed = {f: parse_column(model, f, source[f], required=f in required, trim=trim, today=today) for f in present}
    texts = [p.text.alias(TEXT + f) for f, p in parsed.items() if p.text is not None]
    frame = opened.frame.with_columns(texts) if texts else opened.frame
    frame = frame.select(
        LINE,
        *[pl.col(TEXT + f) for f, p in parsed.items() if p.text is not None],
        *[parsed[f].value.alias(f) if f in parsed else pl.lit(None, dtype).alias(f) for f, dtype in schema.items()],
    )
    if "id_number" in present:  # its birth date, read by its checks and the record rules
        frame = frame.with_columns(id_birth_date(pl.col("id_number")).alias(ID_BIRTH))
    frame = frame.with_columns(any_failed(parsed[f].checks).alias(_BAD + f) for f in present)
    checks = {f: list(p.checks) for f, p in parsed.items()}
    records = _RECORD_RULES.get(table)
    if records is not None:
        added = records(present)
        frame = frame.with_columns((pl.col(_BAD + f) | any_failed(c)).alias(_BAD + f) for f, c in added.items())
        for field, more in added.items():
            checks[field] += more
    texts_read = frozenset(f for f, p in parsed.items() if p.text is not None)
    return Checked(opened, frame, present, texts_read, checks)


def _usable_id() -> pl.Expr:
    return pl.col("id_number").is_not_null() & ~pl.col(_BAD + "id_number")


def _person_rules(present: list[str]) -> dict[str, Checks]:
    """Person._derive_from_id: birth date and sex, when given, agree with the ID number;
    Person._declared_statuses: a stated status agrees with its own dates."""
    rules = declared_status_rules(present)
    if "id_number" not in present:
        return rules
    number, usable = pl.col("id_number"), _usable_id()
    if "birth_date" in present:
        differs = usable & (pl.col("birth_date") != pl.col(ID_BIRTH))
        rules["birth_date"] = [(differs, "出生日期与公民身份号码中的出生日期不一致")]
    if "sex" in present:
        differs = usable & ((pl.col("sex") == "male") != id_male(number))
        rules["sex"] = [(differs, "性别与公民身份号码第17位（奇数为男、偶数为女）不一致")]
    return rules


def _derive_from_id(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Person._derive_from_id: a blank birth date or sex is read from the ID number (only rows
    whose ID number passed its checks are kept, so it needs no checking again here)."""
    number = pl.col("id_number")
    return frame.with_columns(
        pl.coalesce(pl.col("birth_date"), id_birth_date(number)).alias("birth_date"),
        pl.coalesce(pl.col("sex"), id_sex(number)).alias("sex"),
    )


def _employment_rules(present: list[str]) -> dict[str, Checks]:
    """Employment._dates: a separation cannot come before the hire; Employment._contract."""
    rules = contract_checks(present)
    if "separation_date" in present:
        rules["separation_date"] = [(pl.col("separation_date") < pl.col("hire_date"), "离职日期早于招用日期")]
    return rules


_RECORD_RULES: dict[str, Callable[[list[str]], dict[str, Checks]]] = {
    "persons": _person_rules,
    "employments": _employment_rules,
    "placements": contract_checks,
    "certificates": certificate_rules,
}


def cell_problems(checked: Checked, rows: pl.DataFrame) -> list[RowProblem]:
    """Collected bad rows → one :class:`RowProblem` per bad cell, personal data masked."""
    out: list[RowProblem] = []
    headers = checked.opened.headers
    for row in rows.iter_rows(named=True):
        for field in checked.present:
            message = row[_PROBLEM + field]
            if message is None:
                continue
            raw = row[_RAW + field]
            shown = None if raw is None else _MASKS.get(field, str)(raw)
            out.append(RowProblem(checked.name, row[LINE], headers[field], message, shown, field))
    return out


@dataclass
class Keys:
    """The collected keys of one table (line, good, id, references) and what they imply."""

    checked: Checked
    frame: pl.DataFrame

    @functools.cached_property
    def repeated(self) -> pl.DataFrame:
        """Good rows whose id another good row also carries (line, id).

        Sorted ids (as registries are usually exported) are compared with their neighbours;
        otherwise hashes find the candidates and the ids themselves decide, so a hash
        collision cannot make a false duplicate.
        """
        good = self.frame.filter(pl.col("good")).select(LINE, "id")
        if good["id"].is_sorted():
            same = (pl.col("id") == pl.col("id").shift(1)) | (pl.col("id") == pl.col("id").shift(-1))
            return good.filter(same.fill_null(False))
        candidates = good.filter(pl.col("id").hash().is_duplicated())
        return candidates.filter(pl.col("id").is_duplicated())

    @functools.cached_property
    def usable_ids(self) -> pl.Series:
        """Ids carried by exactly one good row: the rows another table may point at."""
        good = self.frame.filter(pl.col("good")).select("id")
        if not self.repeated.is_empty():
            good = good.join(self.repeated.select("id").unique(), on="id", how="anti", maintain_order="left")
        return good["id"]

    def missing(self, refs: pl.DataFrame) -> pl.DataFrame:
        """The rows of ``refs`` whose ``ref`` is not a usable id."""
        return refs.join(self.usable_ids.to_frame(), left_on="ref", right_on="id", how="anti")


def duplicate_problems(keys: Keys) -> list[RowProblem]:
    """Ids carried by more than one good row: every such row, naming the others."""
    checked = keys.checked
    if "id" not in keys.frame.columns or keys.repeated.is_empty():
        return []
    repeated = keys.repeated
    lines = repeated.group_by("id").agg(pl.col(LINE).sort().alias("lines"))
    label = TABLES[checked.table].model_fields["id"].title or "编号"
    out = []
    for row in repeated.join(lines, on="id").sort(LINE).iter_rows(named=True):
        shown = "、".join(str(n) for n in row["lines"][:10]) + ("等" if len(row["lines"]) > 10 else "")
        message = f"{label} {row['id']!r} 重复（第{shown}行）；提示：每个编号须唯一，请删除或改正重复的行"
        out.append(RowProblem(checked.name, row[LINE], checked.opened.headers["id"], message, None, "id"))
    return out


def reference_problems(parent_table: str, parent: Keys | None, children: list[tuple[Keys, str]]) -> list[RowProblem]:
    """Good rows of the ``children`` (table keys, field) whose field names no row, or no single
    good row, of the parent table. One join for all the tables that point at the same parent."""
    pointing = [
        keys.frame.filter(pl.col("good") & pl.col(field).is_not_null()).select(
            pl.lit(i, pl.UInt32).alias("child"), LINE, pl.col(field).alias("ref")
        )
        for i, (keys, field) in enumerate(children)
        if field in keys.frame.columns
    ]
    if not pointing:
        return []
    rows = pl.concat(pointing)
    if parent is not None:
        rows = parent.missing(rows)
    if rows.is_empty():
        return []
    known = parent.frame["id"].implode() if parent is not None else pl.Series([], dtype=pl.String).implode()
    rows = rows.with_columns(pl.col("ref").is_in(known).alias("known")).sort("child", LINE)
    label = table_label(parent_table)
    where = parent.checked.name if parent else f"台账目录（没有{label}表）"
    out = []
    for row in rows.iter_rows(named=True):
        keys, field = children[row["child"]]
        ref = row["ref"]
        if row["known"]:
            message = f"{where}中编号为 {ref!r} 的{label}有误或重复，本行无法关联；提示：先改正该{label}的行"
        else:
            message = f"{where}中没有编号为 {ref!r} 的{label}；提示：先登记该{label}，或改正编号"
        column = keys.checked.opened.headers[field]
        out.append(RowProblem(keys.checked.name, row[LINE], column, message, ref, field))
    return out
