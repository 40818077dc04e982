"""xxq.training.living — 失业人员培训期间生活费补贴（就业困难人员、零就业家庭成员），最长30天。

XX区实施方案 二（三）12：“对培训合格的失业人员给予职业培训补贴……2025年1月1日至2025年12月31日，
对其中就业困难人员和零就业家庭成员，在培训期间再给予生活费补贴，补贴标准参照当地最低工资标准的60%
或最低生活保障线确定，补贴期限最长不超过30天，所需资金由就业补助资金列支。生活费补贴政策每人每年
只享受一次，且不可同时领取失业保险金。”

A 就业困难人员 or 零就业家庭 member who passes unemployed-person training begun in 2025 and does not
draw unemployment benefit gets 60% of the local monthly minimum wage ÷ 30 per training day, at most 30 days.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.measure import Condition, Measure, Once, Part, Unit, cite
from jiuye.money import PPM, mul_ratio
from jiuye.params import Params

XXQ12 = cite("xxq", "12")
NS = "xxq.training.living"
col = pl.col


def _daily_rate(p: Params) -> pl.Expr:
    """月最低工资 × 60% ÷ 30，四舍五入到分（exact integer arithmetic on fen and ppm)."""
    wage = pl.lit(p.fen(f"{NS}.min_wage_monthly"), dtype=pl.Int64)
    ratio = pl.lit(p.ppm(f"{NS}.wage_ratio"), dtype=pl.Int64)
    days = pl.lit(p[f"{NS}.days_per_month"], dtype=pl.Int64)
    return mul_ratio(wage, ratio, days * PPM)


MEASURE = Measure(
    id="xxq.training.living",
    title="失业人员培训期间生活费补贴",
    unit=Unit.training,
    beneficiary="person",
    jurisdiction="xxq",
    sources=(XXQ12,),
    summary="2025年培训合格的失业人员中的就业困难人员和零就业家庭成员，培训期间按当地最低工资标准的60%"
    "给予生活费补贴，最长30天，每人每年一次，不可同时领取失业保险金。",
    fund="employment_fund",
    conditions=(
        Condition(
            "target_group",
            "为就业困难人员或零就业家庭成员",
            XXQ12,
            lambda p: col("person_difficult_person") | col("person_zero_employment_family"),
        ),
        Condition("passed", "参加失业人员职业培训并培训合格", XXQ12, lambda p: col("training_passed")),
        Condition(
            "no_ui_benefit",
            "未同时领取失业保险金",
            XXQ12,
            lambda p: col("person_receiving_ui_benefit").not_(),
        ),
        Condition("days", "有培训天数（培训期间）", XXQ12, lambda p: col("training_days") > 0),
        Condition(
            "period",
            "培训开始于{xxq.training.living.period_start}至{xxq.training.living.period_end}",
            XXQ12,
            lambda p: v.within(col("training_start_date"), p.date(f"{NS}.period_start"), p.date(f"{NS}.period_end")),
            timing=True,
        ),
    ),
    parts=(
        Part(
            "培训期间生活费（日标准×培训天数，天数以上限为限）",
            quantity=lambda p: col("training_days").clip(upper_bound=p[f"{NS}.max_days"]),
            rate=_daily_rate,
            quantity_unit="天",
        ),
    ),
    once=Once(
        keys=("person_id",),
        order="training_start_date",
        label="生活费补贴每人每年只享受一次",
        cite=XXQ12,
        per_year_of="training_start_date",
    ),
)
