"""cn.directions — 岗位开发计划的七个重点方向：为单位标注所属方向。

國就勞發〔2025〕2號 二、推進實施崗位開發計劃的重點方向：
“(一)挖掘先進製造等新質生産力就業潛力。……(二)推動消費新熱點轉化為就業新渠道。……(三)放大重大工程
項目建設就業增量。……(四)圍繞保障重點民生服務促進就業。……(五)拓寬勞動者城鄉基層服務空間。……(六)提高
民營企業和中小微企業就業吸引力。……(七)穩定機關事業單位和國有企業招聘規模。……”

It grants nothing: it tags an employer with the directions its industry (GB/T 4754), kind, size
and ownership fall under; "eligible" means at least one direction applies.
"""

from __future__ import annotations

import functools
import operator

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.measure import Condition, Info, Measure, Unit, Variable, cite
from jiuye.params import Params

GJLF2 = cite("gjlf2", "二")
NS = "cn.directions"
col = pl.col
_DIGITS = col("employer_industry").str.replace(r"^[A-Z]", "")


def _section(p: Params) -> pl.Expr:
    """门类: the code's leading letter, else derived from its 大类 (first two digits)."""
    division = _DIGITS.str.slice(0, 2).cast(pl.Int32, strict=False)
    derived = pl.lit(None, dtype=pl.String)
    for start in p[f"{NS}.section_starts"] or []:
        derived = pl.when(division >= int(start[1:])).then(pl.lit(start[0])).otherwise(derived)
    return pl.coalesce(col("employer_industry").str.extract(r"^([A-Z])"), derived)


def _any(*exprs: pl.Expr) -> pl.Expr:
    return functools.reduce(operator.or_, exprs)  # Kleene: true wins over unknown


def _industry_in(key: str) -> Variable:
    number = key.split("_")[1]

    def test(p: Params) -> pl.Expr:
        codes: list[str] = p[f"{NS}.{key}"] or []
        hits = [col("industry_section") == c if c.isalpha() else _DIGITS.str.starts_with(c) for c in codes]
        return _any(pl.lit(value=False), *hits)

    return Variable(f"industry_direction_{number}", f"行业属于重点方向{number}", test, GJLF2)


DIRECTIONS: tuple[Variable, ...] = (
    Variable("direction_1", "(一)先进制造等新质生产力", lambda p: col("industry_direction_1")),
    Variable("direction_2", "(二)消费新热点", lambda p: col("industry_direction_2")),
    Variable("direction_3", "(三)重大工程项目建设", lambda p: col("industry_direction_3")),
    Variable("direction_4", "(四)重点民生服务", lambda p: col("industry_direction_4")),
    Variable(
        "direction_5",
        "(五)城乡基层服务",
        lambda p: _any(col("industry_direction_5"), col("employer_kind").is_in(p[f"{NS}.direction_5_kinds"] or [])),
    ),
    Variable(
        "direction_6",
        "(六)民营企业和中小微企业",
        lambda p: _any(
            col("is_sme"),
            col("employer_kind").is_in(p[f"{NS}.direction_6_private_kinds"] or []) & col("employer_soe").not_(),
        ),
    ),
    Variable(
        "direction_7",
        "(七)机关事业单位和国有企业",
        lambda p: _any(col("employer_soe"), col("employer_kind").is_in(p[f"{NS}.direction_7_kinds"] or [])),
    ),
)


def _applicable(p: Params) -> pl.Expr:
    names: list[str] = p[f"{NS}.names"] or [""] * len(DIRECTIONS)
    tags = [pl.when(col(d.name)).then(pl.lit(name)) for d, name in zip(DIRECTIONS, names, strict=True)]
    return pl.concat_str(tags, separator="、", ignore_nulls=True)


MEASURE = Measure(
    id="cn.directions",
    title="岗位开发重点方向（分类标注）",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="cn",
    sources=(GJLF2,),
    summary="岗位开发计划的七个重点方向：先进制造、消费新热点、重大工程、民生服务、城乡基层、"
    "民营和中小微企业、机关事业单位和国有企业；按行业、单位类型、规模标注单位所属方向。",
    variables=(
        v.INDUSTRY_GROUP,
        v.ENTERPRISE_SIZE,
        v.IS_SME,
        Variable("industry_section", "国民经济行业门类", _section, cite("gbt4754-2017", "类别和代码")),
        *(_industry_in(f"direction_{n}_industries") for n in range(1, 6)),
        *DIRECTIONS,
    ),
    conditions=(
        Condition(
            "any_direction",
            "属于岗位开发计划的至少一个重点方向",
            GJLF2,
            lambda p: _any(*(col(d.name) for d in DIRECTIONS)),
        ),
    ),
    info=(Info("directions", "所属重点方向", _applicable),),
)
