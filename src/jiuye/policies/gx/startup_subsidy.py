"""gx.startup.subsidy — 一次性创业补贴 (one-time start-up subsidy), 5000 yuan, plus 5000 more.

行动方案（五）：“加大创业补贴支持，对首次在自治区内创办小微企业或从事个体经营的离校2年内高校毕业生、
就业困难人员，以及首次在乡镇及以下（不含城区、县城所在乡镇）创办小微企业或从事个体经营的返乡入乡
农民工，所创办企业或个体工商户自工商注册登记之日起正常运营1年以上的，按照每户5000元的标准给予一次性
创业补贴；正常运营18个月以上、吸纳就业3人以上（不含创业者本人）并为其缴纳企业职工基本养老保险满6个月
的，再给予创业补贴5000元。”

A first business (small/micro enterprise or individual business) operating normally for a year
receives 5000 yuan; at 18 months with 3 or more hires each insured 6 months, 5000 yuan more.
"""

from __future__ import annotations

import polars as pl

from jiuye.dates import full_months
from jiuye.engine import statuses as st
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import AT_APPLICATION, Condition, Measure, Once, Part, Unit, Variable, cite

GXYS = cite("gxys", "（五）")
NS = "gx.startup.subsidy"
col = pl.col
UNKNOWN = pl.lit(None, dtype=pl.Boolean)
REGISTERED = col("business_registered_on")

MEASURE = Measure(
    id=NS,
    title="一次性创业补贴",
    unit=Unit.business,
    # the claim comes after a year of operation: the application selects the rule, not the registration date
    event=AT_APPLICATION,
    beneficiary="business",
    jurisdiction="gx",
    sources=(GXYS,),
    summary="首次在区内创办小微企业或个体工商户的离校2年内高校毕业生、就业困难人员，及首次在乡镇及以下"
    "创业的返乡入乡农民工，正常运营1年以上的每户5000元；正常运营18个月以上、吸纳就业3人以上并为其"
    "缴纳养老保险满6个月的，再给予5000元。",
    fund="employment_fund",
    variables=(
        Variable(
            "graduate_2y_at_registration",
            "注册登记时为离校2年内高校毕业生",
            lambda p: (
                col("person_college_graduate")
                & (col("person_graduation_date") <= REGISTERED)
                & (
                    col("person_graduation_date").dt.offset_by(
                        pl.format("{}y", pl.lit(p[f"{NS}.graduate_years"], dtype=pl.Int64))
                    )
                    >= REGISTERED
                )
            ),
        ),
        st.listed_variable("difficult_person", REGISTERED, "注册登记", "registration"),
        Variable(
            "migrant_in_township",
            "返乡入乡农民工在乡镇及以下（不含城区、县城所在乡镇）创业",
            lambda p: col("person_returning_migrant_worker") & col("business_township_or_below"),
        ),
        Variable(
            "operating_months",
            "自工商注册登记之日起至评估日的完整月数",
            lambda p: full_months(REGISTERED, pl.lit(p.as_of)),
            unit="months",
        ),
        Variable(
            "second_grant",
            "符合再给予创业补贴的条件（运营月数、吸纳就业人数）",
            lambda p: (
                (col("operating_months") >= p[f"{NS}.second_min_operating_months"])
                & (col("business_hires_with_pension_6m") >= p[f"{NS}.second_min_hires"])
            ),
        ),
    ),
    conditions=(
        Condition(
            "founder",
            "创业者为离校{gx.startup.subsidy.graduate_years}内高校毕业生、就业困难人员，"
            "或在乡镇及以下（不含城区、县城所在乡镇）创业的返乡入乡农民工",
            GXYS,
            lambda p: (
                col("graduate_2y_at_registration")
                | col("difficult_person_at_registration")
                | col("migrant_in_township")
            ),
        ),
        Condition(
            "first_business",
            "首次创业（首次在自治区内创办；返乡入乡农民工为首次在乡镇及以下创办）",
            GXYS,
            lambda p: col("business_first_in_guangxi"),
        ),
        Condition(
            "form",
            "创办小微企业或从事个体经营",
            GXYS,
            lambda p: col("business_form").is_in(p[f"{NS}.business_forms"]),
        ),
        Condition(
            "operating",
            "自工商注册登记之日起正常运营{gx.startup.subsidy.min_operating_months}以上",
            GXYS,
            lambda p: col("business_operating_normally") & (col("operating_months") >= p[f"{NS}.min_operating_months"]),
            gap=Gap(  # only a business that operates normally is short of time alone
                lambda p: pl.when(col("business_operating_normally")).then(
                    shortfall(col("operating_months"), p[f"{NS}.min_operating_months"])
                ),
                GapUnit.months,
                "正常运营差{}个月",
            ),
        ),
        Condition(
            "second_known",
            "可判断是否再给予创业补贴（运营满{gx.startup.subsidy.second_min_operating_months}的，"
            "需知吸纳就业并为其缴纳养老保险满{gx.startup.subsidy.hire_pension_months}的人数）",
            GXYS,
            lambda p: col("second_grant").is_not_null() | UNKNOWN,
        ),
    ),
    parts=(
        Part(
            "一次性创业补贴",
            quantity=lambda p: pl.lit(1),
            rate=lambda p: p.lit(f"{NS}.amount"),
            quantity_unit="户",
        ),
        Part(
            "再给予创业补贴",
            quantity=lambda p: col("second_grant").cast(pl.Int64),
            rate=lambda p: p.lit(f"{NS}.second_amount"),
            quantity_unit="户",
        ),
    ),
    once=Once(
        keys=("business_id",),
        order="business_registered_on",
        label="每户只享受一次；已发放的部分在拨付时扣除",
        cite=GXYS,
    ),
    notes=(
        "资金渠道（具名假设）：文件未写明，按就业补助资金列支（财社〔2017〕164号一次性创业补贴）。",
        "金额为该户可享受的合计（含再给予部分）；已享受记录只能按人员或单位登记，无法按经营主体扣减。",
    ),
)
