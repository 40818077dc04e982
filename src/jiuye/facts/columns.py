"""Facts fields as table columns: their kinds, dtypes, labels, and the conversion registry → engine.

Every column is named ``<entity>_<field>``. Money becomes integer fen and ratios integer parts
per million on the way in, so the engine never does float arithmetic on money. A few columns
are derived once per entity from its own fields (:data:`_DERIVED`): the employer's 300号 size,
whether a labour contract was signed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import polars as pl
from pydantic import BaseModel

from jiuye.facts import model as m
from jiuye.facts.contracts import folded_contract_type, signed_contract
from jiuye.facts.units import MODELS_BY_PREFIX
from jiuye.money import PPM
from jiuye.sizing import with_size

__all__ = [
    "column_kind",
    "column_label",
    "derived_inputs",
    "engine_columns",
    "entity_schema",
    "registry_schema",
]


def _base_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_type(args[0])
    if origin is typing.Annotated:
        return _base_type(typing.get_args(annotation)[0])
    return annotation


@functools.cache
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
    return with_size(frame, prefix)


def _derived(column: str) -> tuple[str, Derived] | None:
    prefix, _, name = column.partition("_")
    model = MODELS_BY_PREFIX.get(prefix)
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
#: Registry unit → engine integer unit, as a factor on the decimal's unscaled integer (yuan with
#: 2 places is already fen; 万元 with 4 places is 100 fen per unit; a ratio with 6 places is ppm).
_UNSCALED = {"fen": 1, "wan": 1_000_000 // 10**4, "ppm": PPM // 10**6}


def registry_schema(model: type[BaseModel]) -> dict[str, pl.DataType]:
    """The canonical columns of a registry table (field names, exact decimal money)."""
    return dict(_registry_schema(model))


@functools.cache
def _registry_schema(model: type[BaseModel]) -> tuple[tuple[str, pl.DataType], ...]:
    return tuple(
        (name, _REGISTRY_DTYPES[kind]) for name in model.model_fields if (kind := _kind(model, name)) != "skip"
    )


@functools.cache
def _conversions(model: type[BaseModel], prefix: str) -> tuple[pl.Expr, ...]:
    exprs = []
    for name, dtype in _registry_schema(model):
        kind = _kind(model, name)
        column = pl.col(name).cast(dtype)
        if kind in _UNSCALED:  # exact: the decimal's unscaled integer, times a whole factor
            column = column.to_physical().cast(pl.Int64) * _UNSCALED[kind]
        exprs.append(column.alias(f"{prefix}_{name}"))
    return tuple(exprs)


def engine_columns(frame: pl.LazyFrame, model: type[BaseModel], prefix: str) -> pl.LazyFrame:
    """Registry columns → engine columns: ``<prefix>_<field>``, money in fen, ratios in ppm, and
    the entity's derived columns."""
    return _derived_columns(frame.select(_conversions(model, prefix)), model, prefix)


_engine_columns = engine_columns  # the name jiuye.spark.units imports


def column_kind(column: str) -> str:
    """How a column's values are stored: date, bool, int, fen (元), wan (万元, kept in fen), ppm, str."""
    prefix, _, name = column.partition("_")
    model = MODELS_BY_PREFIX.get(prefix)
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
    model = MODELS_BY_PREFIX.get(prefix)
    derived = _derived(column)
    if model is None or (name not in model.model_fields and not derived):
        return column
    title = derived[1].label if derived else (model.model_fields[name].title or name)
    owner = {"person": "人员", "employer": "单位", "agency": "人力资源服务机构"}.get(prefix)
    return f"{owner}·{title}" if owner else title
