"""Facts → one Polars table per evaluation unit, every column named ``<entity>_<field>``.

The units and their joins are :mod:`jiuye.facts.units`; the columns and their conversion
(money in integer fen, ratios in ppm) :mod:`jiuye.facts.columns`, both re-exported here.

Integer surrogate keys: the persons and employers tables get ``person_key`` and
``employer_key`` (``pl.UInt32``, the row's place in that table), and every unit table that joins
them carries the joined partner's key under its prefix (``person_key``, ``employer_key``,
``agency_key`` for a placement's agency; null when the partner is absent). Within one call of
:func:`tables_from_registry`, :func:`build_tables` or one :func:`partner_frames`, a key names the
same person or employer in every unit, so the engine can join, group and sort by integers;
the text ids (``person_id``, ``employer_id``) stay as columns for what is shown and written.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any

import polars as pl
from pydantic import BaseModel

from jiuye.engine.measure import Unit
from jiuye.facts import model as m

# Importable from here, where other modules have long found them (explicit re-exports).
from jiuye.facts.columns import _base_type as _base_type
from jiuye.facts.columns import _engine_columns as _engine_columns
from jiuye.facts.columns import _kind as _kind
from jiuye.facts.columns import (
    column_kind,
    column_label,
    derived_inputs,
    engine_columns,
    entity_schema,
    registry_schema,
)
from jiuye.facts.units import UNITS, UnitSpec

__all__ = [
    "KEY_DTYPE",
    "UNITS",
    "UnitSpec",
    "build_tables",
    "column_kind",
    "column_label",
    "derived_inputs",
    "empty_table",
    "entity_schema",
    "partner_frames",
    "registry_from_facts",
    "registry_schema",
    "tables_from_registry",
    "unit_frame",
]

#: The dtype of ``person_key`` and ``employer_key`` (a row index: 4 billion rows are enough).
KEY_DTYPE = pl.UInt32()
_ROW = "__unit_row"
_PARTNERS: dict[str, tuple[type[BaseModel], str]] = {
    "persons": (m.Person, "person"),
    "employers": (m.Employer, "employer"),
}


def _key(prefix: str) -> str:
    return f"{prefix}_key"


def _canonical(rows: Sequence[BaseModel], model: type[BaseModel]) -> pl.DataFrame:
    schema = registry_schema(model)
    if not rows:
        return pl.DataFrame(schema=schema)
    data = {name: [_plain(getattr(r, name)) for r in rows] for name in schema}
    # Decimals go in as their exact text and are cast: building a decimal column from Python
    # Decimal objects makes Polars import NumPy (~0.1 s of a cold ``jiuye eval``).
    text = {name: pl.String() if isinstance(dtype, pl.Decimal) else dtype for name, dtype in schema.items()}
    return pl.DataFrame(data, schema=text).cast(schema)  # type: ignore[arg-type]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value.value if isinstance(value, Enum) else value


def _partner_schema(source: str) -> dict[str, pl.DataType]:
    model, prefix = _PARTNERS[source]
    return {_key(prefix): KEY_DTYPE, **entity_schema(model, prefix)}


def empty_table(unit: Unit) -> pl.DataFrame:
    """The unit's schema with no rows (batch inputs must match it)."""
    spec = UNITS[unit]
    if spec.source in _PARTNERS:
        return pl.DataFrame(schema=_partner_schema(spec.source))
    schema = dict(entity_schema(spec.model, spec.prefix))
    for _, source, prefix in spec.joins:
        own = _PARTNERS[source][1]
        schema.update({prefix + c.removeprefix(own): t for c, t in _partner_schema(source).items()})
    return pl.DataFrame(schema=schema)


def _entity(entities: Mapping[str, pl.LazyFrame], source: str, model: type[BaseModel]) -> pl.LazyFrame:
    frame = entities.get(source)
    return pl.LazyFrame(schema=registry_schema(model)) if frame is None else frame


def partner_frames(entities: Mapping[str, pl.LazyFrame]) -> dict[str, pl.LazyFrame]:
    """The tables other units join (persons, employers), in engine columns, each led by its
    integer key (``person_key``, ``employer_key``: the row's place in the registry table)."""
    out = {}
    for source, (model, prefix) in _PARTNERS.items():
        frame = engine_columns(_entity(entities, source, model), model, prefix)
        out[source] = frame.with_row_index(_key(prefix))
    return out


