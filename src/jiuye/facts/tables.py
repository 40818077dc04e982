"""Facts → one Polars table per evaluation unit, every column named ``<entity>_<field>``.

Money becomes integer fen and ratios integer parts per million on the way in, so the
engine never does float arithmetic on money.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import polars as pl
from pydantic import BaseModel

from jiuye.engine.measure import Unit
from jiuye.facts import model as m
from jiuye.facts.contracts import folded_contract_type, signed_contract
from jiuye.money import PPM
from jiuye.sizing import derived_size, industry_group

__all__ = [
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


@dataclass(frozen=True)
class UnitSpec:
    source: str  # attribute of Facts
    model: type[BaseModel]
    prefix: str
    joins: tuple[tuple[str, str, str], ...] = ()  # (fk field, Facts attribute, prefix)
    location: tuple[str, ...] = ()  # region columns, first known wins
    key_date: str | None = None  # the event that dates a row (hire, internship start...)


_PERSON = ("person", "persons", "person")
_EMPLOYER = ("employer", "employers", "employer")

UNITS: dict[Unit, UnitSpec] = {
    Unit.person: UnitSpec("persons", m.Person, "person", (), ("person_region",)),
    Unit.employer: UnitSpec("employers", m.Employer, "employer", (), ("employer_region",)),
    Unit.employment: UnitSpec(
        "employments",
        m.Employment,
        "employment",
        (_PERSON, _EMPLOYER),
        ("employer_region",),
        key_date="employment_hire_date",
    ),
    Unit.internship: UnitSpec(
        "internships",
        m.Internship,
        "internship",
        (_PERSON, _EMPLOYER),
        ("employer_region",),
        key_date="internship_start_date",
    ),
    Unit.business: UnitSpec(
        "businesses",
        m.Business,
        "business",
        (("founder", "persons", "person"),),
        ("business_region", "person_region"),
        key_date="business_registered_on",
    ),
    Unit.certificate: UnitSpec(
        "certificates",
        m.Certificate,
        "certificate",
        (_PERSON, _EMPLOYER),
        ("employer_region", "person_region"),
        key_date="certificate_issued_on",
    ),
    Unit.apprenticeship: UnitSpec(
        "apprenticeships",
        m.Apprenticeship,
        "apprenticeship",
        (_PERSON, _EMPLOYER),
        ("employer_region",),
        key_date="apprenticeship_start_date",
    ),
    Unit.placement: UnitSpec(
        "placements",
        m.Placement,
        "placement",
        (("agency", "employers", "agency"), _PERSON, _EMPLOYER),
        ("agency_region",),
        key_date="placement_placed_on",
    ),
    Unit.training: UnitSpec(
        "trainings", m.Training, "training", (_PERSON,), ("person_region",), key_date="training_start_date"
    ),
    Unit.district: UnitSpec("districts", m.DistrictIndicators, "district", (), ("district_region",)),
}

_MODELS_BY_PREFIX: dict[str, type[BaseModel]] = {
    "person": m.Person,
    "employer": m.Employer,
    "agency": m.Employer,
    **{spec.prefix: spec.model for spec in UNITS.values()},
}


def _base_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_type(args[0])
    if origin is typing.Annotated:
        return _base_type(typing.get_args(annotation)[0])
    return annotation


def _kind(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    base = _base_type(info.annotation)
    unit = (info.json_schema_extra or {}).get("unit") if isinstance(info.json_schema_extra, dict) else None
    if base is dt.date:
        return "date"
    if base is bool:
        return "bool"
    if base is int:
        return "int"
    if base is Decimal:
        return {"元": "fen", "元/月": "fen", "万元": "wan", "比例": "ppm"}.get(str(unit), "fen")
    if isinstance(base, type) and issubclass(base, Enum | str):
        return "str"
    return "skip"  # nested structures are not columns


_DTYPES: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "fen": pl.Int64(),
    "wan": pl.Int64(),
    "ppm": pl.Int64(),
    "str": pl.String(),
}


@dataclass(frozen=True)
class Derived:
    """A fact computed once per entity from its own fields (not per row of every unit it joins)."""

    field: str
    label: str
    inputs: tuple[str, ...]
    dtype: pl.DataType = dataclasses.field(default_factory=pl.String)


#: The 300号 industry group and size of an employer: a hire table has ~15 rows per employer, and
#: deriving the size there, once per measure, cost more than all the rules that read it.
#: Whether a labour contract was signed, read from the one contract type (``contract_type`` itself
#: is replaced by its folded value: see :mod:`jiuye.facts.contracts`).
_SIGNED = Derived("contract_signed", "签订劳动合同（按劳动合同类型）", ("contract_type",), pl.Boolean())
_DERIVED: dict[type[BaseModel], tuple[Derived, ...]] = {
    m.Employer: (
        Derived("industry_group", "划型行业（按行业代码推算）", ("industry",)),
        Derived("derived_size", "企业规模（按300号文推算）", ("industry", "staff", "revenue", "assets")),
    ),
    m.Employment: (_SIGNED,),
    m.Placement: (_SIGNED,),
}


def _derived_columns(frame: pl.LazyFrame, model: type[BaseModel], prefix: str) -> pl.LazyFrame:
    if model in (m.Employment, m.Placement):
        legacy = model is m.Employment
        kind = f"{prefix}_contract_type"
        return frame.with_columns(folded_contract_type(prefix, legacy=legacy).alias(kind)).with_columns(
            signed_contract(prefix, legacy=legacy).alias(f"{prefix}_contract_signed")
        )
    if model is not m.Employer:
        return frame
    group = f"{prefix}_industry_group"
    return frame.with_columns(industry_group(pl.col(f"{prefix}_industry")).alias(group)).with_columns(
        derived_size(pl.col(group), prefix).alias(f"{prefix}_derived_size")
    )


def _derived(column: str) -> tuple[str, Derived] | None:
    prefix, _, name = column.partition("_")
    model = _MODELS_BY_PREFIX.get(prefix)
    found = [d for d in _DERIVED.get(model, ()) if d.field == name] if model else []
    return (prefix, found[0]) if found else None


def derived_inputs(column: str) -> list[str]:
    """The fact columns a derived column is computed from (none for a plain fact column).

    >>> derived_inputs("agency_industry_group")
    ['agency_industry']
    """
    found = _derived(column)
    return [f"{found[0]}_{name}" for name in found[1].inputs] if found else []


def entity_schema(model: type[BaseModel], prefix: str) -> dict[str, pl.DataType]:
    kinds = {name: _kind(model, name) for name in model.model_fields}
    schema = {f"{prefix}_{name}": _DTYPES[kind] for name, kind in kinds.items() if kind != "skip"}
    return schema | {f"{prefix}_{d.field}": d.dtype for d in _DERIVED.get(model, ())}


#: How registries store each kind: money exactly as Decimal yuan (2 places), 万元 with 4 places,
#: ratios with 6 places; the engine then works in integer fen and ppm.
_REGISTRY_DTYPES: dict[str, pl.DataType] = {
    **_DTYPES,
    "fen": pl.Decimal(18, 2),
    "wan": pl.Decimal(18, 4),
    "ppm": pl.Decimal(9, 6),
}
_SCALE = {"fen": 100, "wan": 1_000_000, "ppm": PPM}  # registry unit → engine integer unit


def registry_schema(model: type[BaseModel]) -> dict[str, pl.DataType]:
    """The canonical columns of a registry table (field names, exact decimal money)."""
    return {name: _REGISTRY_DTYPES[kind] for name in model.model_fields if (kind := _kind(model, name)) != "skip"}


def _engine_columns(frame: pl.LazyFrame, model: type[BaseModel], prefix: str) -> pl.LazyFrame:
    """Registry columns → engine columns: ``<prefix>_<field>``, money in fen, ratios in ppm."""
    exprs = []
    for name in model.model_fields:
        kind = _kind(model, name)
        if kind == "skip":
            continue
        column = pl.col(name)
        if kind in _SCALE:
            column = (column.cast(_REGISTRY_DTYPES[kind]) * _SCALE[kind]).cast(pl.Int64)
        else:
            column = column.cast(_DTYPES[kind])
        exprs.append(column.alias(f"{prefix}_{name}"))
    return _derived_columns(frame.select(exprs), model, prefix)


def _canonical(rows: Sequence[BaseModel], model: type[BaseModel]) -> pl.DataFrame:
    schema = registry_schema(model)
    data = {name: [_plain(getattr(r, name)) for r in rows] for name in schema}
    return pl.DataFrame(data, schema=schema)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def empty_table(unit: Unit) -> pl.DataFrame:
    """The unit's schema with no rows (batch inputs must match it)."""
    spec = UNITS[unit]
    schema = dict(entity_schema(spec.model, spec.prefix))
    for _, _source, prefix in spec.joins:
        schema.update(entity_schema(_MODELS_BY_PREFIX[prefix], prefix))
    return pl.DataFrame(schema=schema)


