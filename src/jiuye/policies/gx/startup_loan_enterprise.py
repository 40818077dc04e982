"""gx.startup.loan, small-enterprise side — 小微企业创业担保贷款 (up to 4,000,000 yuan).

桂人社发〔2025〕38号（八）：“……扩大创业担保贷款发放规模，个人创业担保贷款最高额度30万元，小微企业
创业担保贷款最高额度400万元，按规定落实财政贴息……”

行动方案（五）：“开展创业担保贷款扩面增量行动，个人创业担保贷款最高额度30万元，小微企业创业担保贷款
最高额度400万元……”

财金〔2020〕21号（小微企业申请条件，“按规定”所指）：小微企业当年新招用符合创业担保贷款申请条件的人员
数量达到企业现有在职职工人数15%（超过100人的企业达到8%），并与其签订1年以上劳动合同。

A small or micro enterprise that applies (a stated fact) and whose new qualifying hires reach the share
may borrow up to 4,000,000 yuan with the interest subsidy; the decision is a fact with the limit, not
money. It is a variant of ``gx.startup.loan`` (same id, employer applicants), declared here beside it.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine import variables as v
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite
from jiuye.money import PPM

__all__ = ["ENTERPRISE_SIDE"]

GX38 = cite("gx38", "（八）")
GXYS = cite("gxys", "（五）")
CJ = cite("cj2020-21", "二")
NS = "gx.startup.loan"
col = pl.col

ENTERPRISE_SIDE = Measure(
    id=NS,
    title="创业担保贷款",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="gx",
    sources=(GX38, GXYS),
    summary="小微企业当年新招用符合创业担保贷款申请条件的人员达到现有在职职工15%（超过100人的达到8%）并签订"
    "1年以上劳动合同的，可申请小微企业创业担保贷款，最高400万元，按规定落实财政贴息。",
    fund="loan",
    exclusion_group="startup_loan",
    variables=(
        *v.SIZE_VARIABLES,
        v.IS_SMALL_MICRO,
        v.hire_share_required(f"{NS}.enterprise_", CJ),
    ),
    conditions=(
        Condition(
            "applicant",
            "单位申请小微企业创业担保贷款（未申请或未填写的单位不作判断）",
            GXYS,
            # Only enterprises that state an application are decided: otherwise every enterprise of a
            # registry would get a loan decision it never asked for.
            lambda p: col("employer_startup_loan_applicant").fill_null(value=False),
        ),
        Condition(
            "employer_kind",
            "申请单位为企业",
            GXYS,
            lambda p: col("employer_kind").is_in(p[f"{NS}.enterprise_kinds"] or []),
        ),
        Condition("small_micro", "属于小微企业", GXYS, lambda p: col("is_small_micro")),
        Condition(
            "new_hires",
            "当年新招用符合创业担保贷款申请条件并签订1年以上劳动合同的人数，达到现有在职职工人数的"
            "{gx.startup.loan.enterprise_min_hire_share}（超过{gx.startup.loan.enterprise_large_staff_threshold}"
            "的企业达到{gx.startup.loan.enterprise_large_min_hire_share}）",
            CJ,
            lambda p: (
                (col("employer_new_qualifying_hires") > 0)
                & (col("employer_new_qualifying_hires") * PPM >= col("hire_share_required") * col("employer_staff"))
            ),
        ),
    ),
    info=(
        Info(
            "enterprise_limit",
            "小微企业创业担保贷款最高额度",
            lambda p: pl.lit(p.fen(f"{NS}.enterprise_limit"), dtype=pl.Int64),
            "CNY",
        ),
        Info("renewal", "无还本续贷", lambda p: p.lit(f"{NS}.renewal"), "text"),
    ),
    notes=(
        "无拖欠职工工资、欠缴社会保险费等严重违法违规信用记录等经办条件由经办银行审核，未建模。",
        "贷款额度为上限，不是补贴金额；贴息与经办银行结算，不付给借款企业。",
    ),
)
