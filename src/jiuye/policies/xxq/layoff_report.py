"""xxq.layoff.report — 规模裁员须制定裁员方案、经职代会审议并向区人社部门报告。

XX区实施方案 二（一）4：“规范裁员行为，裁减20人以上或裁减不足20人但占企业职工总数10%以上的，指导其依法
制定裁员方案，明确被裁减人员名单、裁减时间，裁减人员方案须提交企业职代会审议通过，向区人力资源社会保障部门
报告，并按规定支付经济补偿、清偿拖欠被裁减职工的工资。”

It grants nothing: it says whether an enterprise's planned layoffs reach the threshold that obliges it
to file a layoff plan with the workers' congress and report to the district HR bureau.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.gap import Gap, GapUnit, count_short_of_share, shortfall
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite
from jiuye.money import PPM, mul_ratio

XXQ4 = cite("xxq", "4")
NS = "xxq.layoff.report"
col = pl.col

MEASURE = Measure(
    id=NS,
    title="规模裁员报告（裁员方案须经职代会审议并向区人社部门报告）",
    unit=Unit.employer,
    beneficiary="employer",
    jurisdiction="xxq",
    sources=(XXQ4,),
    summary="企业裁减20人以上，或不足20人但占职工总数10%以上的，须制定裁员方案、提交职代会审议通过并向区人力资源"
    "社会保障部门报告。",
    conditions=(
        Condition(
            "employer_kind",
            "裁员单位为企业",
            XXQ4,
            lambda p: col("employer_kind").is_in(p[f"{NS}.employer_kinds"]),
        ),
        Condition(
            "scale",
            "拟裁减{xxq.layoff.report.min_layoffs}以上，或裁减不足{xxq.layoff.report.min_layoffs}"
            "但占企业职工总数{xxq.layoff.report.min_share}以上",
            XXQ4,
            lambda p: (
                (col("employer_planned_layoffs") > 0)
                & (
                    (col("employer_planned_layoffs") >= p[f"{NS}.min_layoffs"])
                    | (col("employer_planned_layoffs") * PPM >= p.lit(f"{NS}.min_share") * col("employer_staff"))
                )
            ),
            gap=Gap(  # an enterprise planning no layoffs is not "nearly" reporting them
                lambda p: pl.when(col("employer_planned_layoffs") > 0).then(
                    pl.min_horizontal(
                        shortfall(col("employer_planned_layoffs"), p[f"{NS}.min_layoffs"]),
                        count_short_of_share(
                            col("employer_planned_layoffs"), p.lit(f"{NS}.min_share"), col("employer_staff")
                        ),
                    )
                ),
                GapUnit.persons,
                "拟裁减人数差{}人",
            ),
        ),
    ),
    info=(
        Info(
            "share",
            "拟裁减人数占职工总数比例",
            lambda p: pl.when(col("employer_staff") > 0).then(
                mul_ratio(col("employer_planned_layoffs"), PPM, col("employer_staff"))
            ),
            unit="ratio",
        ),
        Info("procedure", "须履行的程序", lambda p: p.lit(f"{NS}.procedure")),
    ),
)
