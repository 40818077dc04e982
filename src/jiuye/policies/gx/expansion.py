"""gx.expansion — 一次性扩岗补助 (one-time job-expansion subsidy), 1500 yuan per qualifying hire.

桂人社发〔2025〕38号（六）：“对吸纳16—24岁登记失业青年就业，与其签订劳动合同并按规定为其足额缴纳
失业保险费、工伤保险费、职工基本养老保险费3个月以上的企业和社会组织，按照每吸纳1人1500元的标准发放
一次性扩岗补助，政策执行期限至2025年12月底，所需资金从失业保险基金中列支。”

行动方案（一）：“对吸纳毕业年度及离校2年内未就业高校毕业生、16—24岁登记失业青年就业……按每招用1人
1500元的标准发放一次性扩岗补助，政策执行期限至2025年12月底。”

Both clauses grant one measure (policies/README.md): a person triggers it once.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Measure, Once, Part, Unit, Variable, cite

GX38 = cite("gx38", "（六）")
GXYS = cite("gxys", "（一）")
col = pl.col

MEASURE = Measure(
    id="gx.expansion",
    title="一次性扩岗补助",
    unit=Unit.employment,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GX38, GXYS),
    summary="企业和社会组织吸纳16—24岁登记失业青年或毕业年度、离校2年内未就业高校毕业生，"
    "签订劳动合同并足额缴纳三项社会保险费3个月以上的，每人1500元，一次性。",
    fund="ui_fund",
    variables=(
        v.AGE_AT_HIRE,
        st.status_variable(
            "registered_at_hire",
            "招用时处于失业登记状态",
            lambda p: st.registered_unemployed(col("employment_hire_date"), p.as_of),
        ),
        Variable(
            "graduate_in_year_at_hire",
            "招用时为毕业年度高校毕业生",
            lambda p: v.grad_in_year_at(col("employment_hire_date")),
        ),
        Variable(
            "graduate_2y_at_hire",
            "招用时为离校2年内未就业高校毕业生",
            lambda p: v.grad_within_2y_unemployed_at(p, col("employment_hire_date")),
        ),
        Variable(
            "months_three_insurances",
            "足额缴纳失业、工伤、养老保险的月数（取三者最小）",
            lambda p: v.strict_min(
                col("employment_months_paid_ui"),
                col("employment_months_paid_injury"),
                col("employment_months_paid_pension"),
            ),
        ),
    ),
    conditions=(
        Condition(
            "employer_kind",
            "用人单位为企业或社会组织",
            GX38,
            lambda p: col("employer_kind").is_in(p["gx.expansion.employer_kinds"]),
        ),
        Condition(
            "target_group",
            "招用时为{gx.expansion.youth_age_min}—{gx.expansion.youth_age_max}登记失业青年，"
            "或毕业年度、离校{common.graduates.years_since_leaving}内未就业高校毕业生",
            GXYS,
            lambda p: (
                (
                    v.between(col("age_at_hire"), p["gx.expansion.youth_age_min"], p["gx.expansion.youth_age_max"])
                    & col("registered_at_hire")
                )
                | col("graduate_in_year_at_hire")
                | col("graduate_2y_at_hire")
            ),
        ),
        Condition("labour_contract", "与其签订劳动合同", GX38, lambda p: col("employment_contract_signed")),
        Condition(
            "contributions",
            "足额缴纳失业保险费、工伤保险费、职工基本养老保险费{gx.expansion.min_contribution_months}以上",
            GX38,
            lambda p: col("months_three_insurances") >= p["gx.expansion.min_contribution_months"],
            gap=Gap(
                lambda p: shortfall(col("months_three_insurances"), p["gx.expansion.min_contribution_months"]),
                GapUnit.months,
                "缴费差{}个月",
            ),
        ),
        Condition(
            "period",
            "招用日期在政策执行期限内（{gx.expansion.period_start}至{gx.expansion.period_end}）",
            GX38,
            lambda p: v.within(
                col("employment_hire_date"),
                p.date("gx.expansion.period_start"),
                p.date("gx.expansion.period_end"),
            ),
            timing=True,
        ),
    ),
    parts=(
        Part(
            "一次性扩岗补助",
            quantity=lambda p: pl.lit(1),
            rate=lambda p: p.lit("gx.expansion.amount_per_person"),
        ),
    ),
    once=Once(
        keys=("person_id",),
        order="employment_hire_date",
        label="同一人员只享受一次，无论依据哪份文件",
        cite=cite("gxys", "（一）"),
    ),
)