def _entity(entities: Mapping[str, pl.LazyFrame], source: str, model: type[BaseModel]) -> pl.LazyFrame:
    frame = entities.get(source)
    return pl.LazyFrame(schema=registry_schema(model)) if frame is None else frame


def partner_frames(entities: Mapping[str, pl.LazyFrame]) -> dict[str, pl.LazyFrame]:
    """The tables other units join (persons, employers), in engine columns."""
    return {
        "persons": _engine_columns(_entity(entities, "persons", m.Person), m.Person, "person"),
        "employers": _engine_columns(_entity(entities, "employers", m.Employer), m.Employer, "employer"),
    }


def unit_frame(
    unit: Unit,
    entities: Mapping[str, pl.LazyFrame],
    partners: Mapping[str, pl.LazyFrame],
    *,
    prefilter: bool = False,
) -> pl.LazyFrame:
    """One unit's table: its own rows, left-joined to each partner (a row whose optional partner
    is absent is kept). ``partners`` are :func:`partner_frames`, possibly already in memory;
    ``prefilter`` first narrows each partner to the rows referenced, which pays off when the unit
    has far fewer rows than the partner (a few thousand trainings against millions of persons)."""
    spec = UNITS[unit]
    if unit is Unit.person:
        return partners["persons"]
    if unit is Unit.employer:
        return partners["employers"]
    frame = _engine_columns(_entity(entities, spec.source, spec.model), spec.model, spec.prefix)
    for fk, source, prefix in spec.joins:
        partner = partners[source]
        own = source.rstrip("s")
        key = f"{spec.prefix}_{fk}"
        if prefilter:
            referenced = frame.select(pl.col(key).alias(f"{own}_id")).drop_nulls().unique()
            partner = partner.join(referenced, on=f"{own}_id", how="semi")
        if prefix != own:
            names = partner.collect_schema().names()
            partner = partner.rename({c: prefix + c.removeprefix(own) for c in names})
        frame = frame.join(
            partner,
            left_on=key,
            right_on=f"{prefix}_id",
            how="left",
            coalesce=False,
            maintain_order="left_right",
        )
    return frame


