"""gx.loan.wengang — 稳岗扩岗专项贷款 (job-stabilising loans): scope, credit lines and rates.

桂人社发〔2025〕38号（一）：“扩大稳岗扩岗专项贷款支持范围。将不裁员或裁员率不高于5.5%的相关企业，
按规定纳入金融助企稳岗扩岗专项贷款支持范围，企业、个人稳岗扩岗专项贷款单户授信额度最高分别为
5000万元、1000万元，原则上贷款利率最高不超过4%、最低可至2.9%，政策执行期限至2025年12月底。”

A “相关企业” (so recognised by the bureau) that laid nobody off last year, or at most 5.5% of its
insured staff, may apply by the end of 2025 (an individual borrower needs no such recognition, a
named assumption); the result is a fact with the credit line and the rate band, not money.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite
from jiuye.params import Params

GX38 = cite("gx38", "（一）")
NS = "gx.loan.wengang"
col = pl.col


def _layoffs_within(p: Params) -> pl.Expr:
    """不裁员，或裁员人数 ÷ 参保人数 ≤ 上限."""
    return v.layoffs_within(p.ppm(f"{NS}.max_layoff_rate"))


def _credit_line(p: Params) -> pl.Expr:
    individual = col("employer_kind").is_in(p[f"{NS}.individual_kinds"] or [])
    return (
        pl.when(individual).then(p.lit(f"{NS}.individual_credit_line")).otherwise(p.lit(f"{NS}.enterprise_credit_line"))
    )


MEASURE = Measure(
    id="gx.loan.wengang",
    title="稳岗扩岗专项贷款",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GX38,),
    summary="不裁员或裁员率不高于5.5%的企业、个体工商户可申请稳岗扩岗专项贷款：单户授信额度企业最高"
    "5000万元、个人最高1000万元，利率原则上2.9%—4%，政策执行期限至2025年12月底。",
    fund="loan",
    conditions=(
        Condition(
            "borrower_kind",
            "申请主体为企业或个体工商户",
            GX38,
            lambda p: col("employer_kind").is_in(p[f"{NS}.borrower_kinds"] or []),
        ),
        Condition(
            "related",
            "属于人社部门认定的“相关企业”（{gx.loan.wengang.related_required_kinds}须认定）",
            GX38,
            lambda p: (
                pl.when(col("employer_kind").is_in(p[f"{NS}.related_required_kinds"] or []))
                .then(col("employer_related_enterprise"))
                .otherwise(pl.lit(value=True))
            ),
        ),
        Condition(
            "layoffs",
            "上年度不裁员，或裁员率不高于{gx.loan.wengang.max_layoff_rate}",
            GX38,
            _layoffs_within,
            gap=Gap(
                lambda p: v.layoff_rate_excess(p.ppm(f"{NS}.max_layoff_rate")), GapUnit.ppm, "裁员率超出{}个百分点"
            ),
        ),
        Condition(
            "period",
            "在政策执行期限内申请（不晚于{gx.loan.wengang.period_end}）",
            GX38,
            lambda p: pl.lit(p.as_of) <= p.lit(f"{NS}.period_end"),
            timing=True,
        ),
    ),
    info=(
        Info("credit_line", "单户授信额度上限", _credit_line, unit="CNY"),
        Info("rate_min", "贷款利率最低可至", lambda p: p.lit(f"{NS}.rate_min"), unit="ratio"),
        Info("rate_max", "贷款利率原则上最高", lambda p: p.lit(f"{NS}.rate_max"), unit="ratio"),
        Info("period_end", "政策执行期限至", lambda p: p.lit(f"{NS}.period_end"), unit="date"),
    ),
)
