"""xxq.intern — 就业见习补贴扩展至16—24岁失业青年（见习3—12个月），标准由本地设定。

XX区实施方案 二（四）15：“实施青年见习计划，2025年1月1日至2025年12月31日，将就业见习补贴范围由
择业派遣期内离校未就业XX生源高校毕业生扩展至16-24岁失业青年，组织失业青年参加3-12个月的就业见习，
按规定给予就业见习补贴，并根据省、市精神适当提高补贴标准。”

An internship base that takes a 16–24-year-old unemployed youth for a planned 3–12-month internship
starting in 2025 may claim the internship subsidy; the monthly rate is a local setting.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, outside
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite

XXQ15 = cite("xxq", "15")
NS = "xxq.intern"
col = pl.col

MEASURE = Measure(
    id="xxq.intern",
    title="就业见习补贴（16—24岁失业青年）",
    unit=Unit.internship,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ15,),
    summary="2025年组织16—24岁失业青年参加3—12个月就业见习的见习单位，按规定享受就业见习补贴，"
    "并根据省、市精神适当提高补贴标准。",
    variables=(
        v.AGE_AT_START,
        st.status_variable(
            "registered_at_start",
            "见习开始时处于失业登记状态",
            lambda p: st.registered_unemployed(col("internship_start_date"), p.as_of),
        ),
    ),
    conditions=(
        Condition("base", "见习单位为就业见习基地", XXQ15, lambda p: col("employer_internship_base")),
        Condition(
            "youth_age",
            "见习开始时为{xxq.intern.youth_age_min}—{xxq.intern.youth_age_max}",
            XXQ15,
            lambda p: v.between(col("age_at_internship_start"), p[f"{NS}.youth_age_min"], p[f"{NS}.youth_age_max"]),
            gap=Gap(
                lambda p: outside(col("age_at_internship_start"), p[f"{NS}.youth_age_min"], p[f"{NS}.youth_age_max"]),
                GapUnit.years,
                "年龄超出{}岁",
                "年龄差{}岁",
            ),
        ),
        Condition(
            "unemployed",
            "见习开始时为失业青年（处于失业登记状态）",
            XXQ15,
            lambda p: pl.lit(not p[f"{NS}.registration_required"]) | col("registered_at_start"),
        ),
        Condition(
            "months",
            "约定见习期限{xxq.intern.months_min}至{xxq.intern.months_max}",
            XXQ15,
            lambda p: v.between(col("internship_planned_months"), p[f"{NS}.months_min"], p[f"{NS}.months_max"]),
            gap=Gap(
                lambda p: outside(col("internship_planned_months"), p[f"{NS}.months_min"], p[f"{NS}.months_max"]),
                GapUnit.months,
                "约定见习期限超出{}个月",
                "约定见习期限差{}个月",
            ),
        ),
        Condition(
            "period",
            "见习开始于{xxq.intern.period_start}至{xxq.intern.period_end}",
            XXQ15,
            lambda p: v.within(col("internship_start_date"), p.date(f"{NS}.period_start"), p.date(f"{NS}.period_end")),
            timing=True,
        ),
    ),
    info=(
        Info("monthly_rate", "见习补贴标准（每人每月，本地设定）", lambda p: p.lit(f"{NS}.monthly_rate"), "CNY"),
        Info("rate_note", "标准调整", lambda p: p.lit(f"{NS}.rate_note")),
        Info("months", "约定见习期限（月）", lambda p: col("internship_planned_months"), "count"),
    ),
)
