"""xxq.tax.hire — 招用自主就业退役士兵、登记失业人员定额扣减税费（企业吸纳就业税收优惠）。

XX区实施方案 二（一）2：“2025年1月1日至2025年12月31日前，对商贸企业、服务型企业、劳动就业服务企业中的
加工型企业和街道社区具有加工性质的小型企业实体招用自主就业退役士兵和登记失业人员，符合规定条件的，在3年内
按自主就业退役士兵每人每年9000元标准、登记失业人员每人每年7800元标准，定额扣减增值税、城市维护建设税、
教育费附加、地方教育附加和企业所得税，到期未享受满3年的，可继续享受至3年期满。”

It grants, per qualifying hire, the deduction quota of the tax year of the as-of date: the annual
standard ÷ 12 × the months the person worked there that year within 36 months of the hire month.
The deduction is capped by the taxes actually payable that year (shown as information).
"""

from __future__ import annotations

import polars as pl

from jiuye.dates import month_index
from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Info, Measure, Part, Unit, Variable, cite
from jiuye.money import mul_ratio
from jiuye.params import Params

XXQ2 = cite("xxq", "2")
CS2023_15 = cite("cs2023-15", "二")
NS = "xxq.tax.hire"
MONTHS_PER_YEAR = 12  # 日历换算（年→月），不是政策数字
col = pl.col


def _months_in_tax_year(p: Params) -> pl.Expr:
    """Months worked in the as-of year, from the hire month, within the 36-month window, to the as-of month."""
    as_of = pl.lit(p.as_of)
    hire = month_index(col("employment_hire_date"))
    first = pl.max_horizontal(hire, month_index(as_of) - as_of.dt.month().cast(pl.Int32) + 1)
    last = pl.min_horizontal(  # nulls are ignored: no separation date means still employed
        hire + p[f"{NS}.duration_months"] - 1,
        month_index(as_of),
        month_index(col("employment_separation_date")),
    )
    return pl.max_horizontal(last - first + 1, pl.lit(0))


def _unemployed_qualifies(p: Params) -> pl.Expr:
    return (
        col("registered_at_hire")
        & (col("registration_months_at_hire") >= p.lit(f"{NS}.min_registration_months"))
        & col("person_employment_card")
    )


MEASURE = Measure(
    id=NS,
    title="企业招用退役士兵、登记失业人员定额扣减税费",
    unit=Unit.employment,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ2,),
    summary="商贸、服务型等企业2025年招用自主就业退役士兵或登记失业人员，3年内按每人每年9000元（退役士兵）"
    "或7800元（登记失业人员）定额扣减税费，按实际工作月份换算。",
    fund="tax",
    variables=(
        st.status_variable(
            "registered_at_hire",
            "招用时处于失业登记状态",
            lambda p: st.registered_unemployed(col("employment_hire_date"), p.as_of),
        ),
        st.status_variable(
            "registration_months_at_hire",
            "招用时已失业登记的月数",
            lambda p: st.registered_months(col("employment_hire_date"), p.as_of),
            unit="months",
        ),
        Variable(
            "annual_quota",
            "适用的年度定额标准",
            lambda p: (
                pl.when(col("person_veteran_self_employed"))
                .then(p.lit(f"{NS}.annual_quota_veteran"))
                .when(_unemployed_qualifies(p))
                .then(p.lit(f"{NS}.annual_quota_unemployed"))
            ),
            XXQ2,
            unit="CNY",
        ),
        Variable("months_in_tax_year", "评估年度内在本企业工作且处于3年享受期内的月数", _months_in_tax_year, XXQ2),
    ),
    conditions=(
        Condition(
            "tax_category",
            "企业为商贸企业、服务型企业、劳动就业服务企业中的加工型企业或街道社区具有加工性质的小型企业实体",
            XXQ2,
            lambda p: col("employer_tax_category").is_in(p[f"{NS}.employer_tax_categories"]),
        ),
        Condition(
            "target_group",
            "招用的是自主就业退役士兵，或招用时登记失业{xxq.tax.hire.min_registration_months}以上"
            "且持《就业创业证》（《就业失业登记证》）的登记失业人员",
            CS2023_15,
            lambda p: col("person_veteran_self_employed") | _unemployed_qualifies(p),
        ),
        Condition(
            "contract",
            "签订{xxq.tax.hire.min_contract_months}以上期限劳动合同（或无固定期限劳动合同）",
            CS2023_15,
            lambda p: v.contract_at_least("employment", p[f"{NS}.min_contract_months"]),
            gap=Gap(
                lambda p: shortfall(col("employment_contract_months"), p[f"{NS}.min_contract_months"]),
                GapUnit.months,
                "劳动合同期限差{}个月",
            ),
        ),
        Condition(
            "social_insurance",
            "依法为其缴纳社会保险费（养老、医疗、失业保险均已缴纳{xxq.tax.hire.min_si_months}以上）",
            CS2023_15,
            lambda p: (
                (col("employment_months_paid_pension") >= p[f"{NS}.min_si_months"])
                & (col("employment_months_paid_medical") >= p[f"{NS}.min_si_months"])
                & (col("employment_months_paid_ui") >= p[f"{NS}.min_si_months"])
            ),
            gap=Gap(
                lambda p: shortfall(
                    pl.min_horizontal(
                        col("employment_months_paid_pension"),
                        col("employment_months_paid_medical"),
                        col("employment_months_paid_ui"),
                    ),
                    p[f"{NS}.min_si_months"],
                ),
                GapUnit.months,
                "缴费差{}个月",
            ),
        ),
        Condition(
            "hire_period",
            "招用日期在{xxq.tax.hire.period_start}至{xxq.tax.hire.period_end}之间",
            XXQ2,
            lambda p: v.within(col("employment_hire_date"), p.date(f"{NS}.period_start"), p.date(f"{NS}.period_end")),
            timing=True,
        ),
        Condition(
            "in_window",
            "评估年度内有在本企业工作、且处于自招用当月起{xxq.tax.hire.duration_months}享受期内的月份",
            XXQ2,
            lambda p: col("months_in_tax_year") > 0,
            timing=True,
        ),
    ),
    parts=(
        Part(
            "本年度定额扣减限额（年度定额÷12×工作月数）",
            quantity=lambda p: col("months_in_tax_year"),
            rate=lambda p: mul_ratio(col("annual_quota"), 1, MONTHS_PER_YEAR),
            quantity_unit="个月",
            ceiling=True,  # 定额 is a limit: the deduction cannot exceed the taxes actually payable
            due=lambda p: col("employer_tax_payable"),
            due_pool=("employer_id",),  # one enterprise's taxes cover all its hires
        ),
    ),
    info=(
        Info("tax_year", "扣减年度", lambda p: pl.lit(p.as_of.year), unit="count"),
        Info("annual_quota", "年度定额标准", lambda p: col("annual_quota"), unit="CNY"),
        Info("cap", "扣减上限", lambda p: p.lit(f"{NS}.cap_note")),
    ),
)
