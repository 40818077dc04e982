"""Facts → one Polars table per evaluation unit, every column named ``<entity>_<field>``.

Money becomes integer fen and ratios integer parts per million on the way in, so the
engine never does float arithmetic on money.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import polars as pl
from pydantic import BaseModel

from jiuye.engine.measure import Unit
from jiuye.facts import model as m
from jiuye.money import PPM

__all__ = ["UNITS", "UnitSpec", "build_tables", "column_kind", "column_label", "empty_table", "entity_schema"]


@dataclass(frozen=True)
class UnitSpec:
    source: str  # attribute of Facts
    model: type[BaseModel]
    prefix: str
    joins: tuple[tuple[str, str, str], ...] = ()  # (fk field, Facts attribute, prefix)
    location: tuple[str, ...] = ()  # region columns, first known wins


_PERSON = ("person", "persons", "person")
_EMPLOYER = ("employer", "employers", "employer")

UNITS: dict[Unit, UnitSpec] = {
    Unit.person: UnitSpec("persons", m.Person, "person", (), ("person_region",)),
    Unit.employer: UnitSpec("employers", m.Employer, "employer", (), ("employer_region",)),
    Unit.employment: UnitSpec("employments", m.Employment, "employment", (_PERSON, _EMPLOYER), ("employer_region",)),
    Unit.internship: UnitSpec("internships", m.Internship, "internship", (_PERSON, _EMPLOYER), ("employer_region",)),
    Unit.business: UnitSpec(
        "businesses",
        m.Business,
        "business",
        (("founder", "persons", "person"),),
        ("business_region", "person_region"),
    ),
    Unit.certificate: UnitSpec(
        "certificates",
        m.Certificate,
        "certificate",
        (_PERSON, _EMPLOYER),
        ("employer_region", "person_region"),
    ),
    Unit.apprenticeship: UnitSpec(
        "apprenticeships", m.Apprenticeship, "apprenticeship", (_PERSON, _EMPLOYER), ("employer_region",)
    ),
    Unit.placement: UnitSpec(
        "placements",
        m.Placement,
        "placement",
        (("agency", "employers", "agency"), _PERSON, _EMPLOYER),
        ("agency_region",),
    ),
    Unit.training: UnitSpec("trainings", m.Training, "training", (_PERSON,), ("person_region",)),
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


def entity_schema(model: type[BaseModel], prefix: str) -> dict[str, pl.DataType]:
    return {f"{prefix}_{name}": _DTYPES[kind] for name in model.model_fields if (kind := _kind(model, name)) != "skip"}


def _convert(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "fen":
        return int(Decimal(value) * 100)
    if kind == "wan":
        return int(Decimal(value) * 1_000_000)  # 万元 → fen
    if kind == "ppm":
        return int(Decimal(value) * PPM)
    if isinstance(value, Enum):
        return value.value
    return value


def _frame(rows: Sequence[BaseModel], model: type[BaseModel], prefix: str) -> pl.DataFrame:
    kinds = {n: k for n in model.model_fields if (k := _kind(model, n)) != "skip"}
    data = {f"{prefix}_{name}": [_convert(getattr(r, name), kind) for r in rows] for name, kind in kinds.items()}
    return pl.DataFrame(data, schema=entity_schema(model, prefix))


def empty_table(unit: Unit) -> pl.DataFrame:
    """The unit's schema with no rows (batch inputs must match it)."""
    spec = UNITS[unit]
    schema = dict(entity_schema(spec.model, spec.prefix))
    for _, _source, prefix in spec.joins:
        schema.update(entity_schema(_MODELS_BY_PREFIX[prefix], prefix))
    return pl.DataFrame(schema=schema)


def build_tables(facts: m.Facts) -> dict[Unit, pl.DataFrame]:
    """One joined table per unit; left joins keep a row whose optional partner is absent."""
    entities = {
        "persons": _frame(facts.persons, m.Person, "person"),
        "employers": _frame(facts.employers, m.Employer, "employer"),
    }
    out: dict[Unit, pl.DataFrame] = {}
    for unit, spec in UNITS.items():
        rows = getattr(facts, spec.source)
        frame = _frame(rows, spec.model, spec.prefix)
        for fk, source, prefix in spec.joins:
            partner = entities[source]
            if prefix != source.rstrip("s"):
                partner = partner.rename({c: prefix + c.removeprefix(source.rstrip("s")) for c in partner.columns})
            frame = frame.join(
                partner,
                left_on=f"{spec.prefix}_{fk}",
                right_on=f"{prefix}_id",
                how="left",
                coalesce=False,
            )
        out[unit] = frame
    return out


def column_kind(column: str) -> str:
    """How a column's values are stored: date, bool, int, fen (元), wan (万元, kept in fen), ppm, str."""
    prefix, _, name = column.partition("_")
    model = _MODELS_BY_PREFIX.get(prefix)
    if model is None or name not in model.model_fields:
        return ""
    return _kind(model, name)


def column_label(column: str) -> str:
    """Chinese label of a table column, for "needs facts" messages and traces."""
    if column == "region":
        return "所在地区（行政区划代码）"
    prefix, _, name = column.partition("_")
    model = _MODELS_BY_PREFIX.get(prefix)
    if model is None or name not in model.model_fields:
        return column
    title = model.model_fields[name].title or name
    owner = {"person": "人员", "employer": "单位", "agency": "人力资源服务机构"}.get(prefix)
    return f"{owner}·{title}" if owner else title
