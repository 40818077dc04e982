"""gx.si.rates — 阶段性降低失业保险、工伤保险费率 (reduced UI and injury-insurance rates).

桂人社发〔2025〕38号（四）：“延续实施阶段性降低社会保险费率政策。延续实施阶段性降低失业保险、工伤保险
费率政策，政策执行期限至2025年12月底，其中：失业保险总费率阶段性降低至1%，用人单位和职工均降至0.5%；
工伤保险费率统一以现行基准费率为基础下调50%。”

行动方案（十四）：“延续实施阶段性降低失业保险、工伤保险费率政策，其中失业保险总费率阶段性降低至1%，
用人单位和职工均降至0.5%；工伤保险费率统一以现行基准费率为基础下调50%……上述政策执行期限至2025年12月底。”

Every employer in Guangxi pays the reduced rates until 2025-12-31: the result shows the rates in force
at the as-of date; from 2026-01-01 the measure has expired (dated parameters end it). Given the
employer's monthly contribution base and its industry's injury base rate, it also shows in yuan what
the employer pays and saves per month, and to the end of the period (a fee relief, not a payment:
it enters no budget).

《失业保险条例》第六条：“城镇企业事业单位按照本单位工资总额的百分之二缴纳失业保险费。”
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.measure import Condition, Info, Measure, Unit, cite
from jiuye.money import PPM, mul_ratio
from jiuye.params import Params
from jiuye.policies.common.contributions import saving

GX38 = cite("gx38", "（四）")
GXYS = cite("gxys", "（十四）")
NS = "gx.si.rates"
UI_RULE = cite("ui-reg1999", "第六条")
BASE = pl.col("employer_wage_base_monthly")
NEEDS = "单位月缴费基数（职工工资总额）"


def _rate(name: str, label: str) -> Info:
    return Info(name, label, lambda p: pl.lit(p.ppm(f"{NS}.{name}"), dtype=pl.Int64), unit="ratio")


def _ui_saving(p: Params) -> pl.Expr:
    """单位每月少缴失业保险费：缴费基数 ×（法定单位费率 − 阶段性单位费率）."""
    return saving(BASE, p.lit(f"{NS}.ui_employer_rate_statutory"), p.lit(f"{NS}.ui_employer_rate"))


def _injury_cut(p: Params) -> pl.Expr:
    """工伤保险费率下调的部分（百万分比）：行业基准费率 × 下调幅度."""
    return mul_ratio(pl.col("employer_injury_base_rate"), p.lit(f"{NS}.injury_rate_reduction"), PPM)


def _injury_payable(p: Params) -> pl.Expr:
    """单位每月应缴工伤保险费：缴费基数 ×（基准费率 − 下调部分），不计浮动费率."""
    return mul_ratio(BASE, pl.col("employer_injury_base_rate") - _injury_cut(p), PPM)


def _months_left(p: Params) -> pl.Expr:
    """评估日所在月至执行期满所在月的月数（含两端）."""
    end = p.date(f"{NS}.period_end")
    if end is None:
        return pl.lit(None, dtype=pl.Int64)
    return pl.lit(max(0, (end.year - p.as_of.year) * 12 + end.month - p.as_of.month + 1), dtype=pl.Int64)


def _monthly_saving(p: Params) -> pl.Expr:
    return _ui_saving(p) + mul_ratio(BASE, _injury_cut(p), PPM)


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
        Info("ui_saving", "单位每月少缴失业保险费（较法定单位费率2%）", _ui_saving, "CNY", NEEDS),
        Info(
            "injury_payable",
            "单位每月应缴工伤保险费（基准费率下调后）",
            _injury_payable,
            "CNY",
            f"{NEEDS}、工伤保险行业基准费率",
        ),
        Info(
            "injury_saving",
            "单位每月少缴工伤保险费",
            lambda p: mul_ratio(BASE, _injury_cut(p), PPM),
            "CNY",
            f"{NEEDS}、工伤保险行业基准费率",
        ),
        Info(
            "monthly_saving", "单位每月少缴合计（失业、工伤）", _monthly_saving, "CNY", f"{NEEDS}、工伤保险行业基准费率"
        ),
        Info("months_left", "评估月至执行期满的月数", _months_left, "count"),
        Info(
            "period_saving",
            "评估月至执行期满单位少缴合计（按当前缴费基数）",
            lambda p: _monthly_saving(p) * _months_left(p),
            "CNY",
            f"{NEEDS}、工伤保险行业基准费率",
        ),
    ),
)
