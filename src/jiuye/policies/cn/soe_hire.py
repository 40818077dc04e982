"""cn.soe.hire — 国有企业一次性增人增资政策延续至2026年底。

國就勞發〔2025〕2號 三(二)：“鼓勵企業更多吸納就業。……延續國有企業一次性增人增資政策實施期限至
2026年底。”

A state-owned enterprise may still use the one-time headcount-and-wage-bill increase for new hires
up to the end of 2026; the result is a fact with that deadline, not money.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.measure import Condition, Info, Measure, Unit, cite

GJLF2 = cite("gjlf2", "三(二)")
NS = "cn.soe.hire"
col = pl.col

MEASURE = Measure(
    id="cn.soe.hire",
    title="国有企业一次性增人增资政策",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="cn",
    sources=(GJLF2,),
    summary="鼓励国有企业带头吸纳就业：延续国有企业一次性增人增资政策实施期限至2026年底。",
    conditions=(
        Condition("soe", "为国有企业", GJLF2, lambda p: col("employer_soe")),
        Condition(
            "period",
            "在政策实施期限内（至{cn.soe.hire.period_end}）",
            GJLF2,
            lambda p: pl.lit(p.as_of) <= p.lit(f"{NS}.period_end"),
            timing=True,
        ),
    ),
    info=(Info("period_end", "政策实施期限至", lambda p: p.lit(f"{NS}.period_end"), "date"),),
)
