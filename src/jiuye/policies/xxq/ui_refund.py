"""xxq.ui.refund — 失业保险稳岗返还：返还企业上年度实际缴纳失业保险费的50%。

XX区实施方案 二（一）3：“依法参保缴费、不裁员或少裁员的参保企业，可申请返还企业上年度实际缴纳失业保险费的
50%；……返还按现行稳岗补贴政策规定办理。企业享受返还政策时，不再享受失业保险稳岗补贴政策。上述资金从失业
保险基金列支。”

It grants an insured enterprise with no or few layoffs 50% of last year's unemployment-insurance
contributions, once a year; the "few layoffs" test is the national one (人社部发〔2025〕18号).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Measure, Once, Part, Unit, Variable, cite
from jiuye.errors import ParameterError
from jiuye.params import Params

XXQ3 = cite("xxq", "3")
RSBF18 = cite("rsbf2025-18", "一")
NS = "xxq.ui.refund"
col = pl.col

#: Which contributions "企业上年度实际缴纳失业保险费" means (parameter xxq.ui.refund.contribution_base).
CONTRIBUTION_BASES = {
    "enterprise_and_staff": "employer_ui_contributions_last_year",
    "enterprise_only": "employer_ui_employer_contributions_last_year",
}


def contribution_column(p: Params) -> pl.Expr:
    base = p[f"{NS}.contribution_base"]
    if base is None:  # before the plan is in force
        return pl.lit(None, dtype=pl.Int64)
    if base not in CONTRIBUTION_BASES:
        msg = f"参数 {NS}.contribution_base 的取值 {base!r} 无效；提示：可选 {'、'.join(CONTRIBUTION_BASES)}"
        raise ParameterError(msg)
    return col(CONTRIBUTION_BASES[base])


def few_layoffs(p: Params) -> pl.Expr:
    """不裁员或少裁员: no layoffs, layoff rate ≤ 5.5%, or (≤ 30 insured) ≤ 20% (national rule)."""
    return v.layoffs_within(
        p.ppm(f"{NS}.max_layoff_rate"), p[f"{NS}.small_insured_staff_max"], p.ppm(f"{NS}.small_max_layoff_rate")
    )


#: Shared with xxq.ui.refund.hardship ("返还按现行稳岗补贴政策规定办理").
FEW_LAYOFFS = Condition(
    "few_layoffs",
    "不裁员或少裁员：上年度未裁员，或裁员率不高于{xxq.ui.refund.max_layoff_rate}，"
    "或参保职工{xxq.ui.refund.small_insured_staff_max}以下的裁员率不高于{xxq.ui.refund.small_max_layoff_rate}",
    RSBF18,
    few_layoffs,
    gap=Gap(
        lambda p: v.layoff_rate_excess(
            p.ppm(f"{NS}.max_layoff_rate"), p[f"{NS}.small_insured_staff_max"], p.ppm(f"{NS}.small_max_layoff_rate")
        ),
        GapUnit.ppm,
        "裁员率超出{}个百分点",
    ),
)
UI_PAID = Condition(
    "ui_paid",
    "依法参保，连续足额缴纳失业保险费{xxq.ui.refund.min_ui_paid_months}以上",
    RSBF18,
    lambda p: col("employer_ui_paid_months") >= p[f"{NS}.min_ui_paid_months"],
    gap=Gap(
        lambda p: shortfall(col("employer_ui_paid_months"), p[f"{NS}.min_ui_paid_months"]),
        GapUnit.months,
        "失业保险缴费差{}个月",
    ),
)
EMPLOYER_KIND = Condition(
    "employer_kind",
    "申请单位为参保企业",
    XXQ3,
    lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"]),
)
APPLICATION_DATE = Variable("application_date", "申请日期（评估日期）", lambda p: pl.lit(p.as_of))


MEASURE = Measure(
    id=NS,
    title="失业保险稳岗返还（上年度失业保险费的50%）",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ3, RSBF18),
    summary="依法参保缴费、不裁员或少裁员的参保企业，可申请返还上年度实际缴纳失业保险费的50%，从失业保险基金列支。",
    fund="ui_fund",
    exclusion_group="ui_refund",
    variables=(APPLICATION_DATE,),
    conditions=(EMPLOYER_KIND, UI_PAID, FEW_LAYOFFS),
    parts=(
        Part(
            "上年度实际缴纳失业保险费× 返还比例",
            quantity=contribution_column,
            rate=lambda p: p.lit(f"{NS}.refund_ratio"),
            quantity_unit="元",
            ratio=True,
        ),
    ),
    once=Once(
        keys=("employer_id",),
        order="employer_id",
        label="按上年度缴费返还，每年度只申请一次",
        cite=XXQ3,
        per_year_of="application_date",
    ),
)
