"""gx.shortage — 用工困难企业 (labour-short enterprise): one-enterprise-one-plan support.

行动方案（四）：“……对用工缺口超过100人或缺工率超过10%以上的用工困难企业，由属地人社部门负责同志牵头协调，
制定‘一企一策’帮扶措施，最大限度满足企业用工需求。”

An enterprise short of more than 100 workers, or of more than 10% of its full workforce, is a 用工困难企业:
a fact that opens tailored recruitment support, not money. The shortage rate's formula is an assumption.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.gap import Gap, GapUnit
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite
from jiuye.money import PPM
from jiuye.params import Params

GXYS = cite("gxys", "（四）")
NS = "gx.shortage"
col = pl.col


def _short(p: Params) -> pl.Expr:
    """缺口 > 100 人，或 缺口 ÷（从业人员 + 缺口）> 10%（整数比较，不做除法）."""
    gap = col("employer_vacancies")
    rate = gap * PPM > (col("employer_staff") + gap) * p.lit(f"{NS}.shortage_rate_min")
    return (gap > p.lit(f"{NS}.vacancy_gap_min")) | rate


def _rate_short(p: Params) -> pl.Expr:
    """How far the shortage rate is below the line it must exceed, in ppm: at least 1 ("超过"
    excludes the line itself)."""
    gap = col("employer_vacancies")
    rate = gap * PPM // (col("employer_staff") + gap)
    return pl.max_horizontal(p.lit(f"{NS}.shortage_rate_min") - rate, pl.lit(1, dtype=pl.Int64))


MEASURE = Measure(
    id="gx.shortage",
    title="用工困难企业“一企一策”帮扶",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GXYS,),
    summary="用工缺口超过100人或缺工率超过10%的企业属于用工困难企业，由属地人社部门负责同志牵头协调，"
    "制定“一企一策”帮扶措施。",
    conditions=(
        Condition(
            "employer_kind",
            "单位为企业",
            GXYS,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"] or []),
        ),
        Condition(
            "shortage",
            "用工缺口超过{gx.shortage.vacancy_gap_min}，或缺工率（缺口 ÷（从业人员 + 缺口））超过"
            "{gx.shortage.shortage_rate_min}",
            GXYS,
            _short,
            gap=Gap(_rate_short, GapUnit.ppm, "缺工率差{}个百分点"),
        ),
    ),
    info=(Info("support", "帮扶措施", lambda p: p.lit(f"{NS}.support")),),
)
