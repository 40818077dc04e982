"""gx.ui.benefit — 失业保险金等失业保险待遇 (unemployment-insurance benefits): who is entitled.

桂人社发〔2025〕38号（十九）：“对参加失业保险缴费满1年、非因本人意愿中断就业、已办理失业登记并有求职
要求的失业人员，按时足额发放失业保险金，代缴职工基本医疗保险（含生育保险）费，按规定兑现价格临时补贴等
待遇。对生活困难的失业人员及家庭，按规定纳入最低生活保障、临时救助等社会救助范围。”

An unemployed person insured for a year, out of work involuntarily, registered and seeking work is
entitled to unemployment benefit (at the local standard), medical insurance paid for them and the
temporary price subsidy (fact, with the standards as information).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Info, Measure, Unit, Variable, cite

GX38 = cite("gx38", "（十九）")
NS = "gx.ui.benefit"
col = pl.col

MEASURE = Measure(
    id=NS,
    title="失业保险金等失业保险待遇",
    unit=Unit.person,
    beneficiary="person",
    jurisdiction="gx",
    sources=(GX38,),
    summary="参加失业保险缴费满1年、非因本人意愿中断就业、已办理失业登记并有求职要求的失业人员，"
    "按时足额领取失业保险金，由失业保险基金代缴职工基本医疗保险（含生育保险）费，并按规定享受价格临时补贴。",
    fund="ui_fund",
    variables=(
        # the stated month count, read for the near-miss distance (差几个月) beside the status
        Variable("ui_months", "失业保险累计缴费月数", lambda p: col("person_ui_contribution_months"), unit="months"),
        st.status_variable(
            "insured_enough",
            "参加失业保险缴费满规定期限",
            lambda p: st.insured_months_at_least(p[f"{NS}.min_contribution_months"], pl.lit(p.as_of)),
        ),
        st.REGISTERED_AT_AS_OF,
    ),
    conditions=(
        Condition(
            "contribution",
            "参加失业保险累计缴费满{gx.ui.benefit.min_contribution_months}",
            GX38,
            lambda p: col("insured_enough"),
            gap=Gap(
                lambda p: shortfall(col("ui_months"), p[f"{NS}.min_contribution_months"]),
                GapUnit.months,
                "失业保险缴费差{}个月",
            ),
        ),
        Condition("involuntary", "非因本人意愿中断就业", GX38, lambda p: col("person_involuntary_unemployment")),
        Condition("registered", "评估日已办理失业登记", GX38, lambda p: col("registered_at_as_of")),
        Condition("seeking_work", "有求职要求", GX38, lambda p: col("person_seeking_work")),
    ),
    info=(
        Info(
            "benefit_amount",
            "失业保险金标准（每月，当地标准）",
            lambda p: pl.lit(p.fen(f"{NS}.benefit_monthly"), dtype=pl.Int64),
            "CNY",
        ),
        Info("medical", "医疗保险", lambda p: p.lit(f"{NS}.medical_insurance"), "text"),
        Info("price_subsidy", "价格临时补贴", lambda p: p.lit(f"{NS}.price_subsidy"), "text"),
    ),
    notes=("领取期限按缴费年限由《失业保险条例》第十七条确定，未建模。",),
)
