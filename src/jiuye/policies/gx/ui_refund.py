"""gx.ui.refund — 失业保险稳岗返还 (unemployment-insurance refund for keeping jobs).

行动方案（十四）：“延续实施失业保险稳岗返还政策，对符合条件的不裁员、少裁员企业按比例发放稳岗返还资金，
大型企业按该企业及其职工上年度实际缴纳失业保险费的30%返还，中小微企业按60%返还。对相关企业提高稳岗返还
比例，其中大型企业返还比例提至50%，中小微企业返还比例提至90%……上述政策执行期限至2025年12月底。”

桂人社发〔2025〕38号（二）：“对符合失业保险稳岗返还条件的相关企业，提高返还比例，其中：中小微企业返还
比例由本企业及其职工上年度实际缴纳失业保险费的60%提高至90%，大型企业返还比例由30%提高至50%，政策执行
期限至2025年12月底。”

人社部发〔2025〕18号 一：“参保企业足额缴纳失业保险费12个月以上，上年度未裁员或裁员率不高于上年度全国城镇调查
失业率控制目标，30 人（含）以下的参保企业裁员率不高于参保职工总数 20%的，可以申请……”（原文节录，见
documents.yaml 的 source_url；控制目标的数值5.5%是具名假设）.

The refund conditions themselves are the national rule (人社部发〔2025〕18号), cited in the parameters.
An insured employer gets ratio × last year's UI contributions (employer + staff), once a year.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, shortfall
from jiuye.engine.measure import Condition, Measure, Once, Part, Unit, Variable, cite
from jiuye.params import Params

GX38 = cite("gx38", "（二）")
GXYS = cite("gxys", "（十四）")
NATIONAL = cite("rsbf2025-18", "一")
NS = "gx.ui.refund"
col = pl.col


def _layoffs_within(p: Params) -> pl.Expr:
    """未裁员；或裁员率 ≤ 5.5%；或参保30人（含）以下且裁员率 ≤ 20%."""
    return v.layoffs_within(
        p.ppm(f"{NS}.max_layoff_rate"), p[f"{NS}.small_insured_staff_max"], p.ppm(f"{NS}.small_max_layoff_rate")
    )


def _known(flag: pl.Expr) -> pl.Expr:
    """True once a yes/no fact is known either way; null (needs facts) while it is unknown."""
    return flag | flag.not_()


def _ratio(p: Params) -> pl.Expr:
    """返还比例（ppm）：按是否“相关企业”和是否按中小微企业返还."""
    related, sme = col("employer_related_enterprise"), col("counts_as_sme")
    return (
        pl.when(related & sme)
        .then(p.lit(f"{NS}.ratio_related_sme"))
        .when(related & sme.not_())
        .then(p.lit(f"{NS}.ratio_related_large"))
        .when(related.not_() & sme)
        .then(p.lit(f"{NS}.ratio_sme"))
        .when(related.not_() & sme.not_())
        .then(p.lit(f"{NS}.ratio_large"))
        .otherwise(pl.lit(None, dtype=pl.Int64))
    )


def _layoff_excess(p: Params) -> pl.Expr:
    return v.layoff_rate_excess(
        p.ppm(f"{NS}.max_layoff_rate"), p[f"{NS}.small_insured_staff_max"], p.ppm(f"{NS}.small_max_layoff_rate")
    )


MEASURE = Measure(
    id="gx.ui.refund",
    title="失业保险稳岗返还",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GXYS, GX38),
    summary="不裁员、少裁员的参保企业（社会组织等参照），按上年度本单位及其职工实际缴纳失业保险费返还："
    "大型企业30%、中小微企业60%；“相关企业”提至50%、90%。申请期限至2025年12月底，每年一次。",
    fund="ui_fund",
    exclusion_group="ui_refund",
    variables=(
        *v.SIZE_VARIABLES,
        v.IS_SME,
        Variable(
            "counts_as_sme",
            "按中小微企业比例返还（中小微企业，或社会组织、以单位形式参保的个体工商户）",
            lambda p: col("employer_kind").is_in(p[f"{NS}.sme_kinds"] or []) | col("is_sme"),
            NATIONAL,
        ),
        Variable("refund_ratio", "返还比例", _ratio, GXYS, unit="ppm"),
        Variable("applied_on", "申请（评估）日期", lambda p: pl.lit(p.as_of)),
    ),
    conditions=(
        Condition(
            "employer_kind",
            "参保单位为企业，或参照执行的社会组织、以单位形式参保的个体工商户",
            NATIONAL,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"] or []),
        ),
        Condition(
            "ui_paid",
            "足额缴纳失业保险费{gx.ui.refund.min_ui_paid_months}以上",
            NATIONAL,
            lambda p: col("employer_ui_paid_months") >= p.lit(f"{NS}.min_ui_paid_months"),
            gap=Gap(
                lambda p: shortfall(col("employer_ui_paid_months"), p.lit(f"{NS}.min_ui_paid_months")),
                GapUnit.months,
                "失业保险缴费差{}个月",
            ),
        ),
        Condition(
            "layoffs",
            "上年度未裁员或裁员率不高于{gx.ui.refund.max_layoff_rate}；参保职工{gx.ui.refund.small_insured_staff_max}"
            "（含）以下的，裁员率不高于{gx.ui.refund.small_max_layoff_rate}",
            NATIONAL,
            _layoffs_within,
            gap=Gap(_layoff_excess, GapUnit.ppm, "裁员率超出{}个百分点"),
        ),
        Condition(
            "size_known",
            "已确定企业规模：大型企业返还{gx.ui.refund.ratio_large}，中小微企业返还{gx.ui.refund.ratio_sme}",
            GXYS,
            lambda p: _known(col("counts_as_sme")),
        ),
        Condition(
            "related_known",
            "已确定是否属于“相关企业”：相关企业中大型企业提至{gx.ui.refund.ratio_related_large}，"
            "中小微企业提至{gx.ui.refund.ratio_related_sme}",
            GX38,
            lambda p: _known(col("employer_related_enterprise")),
        ),
        Condition(
            "period",
            "在政策执行期限内申请（不晚于{gx.ui.refund.period_end}）",
            GXYS,
            lambda p: pl.lit(p.as_of) <= p.lit(f"{NS}.period_end"),
            timing=True,
        ),
    ),
    parts=(
        Part(
            "稳岗返还（上年度单位及职工实际缴纳失业保险费 × 返还比例）",
            quantity=lambda p: col("employer_ui_contributions_last_year"),
            rate=lambda p: col("refund_ratio"),
            quantity_unit="元",
            ratio=True,
        ),
    ),
    once=Once(
        keys=("employer_id",),
        order="employer_id",
        label="同一单位每年只享受一次稳岗返还",
        cite=NATIONAL,
        per_year_of="applied_on",
    ),
)
