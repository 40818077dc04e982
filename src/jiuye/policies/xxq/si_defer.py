"""xxq.si.defer — 困难企业缓缴社会保险费（可申请，免收滞纳金）。

XX区实施方案 二（一）1：“2025年1月1日至2025年12月31日，对连续3个月以上无力支付职工最低工资或无法正常
生产经营3个月以上、仅为职工发放生活费的企业，企业可按缓缴社会保险费有关规定提出申请，经批准后暂缓缴纳
社会保险费，缓缴期间免收滞纳金。”

It grants no money: an enterprise in one of the two difficulty situations may apply in 2025 to defer
its social-insurance contributions, with no late fee during the deferral.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite

XXQ1 = cite("xxq", "1")
col = pl.col

MEASURE = Measure(
    id="xxq.si.defer",
    title="困难企业缓缴社会保险费",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ1,),
    summary="2025年内，连续3个月以上无力支付职工最低工资，或无法正常生产经营3个月以上、仅发放生活费的企业，"
    "经申请批准可暂缓缴纳社会保险费，缓缴期间免收滞纳金。",
    conditions=(
        Condition(
            "employer_kind",
            "申请单位为企业",
            XXQ1,
            lambda p: col("employer_kind").is_in(p["xxq.si.defer.employer_kinds"]),
        ),
        Condition(
            "difficulty",
            "连续{xxq.si.defer.min_months_unable_to_pay_min_wage}以上无力支付职工最低工资，"
            "或无法正常生产经营{xxq.si.defer.min_months_not_operating}以上、仅为职工发放生活费",
            XXQ1,
            lambda p: (
                (col("employer_months_unable_to_pay_min_wage") >= p["xxq.si.defer.min_months_unable_to_pay_min_wage"])
                | (col("employer_months_not_operating") >= p["xxq.si.defer.min_months_not_operating"])
            ),
            gap=Gap(
                lambda p: pl.min_horizontal(
                    shortfall(
                        col("employer_months_unable_to_pay_min_wage"),
                        p["xxq.si.defer.min_months_unable_to_pay_min_wage"],
                    ),
                    shortfall(col("employer_months_not_operating"), p["xxq.si.defer.min_months_not_operating"]),
                ),
                GapUnit.months,
                "困难月数差{}个月",
            ),
        ),
        Condition(
            "period",
            "申请日期（评估日期）在{xxq.si.defer.period_start}至{xxq.si.defer.period_end}之间",
            XXQ1,
            lambda p: v.within(pl.lit(p.as_of), p.date("xxq.si.defer.period_start"), p.date("xxq.si.defer.period_end")),
            timing=True,
        ),
    ),
    info=(
        Info(
            "late_fee_waived",
            "缓缴期间免收滞纳金",
            lambda p: p.lit("xxq.si.defer.late_fee_waived"),
        ),
    ),
)
