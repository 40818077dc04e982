"""xxq.si.difficult — 招用就业困难人员社会保险补贴（自2025年起扩大到五项社会保险）。

XX区实施方案 二（一）2：“2025年1月1日起，对招用就业困难人员的社会保险补贴，扩大到五项社会保险，增加工伤
保险、生育保险。”

财社〔2017〕164号（社会保险补贴，本条所依据的国家规定）：“对招用就业困难人员，与之签订劳动合同并缴纳社会
保险费的单位，按其为就业困难人员实际缴纳的基本养老保险费、基本医疗保险费和失业保险费给予补贴，不包括就业困难
人员个人应缴纳的部分。……除对距法定退休年龄不足5年的就业困难人员可延长至退休外，其余人员最长不超过3年。”

It grants the employer-paid pension, medical, unemployment, injury and maternity contributions for a
hired 就业困难人员, per month paid, for at most 36 months. Where only the worker's contribution base is
given, each insurance is base × the employer's rate; the default pension rate is the district's rate
in force at the hire date (the months paid are a count, not dated months, so a hire before 1 May 2025
is reckoned at 18% throughout: declare the monthly contributions to be exact).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Measure, Part, Unit, Variable, cite
from jiuye.params import Params
from jiuye.policies.common import contributions as c

XXQ2 = cite("xxq", "2")
CS2017 = cite("cs2017-164", "（社会保险补贴）")
NS = "xxq.si.difficult"
col = pl.col

_MONTHS = ("employment_months_paid_pension", "employment_months_paid_medical", "employment_months_paid_ui")
_INSURANCES = (
    ("单位缴纳的基本养老保险费", "employment_employer_pension_monthly"),
    ("单位缴纳的基本医疗保险费", "employment_employer_medical_monthly"),
    ("单位缴纳的失业保险费", "employment_employer_ui_monthly"),
    ("单位缴纳的工伤保险费", "employment_employer_injury_monthly"),
    ("单位缴纳的生育保险费", "employment_employer_maternity_monthly"),
)


def _months_paid() -> pl.Expr:
    """Months paid for all three of pension, medical and UI; unknown if any count is unknown."""
    return v.strict_min(*(col(c) for c in _MONTHS))


def _rate(kind: str, p: Params) -> pl.Expr:
    """单位费率：单位申报的费率优先；养老按本区参数，失业按具名假设，工伤按行业基准费率."""
    if kind == "pension":
        return c.rate_or_param("employer_pension_rate", p, "xxq.si.rates.employer_pension_rate")
    if kind == "ui":
        return c.rate_or_param("employer_ui_rate", p, f"{NS}.ui_employer_rate")
    if kind == "injury":
        return c.injury_rate(p, None)
    return col(f"employer_{kind}_rate")


def _part(label: str, column: str) -> Part:
    kind = column.removeprefix("employment_employer_").removesuffix("_monthly")
    return Part(
        label,
        quantity=lambda p: col("subsidy_months"),
        rate=lambda p: c.employer_monthly(column, _rate(kind, p)),
        quantity_unit="个月",
    )


MEASURE = Measure(
    id=NS,
    title="招用就业困难人员社会保险补贴（五项社会保险）",
    unit=Unit.employment,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ2, CS2017),
    summary="企业招用就业困难人员并签订劳动合同、缴纳社会保险费的，自2025年1月1日起按单位实际缴纳的养老、医疗、"
    "失业、工伤、生育五项社会保险费给予补贴，最长36个月。",
    fund="employment_fund",
    exclusion_group="si_subsidy_hire",
    variables=(
        st.listed_variable("difficult_person", col("employment_hire_date"), "招用", "hire"),
        Variable("months_paid", "已缴纳养老、医疗、失业保险的月数（取三者最小）", lambda p: _months_paid()),
        Variable(
            "subsidy_months",
            "补贴月数（不超过补贴期限）",
            lambda p: pl.min_horizontal(col("months_paid"), p.lit(f"{NS}.max_months")),
            CS2017,
        ),
    ),
    conditions=(
        Condition(
            "employer_kind",
            "招用单位为企业",
            XXQ2,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"]),
        ),
        Condition("difficult_person", "招用的是已认定的就业困难人员", XXQ2, lambda p: col("difficult_person_at_hire")),
        Condition("labour_contract", "与其签订劳动合同", CS2017, lambda p: col("employment_contract_signed")),
        Condition(
            "contributions",
            "已为其缴纳养老、医疗、失业保险费{xxq.si.difficult.min_months_paid}以上",
            CS2017,
            lambda p: col("months_paid") >= p[f"{NS}.min_months_paid"],
            gap=Gap(
                lambda p: shortfall(col("months_paid"), p[f"{NS}.min_months_paid"]), GapUnit.months, "缴费差{}个月"
            ),
        ),
        Condition(
            "scope_start",
            "招用日期不早于五项社会保险补贴施行之日（{xxq.si.difficult.scope_start}）",
            XXQ2,
            lambda p: v.within(col("employment_hire_date"), p.date(f"{NS}.scope_start"), None),
            timing=True,
        ),
    ),
    parts=tuple(_part(label, column) for label, column in _INSURANCES),
)
