"""gx.si.rates — 阶段性降低失业保险、工伤保险费率 (reduced UI and injury-insurance rates).

桂人社发〔2025〕38号（四）：“延续实施阶段性降低社会保险费率政策。延续实施阶段性降低失业保险、工伤保险
费率政策，政策执行期限至2025年12月底，其中：失业保险总费率阶段性降低至1%，用人单位和职工均降至0.5%；
工伤保险费率统一以现行基准费率为基础下调50%。”

行动方案（十四）：“延续实施阶段性降低失业保险、工伤保险费率政策，其中失业保险总费率阶段性降低至1%，
用人单位和职工均降至0.5%；工伤保险费率统一以现行基准费率为基础下调50%……上述政策执行期限至2025年12月底。”

Every employer in Guangxi pays the reduced rates until 2025-12-31: the result shows the rates in force
at the as-of date; from 2026-01-01 the measure has expired (dated parameters end it).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.measure import Condition, Info, Measure, Unit, cite

GX38 = cite("gx38", "（四）")
GXYS = cite("gxys", "（十四）")
NS = "gx.si.rates"


def _rate(name: str, label: str) -> Info:
    return Info(name, label, lambda p: pl.lit(p.ppm(f"{NS}.{name}"), dtype=pl.Int64), unit="ratio")


MEASURE = Measure(
    id="gx.si.rates",
    title="阶段性降低失业保险、工伤保险费率",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GX38, GXYS),
    summary="失业保险总费率阶段性降至1%（单位、职工各0.5%），工伤保险费率以现行基准费率为基础下调50%，"
    "执行至2025年12月31日。",
    conditions=(
        Condition(
            "period",
            "评估日期在阶段性降费率执行期限内（至{gx.si.rates.period_end}）",
            GX38,
            lambda p: pl.lit(p.as_of) <= p.lit(f"{NS}.period_end"),
            timing=True,
        ),
    ),
    info=(
        _rate("ui_total_rate", "失业保险总费率"),
        _rate("ui_employer_rate", "失业保险单位费率"),
        _rate("ui_worker_rate", "失业保险个人费率"),
        _rate("injury_rate_reduction", "工伤保险费率较现行基准费率下调"),
        Info("period_end", "执行期限至", lambda p: p.lit(f"{NS}.period_end"), unit="date"),
    ),
)