def _needs(prefix: str, columns: Collection[str] | None) -> bool:
    return columns is None or any(c.startswith(prefix + "_") for c in columns)


def unit_frame(
    unit: Unit,
    entities: Mapping[str, pl.LazyFrame],
    partners: Mapping[str, pl.LazyFrame],
    *,
    prefilter: bool = False,
    columns: Collection[str] | None = None,
) -> pl.LazyFrame:
    """One unit's table: its own rows, left-joined to each partner (a row whose optional partner
    is absent is kept). ``partners`` are :func:`partner_frames`, possibly already in memory;
    ``prefilter`` first narrows each partner to the rows referenced, which pays off when the unit
    has far fewer rows than the partner (a few thousand trainings against millions of persons).
    ``columns``, when given, name the columns the caller reads (e.g. what
    :func:`jiuye.engine.evaluate.columns_used` names): a partner none of them reads is not joined,
    the others bring just those columns (and their id and key); the unit's own columns all stay."""
    spec = UNITS[unit]
    if unit is Unit.person:
        return partners["persons"]
    if unit is Unit.employer:
        return partners["employers"]
    frame = engine_columns(_entity(entities, spec.source, spec.model), spec.model, spec.prefix)
    # Joins that keep the left order build their hash table on the (large) partner: 5-10× slower
    # than an unordered join followed by a sort on the unit's row number.
    frame = frame.with_row_index(_ROW)
    for fk, source, prefix in spec.joins:
        if not _needs(prefix, columns):
            continue
        partner = partners[source]
        own = _PARTNERS[source][1]
        key = f"{spec.prefix}_{fk}"
        if columns is not None:
            wanted = {f"{own}_id", _key(own)} | {own + c.removeprefix(prefix) for c in columns}
            partner = partner.select([c for c in partner.collect_schema().names() if c in wanted])
        if prefilter:
            referenced = frame.select(pl.col(key).alias(f"{own}_id")).drop_nulls().unique()
            partner = partner.join(referenced, on=f"{own}_id", how="semi")
        if prefix != own:
            names = partner.collect_schema().names()
            partner = partner.rename({c: prefix + c.removeprefix(own) for c in names})
        frame = frame.join(partner, left_on=key, right_on=f"{prefix}_id", how="left", coalesce=False)
    return frame.sort(_ROW).drop(_ROW)


def tables_from_registry(
    entities: Mapping[str, pl.LazyFrame], columns: Mapping[Unit, Collection[str]] | None = None
) -> dict[Unit, pl.LazyFrame]:
    """Registry tables (by Facts attribute: persons, employers, employments...) → one joined,
    lazy table per unit. A missing registry table is an empty one. ``columns`` (by unit) limit a
    unit's joins to the partners those columns read (see :func:`unit_frame`)."""
    partners = partner_frames(entities)
    wanted = columns or {}
    return {unit: unit_frame(unit, entities, partners, columns=wanted.get(unit)) for unit in UNITS}


def registry_from_facts(facts: m.Facts) -> dict[str, pl.LazyFrame]:
    """A facts document as registry tables (the same shapes ``jiuye synth`` writes)."""
    return {spec.source: _canonical(getattr(facts, spec.source), spec.model).lazy() for spec in UNITS.values()}


def build_tables(
    facts: m.Facts, units: Iterable[Unit] | None = None, columns: Mapping[Unit, Collection[str]] | None = None
) -> dict[Unit, pl.DataFrame]:
    """The unit tables of one facts document (the calculator's input); only ``units`` if given,
    and with ``columns`` (by unit) only the joins those columns need (see :func:`unit_frame`)."""
    wanted = list(UNITS) if units is None else list(dict.fromkeys(units))
    sources = {UNITS[u].source for u in wanted} | {s for u in wanted for _, s, _ in UNITS[u].joins}
    registry = {
        spec.source: _canonical(getattr(facts, spec.source), spec.model).lazy()
        for spec in UNITS.values()
        if spec.source in sources
    }
    # The persons and employers are converted once, in memory, then joined by every unit.
    partners = {
        source: frame.collect().lazy() if source in sources else frame
        for source, frame in partner_frames(registry).items()
    }
    limits = columns or {}
    frames = [unit_frame(unit, registry, partners, columns=limits.get(unit)) for unit in wanted]
    return dict(zip(wanted, pl.collect_all(frames), strict=True))
