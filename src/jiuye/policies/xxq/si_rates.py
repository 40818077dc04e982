"""xxq.si.rates — 社会保险降费率：企业养老保险单位缴费比例与失业保险总费率（参数公示）。

XX区实施方案 二（一）1：“按照省、市要求，自2025年5月1日起，将企业养老保险单位缴费比例由18%降至16%。
对用人单位和职工失业保险缴费比例总和从3%阶段性降至1%的现行政策，2025年4月底到期后延续实施。”

It grants no money: it states, for an insured employer in the district, the employer pension rate
and the total unemployment-insurance rate in force on the as-of date.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.measure import Condition, Info, Measure, Unit, cite

XXQ1 = cite("xxq", "1")

MEASURE = Measure(
    id="xxq.si.rates",
    title="社会保险降费率（养老保险单位费率、失业保险总费率）",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ1,),
    summary="自2025年5月1日起企业养老保险单位缴费比例由18%降至16%；失业保险总费率1%的阶段性降费政策"
    "2025年4月底到期后延续实施。",
    conditions=(
        Condition(
            "employer_kind",
            "单位参加企业职工基本养老保险和失业保险（企业、社会组织、个体工商户）",
            XXQ1,
            lambda p: pl.col("employer_kind").is_in(p["xxq.si.rates.employer_kinds"]),
        ),
    ),
    info=(
        Info(
            "employer_pension_rate",
            "企业职工基本养老保险单位缴费比例",
            lambda p: p.lit("xxq.si.rates.employer_pension_rate"),
            unit="ratio",
        ),
        Info(
            "ui_total_rate",
            "失业保险总费率（用人单位和职工合计）",
            lambda p: p.lit("xxq.si.rates.ui_total_rate"),
            unit="ratio",
        ),
    ),
)
