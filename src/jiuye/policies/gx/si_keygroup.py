"""gx.si.keygroup — 扩大社会保险补贴范围 (25% of a key-group worker's own contributions, for 1 year).

桂人社发〔2025〕38号（五）：“扩大社会保险补贴范围。重点行业领域的中小微企业与重点群体签订1年以上劳动合同，
2025年按规定为其缴纳基本养老保险费、基本医疗保险费、失业保险费的，按照个人缴费额的25%给予重点群体个人
社会保险补贴。补贴由企业向属地人力资源社会保障部门申请，申请期限至2025年12月底。补贴期限为1年。企业领取
补贴后，要尽快发放给符合条件的劳动者。”

行动方案（三）：同上，“按个人缴费额的25%给予个人社会保险补贴……企业领取补贴后，要尽快发放给相关劳动者。”

An SME in a key industry that hires a key-group worker on a contract of a year or more gets, per month
of 2025 contributions (at most 12), 25% of the worker's own contributions; it must pass the money on to
the worker. The key industries and key groups are named assumptions (Guangxi's lists are not in the texts).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import AT_APPLICATION, Condition, Info, Measure, Once, Part, Unit, Variable, cite
from jiuye.money import PPM, mul_ratio
from jiuye.params import Params
from jiuye.policies.common import contributions as c

GX38 = cite("gx38", "（五）")
GXYS = cite("gxys", "（三）")
NATIONAL = cite("gbf2025-25", "扩大社会保险补贴范围")
NS = "gx.si.keygroup"
MONTHS_PAID = ("employment_months_paid_pension", "employment_months_paid_medical", "employment_months_paid_ui")
col = pl.col
hire = col("employment_hire_date")


def _key_industry(p: Params) -> pl.Expr:
    """申报值优先；未申报时按参数中的门类、大类清单由行业代码推定."""
    code = col("employer_industry")
    section = code.str.slice(0, 1)
    division = code.str.replace(r"^[A-Z]", "").str.slice(0, 2)
    derived = section.is_in(p[f"{NS}.key_industry_sections"] or []) | division.is_in(
        p[f"{NS}.key_industry_divisions"] or []
    )
    return pl.coalesce(col("employer_key_industry"), derived)


def _key_group(p: Params) -> pl.Expr:
    graduate = col("person_college_graduate")
    year = col("person_graduation_date").dt.year()
    this_year = graduate & year.is_in(p[f"{NS}.graduate_years"] or [])
    unemployed_grad = (
        graduate
        & year.is_in(p[f"{NS}.unemployed_graduate_years"] or [])
        & col("person_employed_since_graduation").not_()
    )
    long_registered = col("registered_at_hire") & (
        col("registered_months_at_hire") >= p.lit(f"{NS}.registered_min_months")
    )
    return this_year | unemployed_grad | long_registered | col("poverty_monitoring_at_hire")


def _months_all_three(p: Params) -> pl.Expr:
    """三项均已缴纳的月数（取最小）；任一项未知即未知."""
    return v.strict_min(*(col(c) for c in MONTHS_PAID))


def _personal_monthly(p: Params) -> pl.Expr:
    """个人月缴养老、医疗、失业保险费：填写的合计，否则缴费基数×个人费率之和."""
    rates = [p.lit(f"{NS}.personal_{k}_rate") for k in ("pension", "medical", "ui")]
    return c.personal_monthly("employment_personal_si_monthly", rates)


MEASURE = Measure(
    id="gx.si.keygroup",
    title="重点群体个人社会保险补贴（扩大社会保险补贴范围）",
    unit=Unit.employment,
    # the subsidy is for the year's contributions, applied for by 2025-12-31:
    # the application selects the rule, whenever the worker was hired
    event=AT_APPLICATION,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GX38, GXYS),
    summary="重点行业领域的中小微企业与重点群体签订1年以上劳动合同、2025年为其缴纳养老、医疗、失业保险费的，"
    "按个人缴费额的25%给予补贴，期限1年；企业申领（至2025年12月底），领取后发放给劳动者本人。",
    fund="ui_fund",
    variables=(
        *v.SIZE_VARIABLES,
        v.IS_SME,
        Variable("key_industry", "属于重点行业领域（申报或按行业清单推定）", _key_industry, NATIONAL),
        st.status_variable(
            "registered_at_hire", "招用时处于失业登记状态", lambda p: st.registered_unemployed(hire, p.as_of)
        ),
        st.status_variable(
            "registered_months_at_hire",
            "招用时本次失业登记已持续的完整月数",
            lambda p: st.registered_months(hire, p.as_of),
            unit="months",
        ),
        st.listed_variable("poverty_monitoring", hire, "招用", "hire"),
        Variable("key_group_at_hire", "招用时属于重点群体", _key_group, NATIONAL),
        Variable("months_all_three", "养老、医疗、失业三项均已缴纳的月数", _months_all_three, GXYS, "months"),
    ),
    conditions=(
        Condition(
            "sme",
            "用人单位为中小微企业",
            GXYS,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"] or []) & col("is_sme"),
        ),
        Condition("key_industry", "属于重点行业领域", GXYS, lambda p: col("key_industry")),
        Condition(
            "key_group",
            "招用时属于重点群体：{gx.si.keygroup.graduate_years}届高校毕业生，{gx.si.keygroup.unemployed_graduate_years}"
            "届离校未就业高校毕业生，登记失业{gx.si.keygroup.registered_min_months}以上人员，或防止返贫监测对象",
            NATIONAL,
            lambda p: col("key_group_at_hire"),
        ),
        Condition(
            "contract",
            "签订{gx.si.keygroup.min_contract_months}以上（或无固定期限）劳动合同",
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
            "{gx.si.keygroup.contribution_year_start}至{gx.si.keygroup.contribution_year_end}期间在职，"
            "并已为其缴纳基本养老、基本医疗、失业保险费{gx.si.keygroup.min_months_paid}以上",
            GXYS,
            lambda p: (
                (hire <= p.lit(f"{NS}.contribution_year_end"))
                & (
                    col("employment_separation_date").is_null()
                    | (col("employment_separation_date") >= p.lit(f"{NS}.contribution_year_start"))
                )
                & pl.all_horizontal([col(c) >= p.lit(f"{NS}.min_months_paid") for c in MONTHS_PAID])
            ),
            gap=Gap(
                lambda p: shortfall(pl.min_horizontal([col(c) for c in MONTHS_PAID]), p.lit(f"{NS}.min_months_paid")),
                GapUnit.months,
                "缴费差{}个月",
            ),
        ),
        Condition(
            "apply_period",
            "在申请期限内申请（不晚于{gx.si.keygroup.apply_end}）",
            GXYS,
            lambda p: pl.lit(p.as_of) <= p.lit(f"{NS}.apply_end"),
            timing=True,
        ),
    ),
    parts=(
        Part(
            "个人社会保险补贴（个人月缴费额 × 25%）",
            quantity=lambda p: pl.min_horizontal(col("months_all_three"), p.lit(f"{NS}.max_months")),
            rate=lambda p: mul_ratio(_personal_monthly(p), p.lit(f"{NS}.subsidy_ratio"), PPM),
            quantity_unit="个月",
        ),
    ),
    info=(
        Info("payout", "申领与发放", lambda p: p.lit(f"{NS}.payout")),
        Info("fund_source", "资金渠道", lambda p: p.lit(f"{NS}.fund_source")),
    ),
    once=Once(
        keys=("person_id",),
        order="employment_hire_date",
        label="同一劳动者补贴期限为1年，只享受一次",
        cite=GXYS,
    ),
)
