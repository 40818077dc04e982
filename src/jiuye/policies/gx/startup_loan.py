"""gx.startup.loan — 创业担保贷款 (guaranteed start-up loan): who may apply, and the limits.

桂人社发〔2025〕38号（八）：“……扩大创业担保贷款发放规模，个人创业担保贷款最高额度30万元，小微企业
创业担保贷款最高额度400万元，按规定落实财政贴息，鼓励经办银行对贷款到期时继续符合条件的创业担保贷款
申请人给予无还本续贷支持。”

行动方案（五）：“开展创业担保贷款扩面增量行动，个人创业担保贷款最高额度30万元，小微企业创业担保贷款
最高额度400万元，鼓励经办银行对贷款到期时继续符合条件的创业担保贷款申请人给予无还本续贷支持。”

A person in one of the applicant groups of 财金〔2020〕21号 may apply for a guaranteed loan of up
to 300,000 yuan (fact, no payment). A person who states an application (its date, and the amount
asked for) is decided on it: the groups are judged on the application date, and the amount asked
for may not exceed the individual limit. The small/micro-enterprise side (up to 4,000,000 yuan, with its
hiring-share condition) is a variant over the employer table: ``startup_loan_enterprise``.
"""

from __future__ import annotations

import dataclasses
import functools
import operator

import polars as pl

from jiuye.engine import statuses as st
from jiuye.engine.measure import Condition, Info, Measure, Unit, Variable, cite
from jiuye.errors import ParameterError
from jiuye.facts.person import KEY_GROUP_LISTS
from jiuye.params import Params
from jiuye.policies.gx.startup_loan_enterprise import ENTERPRISE_SIDE

GX38 = cite("gx38", "（八）")
GXYS = cite("gxys", "（五）")
CJ = cite("cj2020-21", "一")
NS = "gx.startup.loan"
col = pl.col


def _day(p: Params) -> pl.Expr:
    """The day the groups are judged on: the stated application date, else the evaluation date."""
    return pl.coalesce(col("person_startup_loan_applied_on"), pl.lit(p.as_of))


def _listed_on_application(group: str) -> Variable:
    """On the bureau's ``group`` list on the application day."""
    return st.status_variable(
        f"{group}_on_application",
        f"申请之日（未申请的按评估日）属于{KEY_GROUP_LISTS[group]}",
        lambda p: st.listed(group, _day(p)),
    )


def _group_tests(p: Params) -> dict[str, pl.Expr]:
    """Each applicant group named in the parameter list, as a test on the person."""
    return {
        "城镇登记失业人员": col("registered_on_application"),
        "就业困难人员（含残疾人）": col("difficult_person_on_application") | col("disabled_on_application"),
        "退役军人": col("person_veteran"),
        "高校毕业生": col("person_college_graduate"),
        "返乡创业农民工": col("person_returning_migrant_worker"),
        "脱贫人口": col("poverty_alleviated_on_application"),
        "农村自主创业农民": col("person_rural_labour"),
    }


def _in_applicant_group(p: Params) -> pl.Expr:
    tests = _group_tests(p)
    names = list(p[f"{NS}.applicant_groups"] or [])  # none before the clause is in force
    unknown = [n for n in names if n not in tests]
    if unknown:
        msg = f"参数 {NS}.applicant_groups 含未识别的人群：{'、'.join(unknown)}；提示：可选 {'、'.join(tests)}"
        raise ParameterError(msg)
    return functools.reduce(operator.or_, [tests[n] for n in names], pl.lit(value=False))


MEASURE = Measure(
    id=NS,
    title="创业担保贷款",
    unit=Unit.person,
    beneficiary="person",
    jurisdiction="gx",
    sources=(GX38, GXYS),
    summary="符合条件的创业者可申请个人创业担保贷款，最高30万元；小微企业最高400万元；"
    "按规定落实财政贴息，到期仍符合条件的可获无还本续贷支持。",
    fund="loan",
    exclusion_group="startup_loan",
    variables=(
        st.status_variable(
            "registered_on_application",
            "申请之日（未申请的按评估日）处于失业登记状态",
            lambda p: st.registered_unemployed(_day(p), p.as_of),
        ),
        *(_listed_on_application(group) for group in ("difficult_person", "disabled", "poverty_alleviated")),
    ),
    conditions=(
        Condition(
            "applicant_group",
            "属于创业担保贷款申请人群（{gx.startup.loan.applicant_groups}）之一",
            CJ,
            _in_applicant_group,
        ),
        Condition(
            "amount_within_limit",
            "申请的个人创业担保贷款金额不超过最高额度{gx.startup.loan.individual_limit}（未申请的不适用）",
            GXYS,
            lambda p: (
                pl.when(col("person_startup_loan_amount").is_null())
                .then(pl.lit(value=True))
                .otherwise(col("person_startup_loan_amount") <= pl.lit(p.fen(f"{NS}.individual_limit"), dtype=pl.Int64))
            ),
        ),
    ),
    info=(
        Info(
            "individual_limit",
            "个人创业担保贷款最高额度",
            lambda p: pl.lit(p.fen(f"{NS}.individual_limit"), dtype=pl.Int64),
            "CNY",
        ),
        Info(
            "enterprise_limit",
            "小微企业创业担保贷款最高额度（由小微企业申请，另需满足新招用人员比例等条件）",
            lambda p: pl.lit(p.fen(f"{NS}.enterprise_limit"), dtype=pl.Int64),
            "CNY",
        ),
        Info("renewal", "无还本续贷", lambda p: p.lit(f"{NS}.renewal"), "text"),
    ),
    notes=(
        "申请人群取自财金〔2020〕21号，作为参数列表（具名假设），各地可增删。",
        "本人及配偶除助学、扶贫、住房、购车、5万元以下小额消费贷款外无其他贷款等经办条件由经办银行审核，未建模。",
    ),
)

# The small-enterprise applicants of the same clause: a variant over the employer table.
MEASURE = dataclasses.replace(MEASURE, variants=(ENTERPRISE_SIDE,))
