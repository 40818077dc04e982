"""gx.hrservice — 就业创业服务补助 (placement subsidy for commercial HR service agencies).

桂人社发〔2025〕38号（十六）：“……鼓励人力资源服务机构为农村劳动力、登记失业人员、就业困难人员、防止返贫
监测对象提供就业创业服务，对组织上述群体到企业就业，协助签订6个月（含）以上劳动合同并缴纳企业职工基本
养老保险满3个月以上的经营性人力资源服务机构，按最高1000元/人的标准给予就业创业服务补助。”

行动方案（六）：“……对组织农村劳动力和登记失业人员到企业就业，协助签订6个月（含）以上劳动合同并缴纳企业
职工基本养老保险满3个月以上的经营性人力资源服务机构，按最高1000元/人的标准给予就业创业服务补助。”

A commercial HR agency that places a person of the target groups in an enterprise, on a contract of
six months or more with three months of pension contributions, gets up to 1000 yuan per person, once.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Measure, Once, Part, Unit, cite
from jiuye.params import Params

GX38 = cite("gx38", "（十六）")
GXYS = cite("gxys", "（六）")
NS = "gx.hrservice"
col = pl.col
placed = col("placement_placed_on")

#: 人员类别（参数中的名称）→ 就业日期时是否属于该类别（申报的状态优先，见 jiuye.engine.statuses）
GROUPS: dict[str, Callable[[], pl.Expr]] = {
    "农村劳动力": lambda: col("person_rural_labour"),
    "登记失业人员": lambda: col("registered_at_placement"),
    "就业困难人员": lambda: col("difficult_person_at_placement"),
    "防止返贫监测对象": lambda: col("poverty_monitoring_at_placement"),
}


def _target_group(p: Params) -> pl.Expr:
    groups = [GROUPS[name]() for name in p[f"{NS}.target_groups"] or []]
    return functools.reduce(operator.or_, groups, pl.lit(value=False))


MEASURE = Measure(
    id="gx.hrservice",
    title="经营性人力资源服务机构就业创业服务补助",
    unit=Unit.placement,
    beneficiary="agency",
    jurisdiction="gx",
    sources=(GX38, GXYS),
    summary="经营性人力资源服务机构组织农村劳动力、登记失业人员、就业困难人员、防止返贫监测对象到企业就业，"
    "协助签订6个月（含）以上劳动合同并缴纳企业职工基本养老保险满3个月的，按最高1000元/人给予补助，每人一次。",
    fund="employment_fund",
    variables=(
        st.status_variable(
            "registered_at_placement", "就业时处于失业登记状态", lambda p: st.registered_unemployed(placed, p.as_of)
        ),
        st.listed_variable("difficult_person", placed, "就业", "placement"),
        st.listed_variable("poverty_monitoring", placed, "就业", "placement"),
    ),
    conditions=(
        Condition(
            "agency",
            "服务机构为经营性人力资源服务机构",
            GX38,
            lambda p: col("agency_hr_service_agency"),
        ),
        Condition(
            "target_group",
            "就业时属于：{gx.hrservice.target_groups}",
            GX38,
            _target_group,
        ),
        Condition(
            "employer_kind",
            "组织到企业就业",
            GXYS,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"] or []),
        ),
        Condition(
            "placed_on",
            "就业日期不早于{gx.hrservice.placed_from}",
            GXYS,
            lambda p: placed >= p.lit(f"{NS}.placed_from"),
            timing=True,
        ),
        Condition(
            "contract",
            "协助签订{gx.hrservice.min_contract_months}（含）以上劳动合同（或无固定期限劳动合同）",
            GXYS,
            lambda p: v.contract_at_least("placement", p.lit(f"{NS}.min_contract_months")),
            gap=Gap(
                lambda p: shortfall(col("placement_contract_months"), p.lit(f"{NS}.min_contract_months")),
                GapUnit.months,
                "劳动合同期限差{}个月",
            ),
        ),
        Condition(
            "pension",
            "缴纳企业职工基本养老保险满{gx.hrservice.min_pension_months}以上",
            GXYS,
            lambda p: col("placement_months_paid_pension") >= p.lit(f"{NS}.min_pension_months"),
            gap=Gap(
                lambda p: shortfall(col("placement_months_paid_pension"), p.lit(f"{NS}.min_pension_months")),
                GapUnit.months,
                "养老保险缴费差{}个月",
            ),
        ),
    ),
    parts=(
        Part(
            "就业创业服务补助（每人最高标准）",
            quantity=lambda p: pl.lit(1),
            rate=lambda p: p.lit(f"{NS}.amount_per_person"),
            ceiling=True,  # “按最高1000元/人的标准”: the bureau sets the amount within it
        ),
    ),
    once=Once(
        keys=("person_id",),
        order="placement_placed_on",
        label="同一劳动者只计一次就业创业服务补助",
        cite=GX38,
    ),
)
