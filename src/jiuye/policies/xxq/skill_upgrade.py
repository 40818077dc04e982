"""xxq.skill.upgrade — 技术技能提升补贴：2025年参保1年以上即可申领，59项专业技术人员职业资格纳入范围。

XX区实施方案 二（三）11：“2025年1月1日至2025年12月31日，将技术技能提升补贴申领条件由企业在职职工
参加失业保险3年以上放宽至参保1年以上；将59项专业技术人员职业资格证书纳入补贴范围。所需资金由失业
保险基金列支。”

An insured, employed worker with at least 12 months of unemployment insurance who obtained a
qualifying certificate in 2025 may claim the subsidy; the amount is a local setting.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import AT_APPLICATION, Condition, Info, Measure, Unit, Variable, cite

XXQ11 = cite("xxq", "11")
NS = "xxq.skill.upgrade"
col = pl.col

MEASURE = Measure(
    id="xxq.skill.upgrade",
    title="技术技能提升补贴（放宽申领条件）",
    unit=Unit.certificate,
    # the relaxation is of the 申领条件 in 2025: the application selects the rule, not the certificate date
    event=AT_APPLICATION,
    beneficiary="person",
    jurisdiction="xxq",
    sources=(XXQ11,),
    summary="2025年企业在职职工参加失业保险1年以上（原为3年以上）、取得职业资格证书、职业技能等级证书"
    "或59项专业技术人员职业资格证书的，可申领技术技能提升补贴，资金由失业保险基金列支。",
    fund="ui_fund",
    variables=(
        # the stated month count, read for the near-miss distance (差几个月) beside the status
        Variable("ui_months", "失业保险累计缴费月数", lambda p: col("person_ui_contribution_months"), unit="months"),
        st.status_variable(
            "insured_enough",
            "参加失业保险满规定期限",
            lambda p: st.insured_months_at_least(p[f"{NS}.min_ui_months"], pl.lit(p.as_of)),
        ),
        st.status_variable("held", "评估日已取得证书", lambda p: st.certificate_held(pl.lit(p.as_of))),
    ),
    conditions=(
        Condition(
            "employed",
            "申领人为企业在职职工",
            XXQ11,
            lambda p: col("person_currently_employed"),
        ),
        Condition(
            "ui_months",
            "参加失业保险{xxq.skill.upgrade.min_ui_months}以上",
            XXQ11,
            lambda p: col("insured_enough"),
            gap=Gap(
                lambda p: shortfall(col("ui_months"), p[f"{NS}.min_ui_months"]),
                GapUnit.months,
                "失业保险缴费差{}个月",
            ),
        ),
        Condition(
            "certificate",
            "证书为职业资格或职业技能等级证书，或59项专业技术人员职业资格证书之一",
            XXQ11,
            lambda p: col("certificate_level").is_in(p[f"{NS}.certificate_levels"] or []),
        ),
        Condition("held", "已取得证书（申报已取得，或发证日期不晚于评估日）", XXQ11, lambda p: col("held")),
        Condition(
            "issued",
            "证书取得于{xxq.skill.upgrade.issued_from}至{xxq.skill.upgrade.issued_until}",
            XXQ11,
            lambda p: v.within(col("certificate_issued_on"), p.date(f"{NS}.issued_from"), p.date(f"{NS}.issued_until")),
            timing=True,
        ),
    ),
    info=(Info("amount", "补贴标准（本地设定）", lambda p: p.lit(f"{NS}.amount"), unit="CNY"),),
)
