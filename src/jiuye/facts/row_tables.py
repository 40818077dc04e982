"""Facts → unit tables as plain dict rows, for the single case (no Polars per document).

The rows are those of ``build_tables(facts, units)[u].with_row_index("row_id").to_dicts()``:
the same columns in the same order, the same values. The conversions of
:mod:`jiuye.facts.columns` (money in fen, ratios in ppm) are exact integer arithmetic here; the
derived columns (folded contract type, the employer's 300号 industry and size) stay declared once,
as Polars expressions, and are evaluated by row programs compiled once per entity
(:mod:`jiuye.engine.row_programs`); the threshold lookup and the joins are dict lookups. The
batch builds the same tables with Polars; ``tests/test_row_case.py`` holds that they agree.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any

import polars as pl
from pydantic import BaseModel

from jiuye.engine import plan_store
from jiuye.engine.measure import Unit
from jiuye.engine.row_programs import compile_stages
from jiuye.engine.rowexpr import RowProgram, Unsupported, reference
from jiuye.facts import model as m
from jiuye.facts.columns import _REGISTRY_DTYPES, _UNSCALED, _kind, _registry_schema, entity_schema
from jiuye.facts.contracts import folded_contract_type, signed_contract
from jiuye.facts.tables import UNITS, build_tables
from jiuye.sizing import _size, industry_group, thresholds_frame

__all__ = ["Row", "fallbacks", "row_tables", "unit_schema"]

Row = dict[str, Any]
_log = logging.getLogger(__name__)
_fallen: dict[str, str] = {}  # derived columns → why Polars evaluates them (logged once)
_PARTNERS: dict[str, tuple[type[BaseModel], str]] = {
    "persons": (m.Person, "person"),
    "employers": (m.Employer, "employer"),
}


@functools.cache
def unit_schema(unit: Unit) -> dict[str, pl.DataType]:
    """The unit table's columns and dtypes, ``row_id`` first (the same for every document; kept
    on disk with the plans, :func:`jiuye.engine.plan_store.remembered`)."""

    def build() -> dict[str, pl.DataType]:
        return dict(build_tables(m.Facts(), [unit])[unit].with_row_index("row_id").schema)

    return plan_store.remembered("unit_schema", unit.value, build)


@functools.cache
def _fields(model: type[BaseModel], prefix: str) -> tuple[tuple[str, str, int, int], ...]:
    """Per registry field: engine column, and for decimals the places and the factor to fen/ppm."""
    out = []
    for name, _ in _registry_schema(model):
        kind = _kind(model, name)
        dtype = _REGISTRY_DTYPES[kind]
        places = dtype.scale if isinstance(dtype, pl.Decimal) and kind in _UNSCALED else -1
        out.append((name, f"{prefix}_{name}", places, _UNSCALED.get(kind, 1)))
    return tuple(out)


def _unscaled(value: Decimal, places: int, factor: int) -> int:
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():  # the model allows no more places: never here
        raise Unsupported(f"{value} has more than {places} decimal places")
    return int(scaled) * factor


def _converted(items: Sequence[BaseModel], model: type[BaseModel], prefix: str) -> list[Row]:
    fields = _fields(model, prefix)
    rows = []
    for item in items:
        row: Row = {}
        values = item.__dict__  # a pydantic model's fields (getattr is slower)
        for name, column, places, factor in fields:
            value = values[name]
            if isinstance(value, Enum):
                value = value.value
            elif places >= 0 and value is not None:
                value = _unscaled(value, places, factor)
            row[column] = value
        rows.append(row)
    return rows


def fallbacks() -> dict[str, str]:
    """The derived columns the row compiler could not take (evaluated by Polars instead), and why."""
    return dict(_fallen)


def _compiled(stages: list[list[pl.Expr]], schema: dict[str, pl.DataType]) -> RowProgram:
    """The stages' row program; for what the compiler does not know, Polars, logged once."""
    try:
        return compile_stages(stages, schema)
    except Unsupported as why:
        names = ", ".join(e.meta.output_name() for stage in stages for e in stage)
        _fallen[names] = str(why)
        _log.warning("unit rows: %s evaluated by Polars (%s)", names, why)
        return reference.compile_stages(stages, schema)


