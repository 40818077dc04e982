"""gx.si.defer — 阶段性缓缴社会保险费 (temporary deferral of employer social-insurance contributions).

桂人社发〔2025〕38号（三）：“实施阶段性缓缴社会保险费政策。相关企业生产经营确有困难的，可按规定申请
阶段性缓缴养老保险、失业保险、工伤保险单位缴费部分，缓缴期间免收滞纳金。具体按照国家和自治区相关文件执行。”

行动方案（十四）：“相关企业生产经营确有困难的，可按国家和自治区规定申请阶段性缓缴养老保险、失业保险、
工伤保险单位缴费部分，缓缴期间免收滞纳金。上述政策执行期限至2025年12月底。”

A "related enterprise" in genuine difficulty may apply, by the end of 2025, to defer the employer part
of pension, unemployment and injury insurance, with no late fee: a fact, not money.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.measure import Condition, Info, Measure, Unit, cite

GX38 = cite("gx38", "（三）")
GXYS = cite("gxys", "（十四）")
NS = "gx.si.defer"
col = pl.col

MEASURE = Measure(
    id="gx.si.defer",
    title="阶段性缓缴社会保险费",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GX38, GXYS),
    summary="生产经营确有困难的“相关企业”可申请阶段性缓缴养老保险、失业保险、工伤保险单位缴费部分，"
    "缓缴期间免收滞纳金；政策执行期限至2025年12月底。",
    conditions=(
        Condition(
            "related_enterprise",
            "属于“相关企业”（由人社部门认定）",
            GX38,
            lambda p: col("employer_related_enterprise"),
        ),
        Condition(
            "genuine_difficulty",
            "生产经营确有困难",
            GX38,
            lambda p: col("employer_genuine_difficulty"),
        ),
        Condition(
            "period",
            "在政策执行期限内申请（不晚于{gx.si.defer.period_end}）",
            GXYS,
            lambda p: pl.lit(p.as_of) <= p.lit(f"{NS}.period_end"),
            timing=True,
        ),
    ),
    info=(
        Info("insurances", "可缓缴险种（单位缴费部分）", lambda p: pl.lit(p.text(f"{NS}.insurances"))),
        Info("late_fee_waived", "缓缴期间免收滞纳金", lambda p: p.lit(f"{NS}.late_fee_waived")),
        Info("period_end", "政策执行期限至", lambda p: p.lit(f"{NS}.period_end"), unit="date"),
    ),
)
