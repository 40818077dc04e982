"""xxq.si.rates — 社会保险降费率：企业养老保险单位缴费比例与失业保险总费率（参数公示）。

XX区实施方案 二（一）1：“按照省、市要求，自2025年5月1日起，将企业养老保险单位缴费比例由18%降至16%。
对用人单位和职工失业保险缴费比例总和从3%阶段性降至1%的现行政策，2025年4月底到期后延续实施。”

It grants no money: it states, for an insured employer in the district, the employer pension rate
and the total unemployment-insurance rate in force on the as-of date; given the employer's monthly
contribution base, also what it pays and saves per month in yuan (a fee relief: in no budget).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.measure import Condition, Info, Measure, Unit, cite
from jiuye.money import PPM, mul_ratio
from jiuye.policies.common.contributions import saving

XXQ1 = cite("xxq", "1")
NS = "xxq.si.rates"
BASE = pl.col("employer_wage_base_monthly")
NEEDS = "单位月缴费基数（职工工资总额）"

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
        Info(
            "pension_payable",
            "单位每月应缴养老保险费",
            lambda p: mul_ratio(BASE, p.lit(f"{NS}.employer_pension_rate"), PPM),
            "CNY",
            NEEDS,
        ),
        Info(
            "pension_saving",
            "单位每月少缴养老保险费（较原单位缴费比例18%）",
            lambda p: saving(BASE, p.lit(f"{NS}.employer_pension_rate_before"), p.lit(f"{NS}.employer_pension_rate")),
            "CNY",
            NEEDS,
        ),
        Info(
            "ui_saving",
            "每月少缴失业保险费（用人单位和职工合计，较原总费率3%）",
            lambda p: saving(BASE, p.lit(f"{NS}.ui_total_rate_before"), p.lit(f"{NS}.ui_total_rate")),
            "CNY",
            NEEDS,
        ),
    ),
)
