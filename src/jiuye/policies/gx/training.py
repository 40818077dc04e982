"""gx.training — 职业培训补贴 (training subsidy) by certificate level, up to +20% for AI occupations.

行动方案（八）：“实施“技能强企”行动，支持企业开展岗位技能培训、新型学徒制培训，激活企业技能人才培养
主体作用。对符合规定的培训，按照初级工每人最高1800元、中级工每人最高2500元、高级工每人最高4500元、
技师每人最高6000元、高级技师每人最高8000元、专项职业能力证书每人800元的标准给予培训补贴；……”

行动方案（九）：“……将人工智能领域相关职业（工种）纳入急需紧缺职业（工种）指导目录，相应培训补贴标准
最高可上浮20%。”

A trainee who obtains a skill-level or special-ability certificate after compliant training is
granted the standard of the level (a ceiling: "每人最高"); certificates in AI occupations on the
shortage list get up to 20% more. The enterprise that organised the training applies for it.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.engine.measure import Condition, Measure, Part, Unit, Variable, cite
from jiuye.money import PPM, mul_ratio
from jiuye.params import Params

GXYS8 = cite("gxys", "（八）")
GXYS9 = cite("gxys", "（九）")
NS = "gx.training"
col = pl.col
UNKNOWN = pl.lit(None, dtype=pl.Boolean)

#: Certificate level (facts vocabulary) → parameter holding its standard.
LEVEL_PARAMS = {
    "junior": "amount_junior",
    "intermediate": "amount_intermediate",
    "senior": "amount_senior",
    "technician": "amount_technician",
    "senior_technician": "amount_senior_technician",
    "special_ability": "amount_special_ability",
}


def _standard(p: Params) -> pl.Expr:
    return v.fen_by("certificate_level", p, {level: f"{NS}.{name}" for level, name in LEVEL_PARAMS.items()})


def _settled(p: Params) -> pl.Expr:
    """Only the special-ability standard without an uplift is a fixed amount (“每人800元”, no 最高)."""
    fixed = (col("certificate_level") == "special_ability") & (col("uplift") == 0)
    return pl.when(fixed).then(col("standard"))


MEASURE = Measure(
    id=NS,
    title="职业培训补贴（企业职工岗位技能培训）",
    unit=Unit.certificate,
    beneficiary="person",
    jurisdiction="gx",
    sources=(GXYS8, GXYS9),
    summary="参加符合规定的培训并取得证书的，按初级工1800元、中级工2500元、高级工4500元、技师6000元、"
    "高级技师8000元（均为每人最高）、专项职业能力证书800元给予培训补贴；人工智能领域急需紧缺职业（工种）"
    "最高可上浮20%。补贴由组织培训的企业申领。",
    fund="employment_fund",
    variables=(
        st.status_variable("held", "评估日已取得证书", lambda p: st.certificate_held(pl.lit(p.as_of))),
        Variable("standard", "证书等级对应的培训补贴标准（每人最高，分）", _standard),
        Variable(
            "uplift",
            "人工智能领域急需紧缺职业（工种）上浮比例（百万分比）",
            lambda p: (
                pl.when(col("certificate_ai_shortage_occupation"))
                .then(p.lit(f"{NS}.ai_uplift_max"))
                .when(col("certificate_ai_shortage_occupation").not_())
                .then(pl.lit(0))
            ),
            cite=GXYS9,
        ),
    ),
    conditions=(
        Condition("compliant_training", "参加符合规定的培训", GXYS8, lambda p: col("certificate_compliant_training")),
        Condition(
            "level",
            "证书为职业技能等级证书（初级工至高级技师）或专项职业能力证书（职业资格证书不在本项补贴范围）",
            GXYS8,
            lambda p: col("certificate_level").is_in(list(LEVEL_PARAMS)),
        ),
        Condition("obtained", "已取得证书（发证日期不晚于评估日，或申报已取得）", GXYS8, lambda p: col("held")),
        Condition(
            "uplift_known",
            "已确定该职业（工种）是否属于人工智能领域急需紧缺职业（工种）（决定能否上浮{gx.training.ai_uplift_max}）",
            GXYS9,
            lambda p: col("uplift").is_not_null() | UNKNOWN,
        ),
    ),
    parts=(
        Part(
            "培训补贴（按证书等级每人最高标准计，含人工智能急需紧缺职业上浮）",
            quantity=lambda p: pl.lit(1),
            rate=lambda p: mul_ratio(col("standard"), pl.lit(PPM, dtype=pl.Int64) + col("uplift"), PPM),
            ceiling=True,  # “每人最高”, “最高可上浮20%”
            due=_settled,
        ),
    ),
    notes=(
        "“每人最高”：结果为上限（最高可领），不是应发金额；具体金额由经办机构按培训成本和当地目录在上限内核定。"
        "专项职业能力证书每人800元为定额（不属于人工智能急需紧缺职业时即为应发金额）。",
        "资金渠道（具名假设）：文件未写明，按就业补助资金中的职业培训补贴列支（财社〔2017〕164号）。",
        "同一职业同一等级是否只补一次，文件未写明，未建模。",
    ),
)
