"""xxq.difficult.enterprise — 困难企业认定（2025年在岗培训支持）。

XX区实施方案 二（三）11：“2025年1月1日至12月31日，困难企业组织开展职工在岗培训，所需经费按规定从企业职工
教育经费中列支，不足部分经区人力资源社会保障部门审核评估合格后，可由就业补助资金给予适当支持，人均补助金额
不超过当地职业培训补贴标准。生产经营出现较严重亏损的、连续3个月不能正常发放工资的或有20%以上职工处于待岗
状态的，可认定为困难企业。”

It grants nothing by itself: it says whether an enterprise may be recognised as a 困难企业 in 2025,
which opens on-job training support up to the local training-subsidy standard per person.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite
from jiuye.money import PPM

XXQ11 = cite("xxq", "11")
NS = "xxq.difficult.enterprise"
col = pl.col

MEASURE = Measure(
    id=NS,
    title="困难企业认定（在岗培训支持）",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ11,),
    summary="2025年内，生产经营出现较严重亏损、连续3个月不能正常发放工资或20%以上职工待岗的企业，可认定为困难企业；"
    "其职工在岗培训经费不足部分可由就业补助资金适当支持。",
    conditions=(
        Condition(
            "employer_kind",
            "申请单位为企业",
            XXQ11,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"]),
        ),
        Condition(
            "difficulty",
            "生产经营出现较严重亏损，或连续{xxq.difficult.enterprise.min_months_wages_unpaid}不能正常发放工资，"
            "或有{xxq.difficult.enterprise.min_idle_share}以上职工处于待岗状态",
            XXQ11,
            lambda p: (
                col("employer_serious_losses")
                | (col("employer_months_wages_unpaid") >= p[f"{NS}.min_months_wages_unpaid"])
                | (col("employer_idle_staff") * PPM >= p.lit(f"{NS}.min_idle_share") * col("employer_staff"))
            ),
            gap=Gap(
                lambda p: shortfall(col("employer_months_wages_unpaid"), p[f"{NS}.min_months_wages_unpaid"]),
                GapUnit.months,
                "连续不能正常发放工资差{}个月",
            ),
        ),
        Condition(
            "period",
            "认定日期（评估日期）在{xxq.difficult.enterprise.period_start}至{xxq.difficult.enterprise.period_end}之间",
            XXQ11,
            lambda p: v.within(pl.lit(p.as_of), p.date(f"{NS}.period_start"), p.date(f"{NS}.period_end")),
            timing=True,
        ),
    ),
    info=(Info("training_support", "职工在岗培训补助（人均上限）", lambda p: p.lit(f"{NS}.training_support_cap")),),
)
