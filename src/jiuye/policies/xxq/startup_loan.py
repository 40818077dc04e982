"""xxq.startup.loan — 小微企业创业担保贷款贴息（新招用人员达到规定比例），及本区创业担保贷款额度。

XX区实施方案 二（二）7：“加大创业担保贷款支持，将个人创业担保贷款最高贷款额度由10万元提高至15万元；小微企业
当年新招用符合创业担保贷款申请条件的人员数量达到企业现有在职职工人数25%（超过100人的企业达到15%）并与其签订
1年以上劳动合同的，可申请最高不超过300万元的创业担保贷款贴息（按发放贷款之日国家银行基准利率50%的贴息）。
完善创业担保贷款激励机制，当年新发放创业担保贷款总额的1%，奖励经办银行、创业担保贷款基金运营管理机构等单位”

It grants no money itself: a small or micro enterprise whose new qualifying hires reach the share may
apply for a guaranteed loan of up to 3,000,000 yuan with interest subsidised at 50% of the base rate.
A person's own application (stated on the person: date and amount) is decided by ``gx.startup.loan``,
which covers the district as part of Guangxi; this measure shows the district's individual limit.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.gap import Gap, GapUnit, count_short_of_share
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite
from jiuye.money import PPM

XXQ7 = cite("xxq", "7")
NS = "xxq.startup.loan"
col = pl.col


MEASURE = Measure(
    id=NS,
    title="创业担保贷款（小微企业贷款贴息，个人额度提高至15万元）",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ7,),
    summary="小微企业当年新招用符合条件人员达到在职职工25%（超过100人的达到15%）并签订1年以上劳动合同的，可申请"
    "最高300万元创业担保贷款，按基准利率50%贴息；个人创业担保贷款最高额度提高至15万元。",
    fund="loan",
    exclusion_group="startup_loan",
    variables=(
        *v.SIZE_VARIABLES,
        v.IS_SMALL_MICRO,
        v.hire_share_required(f"{NS}.", XXQ7),
    ),
    conditions=(
        Condition(
            "employer_kind",
            "申请单位为企业",
            XXQ7,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"]),
        ),
        Condition("small_micro", "属于小微企业", XXQ7, lambda p: col("is_small_micro")),
        Condition(
            "new_hires",
            "当年新招用符合创业担保贷款申请条件并签订{xxq.startup.loan.min_contract_years}以上劳动合同的人数，"
            "达到现有在职职工人数的{xxq.startup.loan.min_hire_share}"
            "（超过{xxq.startup.loan.large_staff_threshold}的企业达到{xxq.startup.loan.large_min_hire_share}）",
            XXQ7,
            lambda p: (
                (col("employer_new_qualifying_hires") > 0)
                & (col("employer_new_qualifying_hires") * PPM >= col("hire_share_required") * col("employer_staff"))
            ),
            gap=Gap(  # at least one such hire, and enough of them
                lambda p: pl.max_horizontal(
                    count_short_of_share(
                        col("employer_new_qualifying_hires"), col("hire_share_required"), col("employer_staff")
                    ),
                    1 - col("employer_new_qualifying_hires"),
                ),
                GapUnit.persons,
                "新招用符合条件人员差{}人",
            ),
        ),
    ),
    info=(
        Info(
            "enterprise_loan_max",
            "小微企业创业担保贷款最高额度",
            lambda p: pl.lit(p.fen(f"{NS}.enterprise_loan_max"), dtype=pl.Int64),
            "CNY",
        ),
        Info(
            "interest_subsidy_share",
            "贴息比例（占发放贷款之日国家银行基准利率）",
            lambda p: pl.lit(p.ppm(f"{NS}.interest_subsidy_share"), dtype=pl.Int64),
            "ratio",
        ),
        Info(
            "individual_loan_max",
            "个人创业担保贷款最高额度",
            lambda p: pl.lit(p.fen(f"{NS}.individual_loan_max"), dtype=pl.Int64),
            "CNY",
        ),
        Info(
            "individual_loan_max_before",
            "个人创业担保贷款原最高额度",
            lambda p: pl.lit(p.fen(f"{NS}.individual_loan_max_before"), dtype=pl.Int64),
            "CNY",
        ),
        Info(
            "lender_reward_share",
            "经办银行等单位奖励（占当年新发放创业担保贷款总额）",
            lambda p: pl.lit(p.ppm(f"{NS}.lender_reward_share"), dtype=pl.Int64),
            "ratio",
        ),
    ),
)
