"""Enterprise size (大型/中型/小型/微型) by the national SME classification, vectorised.

The thresholds and the industry grouping are data (policies/common/sme_sizing.yaml, citing
工信部联企业〔2011〕300号 第四条 and 国统字〔2017〕213号). A declared size (e.g. recognised by
the tax bureau) wins over the derived one.
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import Any

import polars as pl
import yaml

__all__ = ["derived_size", "explain_size", "industry_group", "sizing_table"]

_INDICATORS = {"staff": "从业人员", "revenue": "营业收入", "assets": "资产总额"}
_UNITS = {"staff": "人", "revenue": "万元", "assets": "万元"}
_WAN = 1_000_000  # fen per 万元
col = pl.col


@functools.cache
def sizing_table() -> dict[str, Any]:
    text = importlib.resources.files("jiuye.policies.common").joinpath("sme_sizing.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@functools.cache
def _code_to_group() -> dict[str, str]:
    return {code: group for group, codes in sizing_table()["divisions"].items() for code in codes}


def industry_group(industry: pl.Expr) -> pl.Expr:
    """GB/T 4754 code (``C39``, ``3911``, ``C``) → 300号 industry, or null when it cannot tell."""
    table = _code_to_group()
    digits = industry.str.replace(r"^[A-Z]", "")
    section = industry.str.slice(0, 1)
    by3 = digits.str.slice(0, 3).replace_strict(table, default=None, return_dtype=pl.String)
    by2 = digits.str.slice(0, 2).replace_strict(table, default=None, return_dtype=pl.String)
    by_section = section.replace_strict(sizing_table()["sections"], default=None, return_dtype=pl.String)
    return (
        pl.when(digits.str.len_chars() >= 3)
        .then(pl.coalesce(by3, by2))
        .when(digits.str.len_chars() == 2)
        .then(by2)
        .otherwise(by_section)
    )


def _threshold(group: pl.Expr, tier: str, indicator: str) -> pl.Expr:
    mapping = {
        name: spec[tier][indicator] * (1 if indicator == "staff" else _WAN)
        for name, spec in sizing_table()["industries"].items()
        if indicator in spec[tier]
    }
    return group.replace_strict(mapping, default=None, return_dtype=pl.Int64)


def _values(prefix: str) -> dict[str, pl.Expr]:
    return {key: col(f"{prefix}_{key}") for key in _INDICATORS}


def derived_size(group: pl.Expr, prefix: str = "employer") -> pl.Expr:
    """Size from industry group and the ``<prefix>_staff|revenue|assets`` indicators; null when
    an indicator it needs is unknown."""
    values = _values(prefix)
    below_ceiling = []
    meets_medium = []
    meets_small = []
    for key, value in values.items():
        ceiling = _threshold(group, "sme", key)
        medium = _threshold(group, "medium", key)
        small = _threshold(group, "small", key)
        # An indicator the industry does not use is neutral: false in "any", true in "all".
        below_ceiling.append(pl.when(ceiling.is_null()).then(pl.lit(value=False)).otherwise(value < ceiling))
        meets_medium.append(pl.when(medium.is_null()).then(pl.lit(value=True)).otherwise(value >= medium))
        meets_small.append(pl.when(small.is_null()).then(pl.lit(value=True)).otherwise(value >= small))
    sme = pl.any_horizontal(below_ceiling)
    medium_all = pl.all_horizontal(meets_medium)
    small_all = pl.all_horizontal(meets_small)
    return (
        pl.when(group.is_null() | sme.is_null())
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
