"""gx.talent.qingmiao — 青苗人才普惠性支持 (young PhD talent support): research start-up + living.

行动方案（十一）：“实施青苗人才普惠性支持政策，对企事业单位新入职、35岁以下、具有博士学位的青年人才，
按照自然科学领域30万元/人、社会科学领域10万元/人的标准给予科研启动经费资助，按照10万元/人的标准发放
生活补助。”

A PhD aged 35 or under newly hired by an enterprise or public institution receives research start-up
funds (300,000 natural sciences / 100,000 social sciences) and a 100,000 living allowance, once.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, excess
from jiuye.engine.measure import Condition, Measure, Once, Part, Unit, Variable, cite
from jiuye.params import Params

GXYS = cite("gxys", "（十一）")
NS = "gx.talent.qingmiao"
col = pl.col


def _research_rate(p: Params) -> pl.Expr:
    mapping = {
        "natural_sciences": p.fen(f"{NS}.research_natural_sciences"),
        "social_sciences": p.fen(f"{NS}.research_social_sciences"),
    }
    return col("person_discipline").replace_strict(mapping, default=None, return_dtype=pl.Int64)


MEASURE = Measure(
    id=NS,
    title="青苗人才科研启动经费资助和生活补助",
    unit=Unit.employment,
    beneficiary="person",
    jurisdiction="gx",
    sources=(GXYS,),
    summary="企事业单位新入职、35岁以下、具有博士学位的青年人才，给予科研启动经费资助（自然科学领域"
    "30万元、社会科学领域10万元）和生活补助10万元，每人一次。",
    fund="fiscal",
    variables=(v.AGE_AT_HIRE, Variable("research_rate", "科研启动经费资助标准", _research_rate, unit="CNY")),
    conditions=(
        Condition(
            "employer_kind",
            "入职单位为企业或事业单位",
            GXYS,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"]),
        ),
        Condition(
            "new_hire",
            "新入职（入职日期不早于{gx.talent.qingmiao.new_hire_from}）",
            GXYS,
            lambda p: col("employment_hire_date") >= pl.lit(p.date(f"{NS}.new_hire_from"), dtype=pl.Date),
        ),
        Condition("doctorate", "具有博士学位", GXYS, lambda p: col("person_degree") == "doctorate"),
        Condition(
            "age",
            "入职时{gx.talent.qingmiao.age_max}以下",
            GXYS,
            lambda p: col("age_at_hire") <= p[f"{NS}.age_max"],
            gap=Gap(lambda p: excess(col("age_at_hire"), p[f"{NS}.age_max"]), GapUnit.years, "年龄超出{}岁"),
        ),
        Condition(
            "discipline",
            "学科领域为自然科学或社会科学（决定科研启动经费标准）",
            GXYS,
            lambda p: col("research_rate").is_not_null() | pl.lit(None, dtype=pl.Boolean),
        ),
    ),
    parts=(
        Part("科研启动经费资助", quantity=lambda p: pl.lit(1), rate=lambda p: col("research_rate")),
        Part(
            "生活补助",
            quantity=lambda p: pl.lit(1),
            rate=lambda p: p.lit(f"{NS}.living_allowance"),
        ),
    ),
    once=Once(
        keys=("person_id",),
        order="employment_hire_date",
        label="同一人只享受一次",
        cite=GXYS,
    ),
)
