"""Enterprise size (大型/中型/小型/微型) by the national SME classification, as table lookups.

The thresholds and the industry grouping are data (policies/common/sme_sizing.yaml, citing
工信部联企业〔2011〕300号 第四条 and 国统字〔2017〕213号). A declared size (e.g. recognised by
the tax bureau) wins over the derived one.

Both are lookups in small frames built once from that file: the industry code → its 300号
industry through one key (``_industry_key``), the industry → its nine thresholds by a join.
Sizing then takes a few plain comparisons per employer, for one employer as for millions
(deriving it by one ``replace_strict`` per threshold cost ~40 ms per call even for one row).
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import Any

import polars as pl
import yaml

__all__ = ["explain_size", "industry_group", "sizing_table", "thresholds_frame", "with_size"]

_INDICATORS = {"staff": "从业人员", "revenue": "营业收入", "assets": "资产总额"}
_UNITS = {"staff": "人", "revenue": "万元", "assets": "万元"}
_TIERS = ("sme", "medium", "small")
_WAN = 1_000_000  # fen per 万元
col = pl.col


@functools.cache
def sizing_table() -> dict[str, Any]:
    text = importlib.resources.files("jiuye.policies.common").joinpath("sme_sizing.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@functools.cache
def _key_to_group() -> dict[str, str]:
    """Lookup key → 300号 industry: 2-digit divisions, 3-digit groups (a 3-digit key with no own
    entry falls back to its division), and section letters (keys of 1, 2, 3 characters)."""
    table = sizing_table()
    by_code = {code: group for group, codes in table["divisions"].items() for code in codes}
    out = {code: group for code, group in by_code.items() if len(code) == 2}
    for n in range(1000):
        code = f"{n:03d}"
        found = by_code.get(code) or by_code.get(code[:2])
        if found:
            out[code] = found
    out.update(table["sections"])
    return out


def _industry_key(industry: pl.Expr) -> pl.Expr:
    """GB/T 4754 code → the key to look up: its first 3 digits (when they are digits), its first
    2 characters, or its section letter (fewer than 2 digits: ``C`` alone)."""
    digits = industry.str.replace(r"^[A-Z]", "")
    length = digits.str.len_chars()
    three = digits.str.slice(0, 3)
    return (
        pl.when(three.str.contains(r"^[0-9]{3}$"))
        .then(three)
        .when(length >= 2)
        .then(digits.str.slice(0, 2))
        .otherwise(industry.str.slice(0, 1))
    )


@functools.cache
def _lookup() -> tuple[pl.Series, pl.Series]:
    keys = _key_to_group()
    return pl.Series(list(keys), dtype=pl.String), pl.Series(list(keys.values()), dtype=pl.String)


def industry_group(industry: pl.Expr) -> pl.Expr:
    """GB/T 4754 code (``C39``, ``3911``, ``C``) → 300号 industry, or null when it cannot tell.

    >>> pl.select(industry_group(pl.lit("5920"))).item()
    '仓储业'
    """
    old, new = _lookup()
    return _industry_key(industry).replace_strict(old, new, default=None, return_dtype=pl.String)


def _threshold_name(tier: str, indicator: str) -> str:
    return f"__{tier}_{indicator}"


@functools.cache
def thresholds_frame() -> pl.DataFrame:
    """One row per 300号 industry: ``group`` and, per tier and indicator, its threshold (persons,
    or fen for 万元 amounts); null where the industry does not use that indicator."""
    industries = sizing_table()["industries"]
    data: dict[str, list[Any]] = {"group": list(industries)}
    for tier in _TIERS:
        for indicator in _INDICATORS:
            scale = 1 if indicator == "staff" else _WAN
            data[_threshold_name(tier, indicator)] = [
                spec[tier][indicator] * scale if indicator in spec[tier] else None for spec in industries.values()
            ]
    schema = {name: pl.String if name == "group" else pl.Int64 for name in data}
    return pl.DataFrame(data, schema=schema)


def _size(prefix: str, group: str) -> pl.Expr:
    """The size from the joined thresholds and the ``<prefix>_staff|revenue|assets`` values; null
    when an indicator it needs is unknown."""
    below_ceiling, meets_medium, meets_small = [], [], []
    for key in _INDICATORS:
        value = col(f"{prefix}_{key}")
        ceiling, medium, small = (col(_threshold_name(tier, key)) for tier in _TIERS)
        # An indicator the industry does not use is neutral: false in "any", true in "all".
        below_ceiling.append(pl.when(ceiling.is_null()).then(pl.lit(value=False)).otherwise(value < ceiling))
        meets_medium.append(pl.when(medium.is_null()).then(pl.lit(value=True)).otherwise(value >= medium))
        meets_small.append(pl.when(small.is_null()).then(pl.lit(value=True)).otherwise(value >= small))
    sme = pl.any_horizontal(below_ceiling)
    medium_all = pl.all_horizontal(meets_medium)
    small_all = pl.all_horizontal(meets_small)
    return (
        pl.when(col(group).is_null() | sme.is_null())
        .then(None)
        .when(sme.not_())
        .then(pl.lit("large"))
        .when(small_all.not_())
        .then(pl.lit("micro"))
        .when(small_all.is_null())
        .then(None)
        .when(medium_all)
        .then(pl.lit("medium"))
        .when(medium_all.not_())
        .then(pl.lit("small"))
        .otherwise(None)
    )


def with_size(frame: pl.LazyFrame, prefix: str = "employer") -> pl.LazyFrame:
    """``frame`` (one row per employer, its ``<prefix>_industry|staff|revenue|assets``) with
    ``<prefix>_industry_group`` and ``<prefix>_derived_size`` added, rows in the same order."""
    group = f"{prefix}_industry_group"
    thresholds = thresholds_frame().lazy().rename({"group": group})
    return (
        frame.with_columns(industry_group(col(f"{prefix}_industry")).alias(group))
        .join(thresholds, on=group, how="left", maintain_order="left")
        .with_columns(_size(prefix, group).alias(f"{prefix}_derived_size"))
        .drop(thresholds.collect_schema().names()[1:])
    )


def explain_size(group: str | None, row: dict[str, Any]) -> str:
    """How the size was derived, for people: the industry's floors and the enterprise's values."""
    if row.get("employer_size") and row.get("enterprise_size") == row.get("employer_size"):
        return "企业规模按单位申报（或税务部门认定）的结果"
    if group is None:
        return "无法由行业代码确定划型行业（如铁路、金融或仅填门类），请补充四位行业代码或直接填写企业规模"
    spec = sizing_table()["industries"][group]

    def floors(tier: str) -> str:
        return "且".join(f"{_INDICATORS[k]}≥{v}{_UNITS[k]}" for k, v in spec[tier].items())

    ceilings = "或".join(f"{_INDICATORS[k]}<{v}{_UNITS[k]}" for k, v in spec["sme"].items())
    have = []
    for key in spec["sme"].keys() | spec["medium"].keys():
        raw = row.get(f"employer_{key}")
        shown = "未知" if raw is None else (raw if key == "staff" else f"{raw / _WAN:g}")
        have.append(f"{_INDICATORS[key]}{shown}{_UNITS[key]}")
    return (
        f"行业归入“{group}”（国统字〔2017〕213号）；按工信部联企业〔2011〕300号第四条：{ceilings}为中小微型企业，"
        f"中型须{floors('medium')}，小型须{floors('small')}；本单位{'、'.join(sorted(have))}"
    )
