"""xxq.temp.living — 一次性临时生活补助：2025年生活困难又不符合失业保险金领取条件的下岗失业人员。

XX区实施方案 二（四）13：“2025年，对生活困难又不符合失业保险金领取条件的下岗失业人员，给予一次性
临时生活补助，补助标准根据家庭困难程度、地区消费水平等综合确定，最高不超过月失业保险金标准的2倍，
所需资金从就业补助资金中列支。”

《失业保险条例》第十四条（领取条件，本模块据此判断“不符合”）：“（一）按照规定参加失业保险，所在单位
和本人已按照规定履行缴费义务满1年的；（二）非因本人意愿中断就业的；（三）已办理失业登记，并有求职要求的。”

An unemployed person in hardship who cannot draw unemployment benefit gets, once, up to twice the
local monthly benefit standard; the engine reports that ceiling.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.measure import Condition, Measure, Once, Part, Unit, Variable, cite
from jiuye.params import Params

XXQ13 = cite("xxq", "13")
UI_RULE = cite("ui-reg1999", "第十四条")
NS = "xxq.temp.living"
col = pl.col


def _ui_eligible(p: Params) -> pl.Expr:
    """《失业保险条例》第十四条的三项条件同时具备（未知的事实保持未知）."""
    registered = col("registered_at_as_of") & col("person_seeking_work")
    return col("insured_enough") & col("person_involuntary_unemployment") & registered


MEASURE = Measure(
    id="xxq.temp.living",
    title="一次性临时生活补助",
    unit=Unit.person,
    beneficiary="person",
    jurisdiction="xxq",
    sources=(XXQ13,),
    summary="2025年，对生活困难又不符合失业保险金领取条件的下岗失业人员，给予一次性临时生活补助，"
    "最高不超过月失业保险金标准的2倍，资金从就业补助资金中列支。",
    fund="employment_fund",
    variables=(
        st.status_variable(
            "insured_enough",
            "参加失业保险缴费满规定期限",
            lambda p: st.insured_months_at_least(p[f"{NS}.ui_min_contribution_months"], pl.lit(p.as_of)),
            UI_RULE,
        ),
        st.REGISTERED_AT_AS_OF,
        Variable("ui_eligible", "符合失业保险金领取条件", _ui_eligible, UI_RULE),
    ),
    conditions=(
        Condition(
            "unemployed", "为下岗失业人员（目前未就业）", XXQ13, lambda p: col("person_currently_employed").not_()
        ),
        Condition("hardship", "生活困难", XXQ13, lambda p: col("person_living_hardship")),
        Condition(
            "not_ui_eligible",
            "不符合失业保险金领取条件（缴费满{xxq.temp.living.ui_min_contribution_months}、非因本人意愿"
            "中断就业、已办理失业登记并有求职要求，三项不同时具备）",
            XXQ13,
            lambda p: col("ui_eligible").not_(),
        ),
        Condition(
            "period",
            "在{xxq.temp.living.period_start}至{xxq.temp.living.period_end}期间申请",
            XXQ13,
            lambda p: v.within(pl.lit(p.as_of), p.date(f"{NS}.period_start"), p.date(f"{NS}.period_end")),
            timing=True,
        ),
    ),
    parts=(
        Part(
            "一次性临时生活补助上限（月失业保险金标准的倍数）",
            quantity=lambda p: p.lit(f"{NS}.max_multiple"),
            rate=lambda p: pl.lit(p.fen(f"{NS}.ui_benefit_monthly"), dtype=pl.Int64),
            quantity_unit="倍",
            ceiling=True,  # “最高不超过月失业保险金标准的2倍”
        ),
    ),
    once=Once(keys=("person_id",), order="person_id", label="一次性临时生活补助只享受一次", cite=XXQ13),
    notes=("结果为上限（最高可领），不是应发金额：具体标准根据家庭困难程度、地区消费水平等综合确定，由经办机构核定。",),
)
