"""gx.difficult.person — 可申请认定为就业困难人员 (may apply for recognition as a hard-to-employ person).

桂人社发〔2025〕38号（十八）：“畅通求职登记、招聘登记、失业登记和就业援助对象申请认定通道，失业人员可在
常住地公共就业服务机构办理失业登记，按规定申请享受当地就业创业服务、就业扶持政策、重点群体创业就业税收
优惠政策。其中，大龄、残疾、较长时间失业等劳动者可按规定申请认定为就业困难人员，享受就业援助政策。……”

A registered unemployed person who is older (women 40+, men 50+), disabled or unemployed for a long
time (12 months or more) may apply to be recognised as 就业困难人员 (fact; the thresholds are
named assumptions).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Info, Measure, Unit, Variable, cite

GX38 = cite("gx38", "（十八）")
NS = "gx.difficult.person"
col = pl.col

MEASURE = Measure(
    id=NS,
    title="就业困难人员认定申请",
    unit=Unit.person,
    beneficiary="person",
    jurisdiction="gx",
    sources=(GX38,),
    summary="已办理失业登记的大龄（女40岁以上、男50岁以上）、残疾、较长时间失业（连续登记失业12个月以上）"
    "劳动者，可按规定申请认定为就业困难人员，享受就业援助政策。",
    variables=(
        v.AGE_ON_AS_OF,
        Variable(
            "older",
            "大龄（评估日年龄达到本性别的门槛）",
            lambda p: (
                ((col("person_sex") == "female") & (col("age_on_as_of") >= p[f"{NS}.female_age_min"]))
                | ((col("person_sex") == "male") & (col("age_on_as_of") >= p[f"{NS}.male_age_min"]))
            ),
        ),
        st.status_variable(
            "registered_months",
            "本次失业登记已持续的完整月数（至评估日）",
            lambda p: st.registered_months(pl.lit(p.as_of), p.as_of),
            unit="months",
        ),
        st.REGISTERED_AT_AS_OF,
        st.listed_variable("disabled", lambda p: pl.lit(p.as_of), "评估日", "as_of"),
    ),
    conditions=(
        Condition(
            "registered",
            "评估日处于失业登记状态",
            GX38,
            lambda p: col("registered_at_as_of"),
        ),
        Condition(
            "group",
            "属于大龄（女性{gx.difficult.person.female_age_min}以上、男性{gx.difficult.person.male_age_min}以上）、"
            "残疾或较长时间失业（连续登记失业{gx.difficult.person.long_term_months}以上）劳动者",
            GX38,
            lambda p: (
                col("older") | col("disabled_at_as_of") | (col("registered_months") >= p[f"{NS}.long_term_months"])
            ),
            gap=Gap(
                lambda p: shortfall(col("registered_months"), p[f"{NS}.long_term_months"]),
                GapUnit.months,
                "连续登记失业差{}个月",
            ),
        ),
    ),
    info=(Info("result", "可办理事项", lambda p: p.lit(f"{NS}.outcome"), "text"),),
)
