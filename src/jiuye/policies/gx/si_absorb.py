"""gx.si.absorb — 企业吸纳就业社会保险补贴 (the employer's own contributions, paid back in full).

行动方案（一）：“给予企业吸纳就业社会保险补贴，对招用就业困难人员、脱贫劳动力的企业，以及招用毕业年度或
离校2年内未就业高校毕业生的小微企业，与其签订1年以上劳动合同并依法缴纳社会保险费的，按企业为其实际缴纳的
社会保险费给予全额补贴。”

An enterprise hiring a 就业困难人员 or 脱贫劳动力, or a small/micro enterprise hiring a graduate of the
year or one left school ≤ 2 years ago and still unemployed, on a contract of a year or more, gets back
the employer part of the contributions for the months paid. The duration (36 / 12 months) and the
insurances covered are named assumptions from 财社〔2017〕164号: the action plan does not state them.
Nor does it say which hires it covers: a hire whose subsidy period had run out before the plan
(a named assumption, ``period_from``) is not matched, or every hire of the last decades would be.
"""

from __future__ import annotations

import functools
import operator

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import AT_APPLICATION, Condition, Measure, Part, Unit, Variable, cite
from jiuye.params import Params
from jiuye.policies.common import contributions as c

GXYS = cite("gxys", "（一）")
NATIONAL = cite("cs2017-164", "社会保险补贴")
NS = "gx.si.absorb"
col = pl.col
hire = col("employment_hire_date")


#: 险种 → 招用记录中的列名后缀（employment_employer_<x>_monthly, employment_months_paid_<x>）
COLUMNS = {"养老保险": "pension", "医疗保险": "medical", "失业保险": "ui", "工伤保险": "injury"}


def _insurances(p: Params) -> list[str]:
    return [COLUMNS[name] for name in p[f"{NS}.insurances"] or []]


def _rate(kind: str, p: Params) -> pl.Expr:
    """单位费率：单位申报的费率优先，否则按参数（养老、失业）或基准费率下调后（工伤）."""
    if kind == "pension":
        return c.rate_or_param("employer_pension_rate", p, f"{NS}.pension_employer_rate")
    if kind == "ui":
        return c.rate_or_param("employer_ui_rate", p, f"{NS}.ui_employer_rate")
    if kind == "injury":
        return c.injury_rate(p, f"{NS}.injury_rate_reduction")
    return col(f"employer_{kind}_rate")


def _monthly_employer(p: Params) -> pl.Expr:
    """单位每月为其缴纳的各险种之和：填写的月缴费额，否则缴费基数×单位费率（任一项未知即未知）."""
    monthly = [c.employer_monthly(f"employment_employer_{k}_monthly", _rate(k, p)) for k in _insurances(p)]
    return functools.reduce(operator.add, monthly, pl.lit(0, dtype=pl.Int64))


def _months_paid(p: Params) -> pl.Expr:
    """各险种均已缴纳的月数（取最小）；任一项未知即未知."""
    return v.strict_min(*(col(f"employment_months_paid_{k}") for k in _insurances(p)))


def _graduate(p: Params) -> pl.Expr:
    return v.grad_in_year_at(hire) | v.grad_within_2y_unemployed_at(p, hire)


def _max_months(p: Params) -> pl.Expr:
    """各适用情形中最长的补贴期限；都不适用时为空."""
    return pl.max_horizontal(
        pl.when(col("difficult_person_at_hire")).then(p.lit(f"{NS}.max_months_difficult")),
        pl.when(col("poverty_alleviated_at_hire")).then(p.lit(f"{NS}.max_months_poverty")),
        pl.when(col("is_small_micro") & col("graduate_at_hire")).then(p.lit(f"{NS}.max_months_graduate")),
    )


MEASURE = Measure(
    id="gx.si.absorb",
    title="企业吸纳就业社会保险补贴",
    unit=Unit.employment,
    # the subsidy pays contributions already made: the application selects the rule, whenever the worker was hired
    event=AT_APPLICATION,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GXYS,),
    summary="企业招用就业困难人员、脱贫劳动力，或小微企业招用毕业年度、离校2年内未就业高校毕业生，签订1年以上"
    "劳动合同并依法缴纳社会保险费的，按企业为其实际缴纳的社会保险费全额补贴（期限按国家规定：就业困难人员、"
    "脱贫劳动力最长3年，高校毕业生最长1年）。",
    fund="employment_fund",
    exclusion_group="si_subsidy_hire",
    variables=(
        *v.SIZE_VARIABLES,
        v.IS_SMALL_MICRO,
        st.listed_variable("difficult_person", hire, "招用", "hire"),
        st.listed_variable("poverty_alleviated", hire, "招用", "hire"),
        Variable("graduate_at_hire", "招用时为毕业年度或离校2年内未就业高校毕业生", _graduate, v.GRADUATE_RULE),
        Variable("months_paid_all", "各险种均已缴纳的月数（取最小）", _months_paid, unit="months"),
        Variable("max_months", "补贴期限（月）", _max_months, NATIONAL, unit="months"),
        Variable("employer_monthly", "单位每月为其缴纳的社会保险费", _monthly_employer, GXYS, unit="CNY"),
    ),
    conditions=(
        Condition(
            "employer_kind",
            "用人单位为企业",
            GXYS,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"] or []),
        ),
        Condition(
            "target_group",
            "招用就业困难人员或脱贫劳动力；或为小微企业，招用毕业年度或离校{common.graduates.years_since_leaving}内"
            "未就业高校毕业生",
            GXYS,
            lambda p: (
                col("difficult_person_at_hire")
                # 脱贫劳动力 is the action plan's new group: before it, their subsidy period is 0 months
                | (col("poverty_alleviated_at_hire") & (p.lit(f"{NS}.max_months_poverty") > 0))
                | (col("is_small_micro") & col("graduate_at_hire"))
            ),
        ),
        Condition(
            "contract",
            "签订{gx.si.absorb.min_contract_months}以上（或无固定期限）劳动合同",
            GXYS,
            lambda p: v.contract_at_least("employment", p.lit(f"{NS}.min_contract_months")),
            gap=Gap(
                lambda p: shortfall(col("employment_contract_months"), p.lit(f"{NS}.min_contract_months")),
                GapUnit.months,
                "劳动合同期限差{}个月",
            ),
        ),
        Condition(
            "contributions",
            "依法为其缴纳社会保险费（{gx.si.absorb.insurances}）{gx.si.absorb.min_months_paid}以上",
            GXYS,
            lambda p: functools.reduce(
                operator.and_,
                [col(f"employment_months_paid_{k}") >= p.lit(f"{NS}.min_months_paid") for k in _insurances(p)],
                pl.lit(value=True),
            ),
            gap=Gap(
                lambda p: shortfall(
                    pl.min_horizontal([col(f"employment_months_paid_{k}") for k in _insurances(p)]),
                    p.lit(f"{NS}.min_months_paid"),
                ),
                GapUnit.months,
                "缴费差{}个月",
            ),
        ),
        Condition(
            "period",
            "补贴期限（自招用之日起算）在{gx.si.absorb.period_from}仍未届满",
            NATIONAL,
            lambda p: hire.dt.offset_by(pl.format("{}mo", col("max_months"))) > p.lit(f"{NS}.period_from"),
            timing=True,
        ),
    ),
    parts=(
        Part(
            "单位缴纳的社会保险费全额补贴（月数不超过补贴期限）",
            quantity=lambda p: pl.min_horizontal(col("months_paid_all"), col("max_months")),
            rate=lambda p: col("employer_monthly"),
            quantity_unit="个月",
        ),
    ),
)
