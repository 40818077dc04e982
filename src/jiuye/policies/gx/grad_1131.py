"""gx.grad.1131 — 离校未就业高校毕业生“1131”就业服务 (service plan for unemployed graduates).

桂人社发〔2025〕38号（十七）：“实施离校未就业高校毕业生“接力帮扶”计划，建立“一对一”实名帮扶台账，
主动通过上门走访、电话、短信等方式联系未就业毕业生，为其提供“1131”就业服务（提供至少1次政策宣介、
1次职业指导、3次岗位推荐及1次培训或见习机会）。聚焦低保家庭、零就业家庭、防止返贫监测对象家庭以及
残疾等困难毕业生，制定个性化帮扶方案，优先推送3—5个针对性岗位信息，优先组织培训见习，优先提供职业
指导。”

A college graduate who has left school and is not employed (within 2 years of leaving, or
registered unemployed) is owed the 1131 service; hardship graduates also get 3–5 targeted job
offers first (fact, with the plan as information).
"""

from __future__ import annotations

import functools
import operator

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine.measure import Condition, Info, Measure, Unit, Variable, cite
from jiuye.params import Params

GX38 = cite("gx38", "（十七）")
NS = "gx.grad.1131"
col = pl.col
HARDSHIP_LISTS = ("low_income_family", "zero_employment_family", "poverty_monitoring", "disabled")


def _count(key: str, label: str) -> Info:
    return Info(key, label, lambda p: p.lit(f"{NS}.{key}"), "count")


def _targeted(p: Params) -> pl.Expr:
    low, high = p[f"{NS}.targeted_jobs_min"], p[f"{NS}.targeted_jobs_max"]
    text = f"优先推送{low}—{high}个针对性岗位信息，优先组织培训见习，优先提供职业指导，制定个性化帮扶方案"
    return (
        pl.when(col("hardship"))
        .then(pl.lit(text))
        .when(col("hardship").not_())
        .then(pl.lit("不适用（非困难毕业生）"))
        .otherwise(pl.lit("待确认是否属于困难毕业生（低保、零就业家庭、防止返贫监测对象、残疾）"))
    )


MEASURE = Measure(
    id=NS,
    title="离校未就业高校毕业生“1131”实名帮扶",
    unit=Unit.person,
    beneficiary="person",
    jurisdiction="gx",
    sources=(GX38,),
    summary="离校未就业高校毕业生可获“1131”就业服务：至少1次政策宣介、1次职业指导、3次岗位推荐及"
    "1次培训或见习机会；低保家庭、零就业家庭、防止返贫监测对象家庭及残疾等困难毕业生优先推送3—5个"
    "针对性岗位信息。",
    variables=(
        *(st.listed_variable(group, lambda p: pl.lit(p.as_of), "评估日", "as_of") for group in HARDSHIP_LISTS),
        Variable(
            "hardship",
            "困难毕业生（低保家庭、零就业家庭、防止返贫监测对象家庭、残疾）",
            lambda p: functools.reduce(operator.or_, [col(f"{g}_at_as_of") for g in HARDSHIP_LISTS]),
        ),
        st.REGISTERED_AT_AS_OF,
    ),
    conditions=(
        Condition(
            "graduate",
            "已离校的高校毕业生",
            GX38,
            lambda p: col("person_college_graduate") & (col("person_graduation_date") <= pl.lit(p.as_of)),
        ),
        Condition("unemployed", "目前未就业", GX38, lambda p: col("person_currently_employed").not_()),
        Condition(
            "in_scope",
            "离校{gx.grad.1131.years_since_leaving}内，或评估日处于失业登记状态",
            GX38,
            lambda p: (
                (
                    pl.lit(p.as_of)
                    <= col("person_graduation_date").dt.offset_by(
                        pl.format("{}y", pl.lit(p[f"{NS}.years_since_leaving"], dtype=pl.Int64))
                    )
                )
                | col("registered_at_as_of")
            ),
        ),
    ),
    info=(
        _count("policy_briefings", "政策宣介（至少，次）"),
        _count("career_guidance", "职业指导（至少，次）"),
        _count("job_recommendations", "岗位推荐（至少，次）"),
        _count("training_or_internship", "培训或见习机会（至少，次）"),
        Info("targeted", "困难毕业生优先帮扶", _targeted, "text"),
    ),
)
