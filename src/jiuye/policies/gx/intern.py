"""gx.intern — 就业见习补贴 (internship subsidy), per trainee-month, paid to the internship base.

行动方案（二）：“就业见习基地认定向重点领域、重点行业企业倾斜。见习基地吸纳离校2年内未就业高校毕业生
和16—24岁登记失业青年参加见习的，可享受每人每月1500元的见习补贴；见习期满留用率达到50%以上的，
留用人员见习补贴提高至每人每月2000元。见习期未满与见习人员签订劳动合同的，可给予剩余期限见习补贴，
政策执行期限至2025年12月底。2025年，全区募集见习岗位不少于2万个。”

The base receives 1500 yuan per trainee-month (2000 for retained trainees when its retention rate
at the end is 50% or more); a contract signed before the planned end pays the remaining months;
only months up to 2025-12-31 are paid.
"""

from __future__ import annotations

import polars as pl

from jiuye.dates import full_months
from jiuye.engine import variables as v
from jiuye.engine.measure import Condition, Measure, Part, Unit, Variable, cite

GXYS = cite("gxys", "（二）")
NS = "gx.intern"
col = pl.col
UNKNOWN = pl.lit(None, dtype=pl.Boolean)


def _planned_end() -> pl.Expr:
    """First day after the agreed internship period (start + planned months)."""
    months = pl.format("{}mo", col("internship_planned_months"))
    return col("internship_start_date").dt.offset_by(months)


MEASURE = Measure(
    id=NS,
    title="就业见习补贴",
    unit=Unit.internship,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GXYS,),
    summary="见习基地吸纳离校2年内未就业高校毕业生和16—24岁登记失业青年参加见习的，每人每月1500元；"
    "见习期满留用率达到50%以上的，留用人员每人每月2000元；见习期未满签订劳动合同的给予剩余期限补贴；"
    "见习月份计至2025年12月底。",
    fund="employment_fund",
    variables=(
        v.AGE_AT_START,
        Variable(
            "registered_at_start",
            "见习开始时处于失业登记状态",
            lambda p: v.registered_unemployed_at(col("internship_start_date")),
        ),
        Variable(
            "graduate_2y_at_start",
            "见习开始时为离校2年内未就业高校毕业生",
            lambda p: v.grad_within_2y_unemployed_at(p, col("internship_start_date")),
        ),
        Variable(
            "served_months",
            "已见习的完整月数（计至见习结束日与评估日中较早者，不超过约定期限）",
            lambda p: v.strict_min(
                full_months(
                    col("internship_start_date"),
                    pl.min_horizontal(col("internship_end_date"), pl.lit(p.as_of)),  # no end date: ongoing
                ),
                col("internship_planned_months"),
            ),
            unit="months",
        ),
        Variable(
            "contract_before_end",
            "见习期未满即与见习人员签订劳动合同",
            lambda p: (
                (col("internship_contract_signed_on") >= col("internship_start_date"))
                & (col("internship_contract_signed_on") < _planned_end())
            ),
        ),
        Variable(
            "months_due",
            "应补贴见习月数（期未满签订劳动合同的，按约定期限计剩余月数）",
            lambda p: (
                pl.when(col("contract_before_end"))
                .then(col("internship_planned_months"))
                .otherwise(col("served_months"))
            ),
            unit="months",
        ),
        Variable(
            "months_in_period",
            "见习开始至政策执行期限截止日的完整月数",
            lambda p: full_months(col("internship_start_date"), pl.lit(p.date(f"{NS}.period_end"), dtype=pl.Date)),
            unit="months",
        ),
        Variable(
            "paid_months",
            "可补贴见习月数（计至政策执行期限截止日）",
            lambda p: v.strict_min(col("months_due"), col("months_in_period")),
            unit="months",
        ),
        Variable(
            "monthly_rate",
            "每人每月见习补贴标准",
            lambda p: (
                pl.when(
                    col("internship_retained")
                    & (col("employer_internship_retention_rate") >= p.ppm(f"{NS}.retention_rate_min"))
                )
                .then(p.lit(f"{NS}.retained_amount_per_month"))
                .when(
                    col("internship_retained").not_()
                    | (col("employer_internship_retention_rate") < p.ppm(f"{NS}.retention_rate_min"))
                )
                .then(p.lit(f"{NS}.amount_per_month"))
            ),
            unit="CNY",
        ),
    ),
    conditions=(
        Condition("internship_base", "见习单位为就业见习基地", GXYS, lambda p: col("employer_internship_base")),
        Condition(
            "target_group",
            "见习开始时为离校{common.graduates.years_since_leaving}内未就业高校毕业生，"
            "或{gx.intern.youth_age_min}—{gx.intern.youth_age_max}登记失业青年",
            GXYS,
            lambda p: (
                col("graduate_2y_at_start")
                | (
                    v.between(col("age_at_internship_start"), p[f"{NS}.youth_age_min"], p[f"{NS}.youth_age_max"])
                    & col("registered_at_start")
                )
            ),
        ),
        Condition(
            "period",
            "见习开始日期不晚于政策执行期限截止日{gx.intern.period_end}",
            GXYS,
            lambda p: col("internship_start_date") <= pl.lit(p.date(f"{NS}.period_end"), dtype=pl.Date),
            timing=True,
        ),
        Condition(
            "months",
            "有可补贴的见习月数（见习月份计至{gx.intern.period_end}）",
            GXYS,
            lambda p: col("paid_months") >= 1,
        ),
        Condition(
            "rate_known",
            "可确定补贴标准：是否留用及见习基地见习期满留用率（达到{gx.intern.retention_rate_min}以上的，"
            "留用人员每人每月{gx.intern.retained_amount_per_month}）",
            GXYS,
            lambda p: col("monthly_rate").is_not_null() | UNKNOWN,
        ),
    ),
    parts=(
        Part(
            "见习补贴",
            quantity=lambda p: col("paid_months"),
            rate=lambda p: col("monthly_rate"),
            quantity_unit="人·月",
        ),
    ),
    notes=("资金渠道（具名假设）：文件未写明，按就业补助资金列支（财社〔2017〕164号就业见习补贴）。",),
)
