"""xxq.tax.selfemployed — 重点群体从事个体经营税收扣减：每户每年14400元限额，3年内。

XX区实施方案 二（二）9：“2025年12月31日前，对从事个体经营的自主就业退役士兵和持《就业创业证》
（或《就业失业登记证》）人员，按规定在3年内按每户每年14400元为限额依次扣减当年实际应缴纳的增值税、
城市维护建设税、教育费附加、地方教育附加和个人所得税。到期未享受满3年的，可继续享受至3年期满为止。”

A 个体工商户 founded by such a person by the end of 2025 may deduct, for the tax year of the as-of
date, up to 14400 yuan ÷ 12 × the months of that year inside its 36-month window.
"""

from __future__ import annotations

import polars as pl

from jiuye.dates import month_index
from jiuye.engine.measure import AT_APPLICATION, Condition, Info, Measure, Part, Unit, Variable, cite
from jiuye.money import mul_ratio
from jiuye.params import Params

XXQ9 = cite("xxq", "9")
NS = "xxq.tax.selfemployed"
col = pl.col


def _months_in_tax_year(p: Params) -> pl.Expr:
    """Months of the as-of year inside the window [start month, start month + N − 1] (null stays null)."""
    months: int | None = p[f"{NS}.duration_months"]
    if months is None:  # before the scheme is in force: nothing to count
        return pl.lit(None, dtype=pl.Int32)
    start = month_index(col("business_registered_on"))
    last = start + (months - 1)
    year_first = p.as_of.year * 12
    year_last = year_first + 11
    overlap = last.clip(upper_bound=year_last) - start.clip(lower_bound=year_first) + 1
    return overlap.clip(lower_bound=0)


def _window_end(p: Params) -> pl.Expr:
    months = p[f"{NS}.duration_months"]
    if months is None:
        return pl.lit(None, dtype=pl.Date)
    return col("business_registered_on").dt.month_start().dt.offset_by(f"{months}mo").dt.offset_by("-1d")


MEASURE = Measure(
    id="xxq.tax.selfemployed",
    title="重点群体从事个体经营税收扣减",
    unit=Unit.business,
    # a deduction for the tax year applied for: the application selects the rule, not the year the business opened
    event=AT_APPLICATION,
    beneficiary="business",
    jurisdiction="xxq",
    sources=(XXQ9,),
    summary="2025年12月31日前从事个体经营的自主就业退役士兵和持《就业创业证》人员，3年内按每户每年"
    "14400元为限额依次扣减当年实际应缴纳的增值税、城市维护建设税、教育费附加、地方教育附加和个人所得税。",
    fund="tax",
    variables=(Variable("months_in_tax_year", "本纳税年度处于3年享受期内的月数", _months_in_tax_year, XXQ9, "月"),),
    conditions=(
        Condition(
            "self_employed",
            "从事个体经营（经营主体为个体工商户）",
            XXQ9,
            lambda p: col("business_form").is_in(p[f"{NS}.business_forms"] or []),
        ),
        Condition(
            "target_group",
            "经营者为自主就业退役士兵，或持《就业创业证》（《就业失业登记证》）人员",
            XXQ9,
            lambda p: col("person_veteran_self_employed") | col("person_employment_card"),
        ),
        Condition(
            "started_by",
            "于{xxq.tax.selfemployed.period_end}前（含当日）开始从事个体经营，且不晚于评估日",
            XXQ9,
            lambda p: (
                (col("business_registered_on") <= p.lit(f"{NS}.period_end"))
                & (col("business_registered_on") <= pl.lit(p.as_of))
            ),
        ),
        Condition(
            "within_three_years",
            "评估日所在纳税年度处于自登记当月起{xxq.tax.selfemployed.duration_months}的享受期内",
            XXQ9,
            lambda p: col("months_in_tax_year") >= 1,
        ),
    ),
    parts=(
        Part(
            "本年度扣减限额（年度限额按月换算×享受期内经营月数）",
            quantity=lambda p: col("months_in_tax_year"),
            rate=lambda p: mul_ratio(p.lit(f"{NS}.annual_limit"), 1, p.lit(f"{NS}.months_per_year")),
            quantity_unit="个月",
            ceiling=True,  # “以……为限额依次扣减当年实际应缴纳的……”
            due=lambda p: col("business_tax_payable"),
        ),
    ),
    info=(
        Info("tax_year", "扣减限额所属纳税年度", lambda p: pl.lit(str(p.as_of.year))),
        Info("window_end", "3年享受期截至", _window_end, unit="date"),
        Info("annual_limit", "每户每年扣减限额", lambda p: p.lit(f"{NS}.annual_limit"), unit="CNY"),
    ),
    notes=(
        "所得金额为扣减限额，不是现金补贴：依次扣减当年实际应缴纳的增值税、城市维护建设税、教育费附加、"
        "地方教育附加和个人所得税，实际应缴税款低于限额的，以实际应缴税款为限。",
    ),
)