def tables_from_registry(entities: Mapping[str, pl.LazyFrame]) -> dict[Unit, pl.LazyFrame]:
    """Registry tables (by Facts attribute: persons, employers, employments...) → one joined,
    lazy table per unit. A missing registry table is an empty one."""
    partners = partner_frames(entities)
    return {unit: unit_frame(unit, entities, partners) for unit in UNITS}


def registry_from_facts(facts: m.Facts) -> dict[str, pl.LazyFrame]:
    """A facts document as registry tables (the same shapes ``jiuye synth`` writes)."""
    return {spec.source: _canonical(getattr(facts, spec.source), spec.model).lazy() for spec in UNITS.values()}


def build_tables(facts: m.Facts, units: Iterable[Unit] | None = None) -> dict[Unit, pl.DataFrame]:
    """The unit tables of one facts document (the calculator's input); only ``units`` if given."""
    registry = registry_from_facts(facts)
    partners = partner_frames(registry)
    wanted = list(UNITS) if units is None else list(dict.fromkeys(units))
    frames = [unit_frame(unit, registry, partners) for unit in wanted]
    # One plan for all: the persons and employers they share are converted once.
    return dict(zip(wanted, pl.collect_all(frames), strict=True))


def column_kind(column: str) -> str:
    """How a column's values are stored: date, bool, int, fen (元), wan (万元, kept in fen), ppm, str."""
    prefix, _, name = column.partition("_")
    model = _MODELS_BY_PREFIX.get(prefix)
    if found := _derived(column):
        return "bool" if found[1].dtype == pl.Boolean() else "str"
    if model is None or name not in model.model_fields:
        return ""
    return _kind(model, name)


def column_label(column: str) -> str:
    """Chinese label of a table column, for "needs facts" messages and traces."""
    if column == "region":
        return "所在地区（行政区划代码）"
    prefix, _, name = column.partition("_")
    model = _MODELS_BY_PREFIX.get(prefix)
    derived = _derived(column)
    if model is None or (name not in model.model_fields and not derived):
        return column
    title = derived[1].label if derived else (model.model_fields[name].title or name)
    owner = {"person": "人员", "employer": "单位", "agency": "人力资源服务机构"}.get(prefix)
    return f"{owner}·{title}" if owner else title