class _Derived:
    """An entity's derived columns (:mod:`jiuye.facts.columns`), as row programs."""

    def __init__(self, model: type[BaseModel], prefix: str) -> None:
        self.names = list(entity_schema(model, prefix))
        derived = {
            n: t
            for n, t in entity_schema(model, prefix).items()
            if n.removeprefix(prefix + "_") not in model.model_fields
        }
        base = {n: t for n, t in entity_schema(model, prefix).items() if n not in derived}
        self.programs: list[RowProgram] = []
        self.sizing: str | None = None
        if model in (m.Employment, m.Placement):
            legacy = model is m.Employment
            stages = [
                [folded_contract_type(prefix, legacy=legacy).alias(f"{prefix}_contract_type")],
                [signed_contract(prefix, legacy=legacy).alias(f"{prefix}_contract_signed")],
            ]
            self.programs.append(_compiled(stages, base))
        elif model is m.Employer:
            group = self.sizing = f"{prefix}_industry_group"
            self.programs.append(_compiled([[industry_group(pl.col(f"{prefix}_industry")).alias(group)]], base))
            thresholds = thresholds_frame()
            self.thresholds = {r["group"]: r for r in thresholds.rows(named=True)}
            self.threshold_names = thresholds.columns[1:]
            after = {**self.programs[0].schema, **{n: thresholds.schema[n] for n in self.threshold_names}}
            self.size = _compiled([[_size(prefix, group).alias(f"{prefix}_derived_size")]], after)
        self.plain = not self.programs

    def __call__(self, rows: list[Row]) -> list[Row]:
        if self.plain or not rows:
            return rows
        for program in self.programs:
            program(rows)
        if self.sizing is not None:  # the 300号 thresholds joined on the industry group
            none = dict.fromkeys(self.threshold_names)
            for row in rows:
                found = self.thresholds.get(row[self.sizing])
                row.update({n: found[n] for n in self.threshold_names} if found else none)
            self.size(rows)
        names = self.names
        return [{n: row[n] for n in names} for row in rows]


@functools.cache
def _derived(model: type[BaseModel], prefix: str) -> _Derived:
    """An entity's derived columns' programs, compiled once (and kept on disk with the plans)."""
    return plan_store.remembered("derived_columns", f"{model.__name__}/{prefix}", lambda: _Derived(model, prefix))


def _entity_rows(facts: m.Facts, source: str, model: type[BaseModel], prefix: str) -> list[Row]:
    return _derived(model, prefix)(_converted(getattr(facts, source), model, prefix))


def _partner_rows(facts: m.Facts, source: str) -> list[Row]:
    model, prefix = _PARTNERS[source]
    return [{f"{prefix}_key": i, **row} for i, row in enumerate(_entity_rows(facts, source, model, prefix))]


@functools.cache
def _renamed(source: str, prefix: str) -> tuple[tuple[str, str], ...]:
    """A partner's columns (key first) and their names under ``prefix`` (an agency is an employer)."""
    model, own = _PARTNERS[source]
    names = [f"{own}_key", *entity_schema(model, own)]
    return tuple((c, prefix + c.removeprefix(own)) for c in names)


@functools.cache
def _missing(source: str, prefix: str) -> list[Row]:
    """The partner's columns, all null: what a row without a partner is joined to (read only)."""
    return [dict.fromkeys(new for _, new in _renamed(source, prefix))]


def _index(partner: list[Row], source: str, prefix: str) -> dict[Any, list[Row]]:
    """The partner's rows by id, their columns named under ``prefix`` (read only)."""
    own = _PARTNERS[source][1]
    renamed = None if prefix == own else _renamed(source, prefix)
    index: dict[Any, list[Row]] = {}
    for p in partner:
        if p[f"{own}_id"] is not None:
            index.setdefault(p[f"{own}_id"], []).append(p if renamed is None else {n: p[o] for o, n in renamed})
    return index


def _joined(rows: list[Row], key: str, index: dict[Any, list[Row]], missing: list[Row]) -> list[Row]:
    """A left join on the partner's id (no match, or a null key: the partner's columns null)."""
    out = []
    for row in rows:
        value = row[key]
        for match in (index.get(value) if value is not None else None) or missing:
            out.append({**row, **match})
    return out


def row_tables(facts: m.Facts, units: Iterable[Unit]) -> dict[Unit, list[Row]]:
    """Each unit's rows with ``row_id`` (see :func:`unit_schema` for the dtypes)."""
    partners: dict[str, list[Row]] = {}
    indexes: dict[tuple[str, str], dict[Any, list[Row]]] = {}

    def partner(source: str) -> list[Row]:
        if source not in partners:
            partners[source] = _partner_rows(facts, source)
        return partners[source]

    def index(source: str, prefix: str) -> dict[Any, list[Row]]:
        if (source, prefix) not in indexes:
            indexes[source, prefix] = _index(partner(source), source, prefix)
        return indexes[source, prefix]

    out: dict[Unit, list[Row]] = {}
    for unit in dict.fromkeys(units):
        spec = UNITS[unit]
        if spec.source in _PARTNERS:
            rows = partner(spec.source)
        else:
            rows = _entity_rows(facts, spec.source, spec.model, spec.prefix)
            for fk, source, prefix in spec.joins:
                rows = _joined(rows, f"{spec.prefix}_{fk}", index(source, prefix), _missing(source, prefix))
        out[unit] = [{"row_id": i, **row} for i, row in enumerate(rows)]
    return out
