"""gx.apprentice — 企业新型学徒制培训补贴 (new-apprenticeship subsidy), per apprentice-year.

行动方案（八）：“实施“技能强企”行动，支持企业开展岗位技能培训、新型学徒制培训，激活企业技能人才培养
主体作用。……对符合条件的企业新型学徒制培训，按照中级工5000元/人·年、高级工6000元/人·年、技师
8000元/人·年、高级技师10000元/人·年的标准给予培训补贴。”

The enterprise training an apprentice receives the yearly standard of the target level, pro rata
for the months of training it claims.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import AT_APPLICATION, Condition, Measure, Part, Unit, Variable, cite
from jiuye.money import mul_ratio
from jiuye.params import Params

GXYS = cite("gxys", "（八）")
NS = "gx.apprentice"
col = pl.col

#: Target level (facts vocabulary) → parameter holding its yearly standard.
LEVEL_PARAMS = {
    "intermediate": "per_year_intermediate",
    "senior": "per_year_senior",
    "technician": "per_year_technician",
    "senior_technician": "per_year_senior_technician",
}


def _per_year(p: Params) -> pl.Expr:
    return v.fen_by("apprenticeship_level", p, {level: f"{NS}.{name}" for level, name in LEVEL_PARAMS.items()})


MEASURE = Measure(
    id=NS,
    title="企业新型学徒制培训补贴",
    unit=Unit.apprenticeship,
    # paid for apprentice-years completed, on application: the application selects the rule, not the start of training
    event=AT_APPLICATION,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GXYS,),
    summary="企业开展新型学徒制培训的，按中级工5000元、高级工6000元、技师8000元、高级技师10000元"
    "（每人每年）给予培训补贴，不足一年的按月折算。",
    fund="employment_fund",
    variables=(Variable("per_year", "培训目标等级对应的补贴标准（每人每年，分）", _per_year),),
    conditions=(
        Condition("enterprise", "培训单位为企业", GXYS, lambda p: col("employer_kind") == "enterprise"),
        Condition(
            "level",
            "培训目标等级为中级工、高级工、技师或高级技师",
            GXYS,
            lambda p: col("apprenticeship_level").is_in(list(LEVEL_PARAMS)),
        ),
        Condition(
            "months",
            "有申请补贴的培训月数",
            GXYS,
            lambda p: col("apprenticeship_months") >= 1,
            gap=Gap(lambda p: shortfall(col("apprenticeship_months"), 1), GapUnit.months, "培训月数差{}个月"),
        ),
    ),
    parts=(
        Part(
            "新型学徒制培训补贴（年标准按培训月数折算）",
            quantity=lambda p: pl.lit(1),
            rate=lambda p: mul_ratio(
                col("per_year"),
                col("apprenticeship_months"),
                pl.lit(p[f"{NS}.months_per_year"], dtype=pl.Int64),
            ),
        ),
    ),
    notes=("资金渠道（具名假设）：文件未写明，按就业补助资金中的职业培训补贴列支（财社〔2017〕164号）。",),
)
