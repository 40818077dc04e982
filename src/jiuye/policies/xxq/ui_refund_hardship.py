"""xxq.ui.refund.hardship — 暂时性困难企业稳岗返还：上年度6个月企业及职工社会保险费的50%。

XX区实施方案 二（一）3：“2025年1月1日至2025年12月31日面临暂时性生产经营困难且恢复有望、坚持不裁员或少裁员
的参保企业，可申请按上年度6个月的企业及其职工缴纳社会保险费的50%返还，返还按现行稳岗补贴政策规定办理。
企业享受返还政策时，不再享受失业保险稳岗补贴政策。上述资金从失业保险基金列支。”

It grants an insured enterprise in temporary difficulty, applying in 2025, 50% of six months' worth
of last year's enterprise + staff social-insurance contributions; it excludes xxq.ui.refund.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.measure import Condition, Measure, Once, Part, Unit, cite
from jiuye.money import mul_ratio
from jiuye.policies.xxq.ui_refund import APPLICATION_DATE, EMPLOYER_KIND, FEW_LAYOFFS, UI_PAID

XXQ3 = cite("xxq", "3")
NS = "xxq.ui.refund.hardship"
MONTHS_PER_YEAR = 12  # 日历换算（年→月），不是政策数字
col = pl.col

MEASURE = Measure(
    id=NS,
    title="暂时性困难企业稳岗返还（上年度6个月社会保险费的50%）",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ3,),
    summary="2025年面临暂时性生产经营困难且恢复有望、坚持不裁员或少裁员的参保企业，可申请按上年度6个月的企业及其"
    "职工社会保险费的50%返还；与普通稳岗返还只能享受其一。",
    fund="ui_fund",
    exclusion_group="ui_refund",
    variables=(APPLICATION_DATE,),
    conditions=(
        EMPLOYER_KIND,
        UI_PAID,
        Condition(
            "temporary_difficulty",
            "面临暂时性生产经营困难且恢复有望",
            XXQ3,
            lambda p: col("employer_temporary_difficulty"),
        ),
        FEW_LAYOFFS,
        Condition(
            "period",
            "申请日期（评估日期）在{xxq.ui.refund.hardship.period_start}至{xxq.ui.refund.hardship.period_end}之间",
            XXQ3,
            lambda p: v.within(pl.lit(p.as_of), p.date(f"{NS}.period_start"), p.date(f"{NS}.period_end")),
            timing=True,
        ),
    ),
    parts=(
        Part(  # one rounding, at the end: base × (ratio × 6 ÷ 12)
            "上年度企业及职工社会保险费合计× 返还比例 × 返还月数÷12",
            quantity=lambda p: col("employer_si_contributions_last_year"),
            rate=lambda p: mul_ratio(p.lit(f"{NS}.refund_ratio"), p[f"{NS}.months_of_contributions"], MONTHS_PER_YEAR),
            quantity_unit="元",
            ratio=True,
        ),
    ),
    once=Once(
        keys=("employer_id",),
        order="employer_id",
        label="每年度只申请一次",
        cite=XXQ3,
        per_year_of="application_date",
    ),
)
