"""xxq.targets — XX区2025年就业工作目标：城镇新增就业、农村劳动力转移、登记失业率、线上办案率。

XX区实施方案 一（工作目标）：“2025年实现城镇新增就业3500人，农村劳动力转移就业4000人，城镇登记
失业率控制在3.5%以内；以后每年圆满完成市里下达的任务目标。”

XX区实施方案 二（五）19：“……实现年底全区线上实时办案率达到90%以上。”

A district's indicators for 2025 are checked against the four targets; eligible means all are met.
Later years' targets are set by the city and are not in the document.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.gap import Gap, GapUnit, excess, shortfall
from jiuye.engine.measure import Condition, Info, Measure, Unit, cite

XXQ1 = cite("xxq", "一")
XXQ19 = cite("xxq", "19")
NS = "xxq.targets"
col = pl.col

MEASURE = Measure(
    id="xxq.targets",
    title="2025年就业工作目标完成情况",
    unit=Unit.district,
    beneficiary="district",
    jurisdiction="xxq",
    sources=(XXQ1, XXQ19),
    summary="2025年实现城镇新增就业3500人、农村劳动力转移就业4000人，城镇登记失业率控制在3.5%以内，"
    "年底全区线上实时办案率达到90%以上；以后每年完成市里下达的任务目标。",
    conditions=(
        Condition(
            "year",
            "指标年度为{xxq.targets.target_year}年（以后年度的目标由市里下达，未载于本方案）",
            XXQ1,
            lambda p: col("district_year") == p[f"{NS}.target_year"],
            timing=True,
        ),
        Condition(
            "urban_new_jobs",
            "城镇新增就业达到{xxq.targets.urban_new_jobs_min}",
            XXQ1,
            lambda p: col("district_urban_new_jobs") >= p[f"{NS}.urban_new_jobs_min"],
            gap=Gap(
                lambda p: shortfall(col("district_urban_new_jobs"), p[f"{NS}.urban_new_jobs_min"]),
                GapUnit.persons,
                "城镇新增就业差{}人",
            ),
        ),
        Condition(
            "rural_labour_transfer",
            "农村劳动力转移就业达到{xxq.targets.rural_labour_transfer_min}",
            XXQ1,
            lambda p: col("district_rural_labour_transfer") >= p[f"{NS}.rural_labour_transfer_min"],
            gap=Gap(
                lambda p: shortfall(col("district_rural_labour_transfer"), p[f"{NS}.rural_labour_transfer_min"]),
                GapUnit.persons,
                "农村劳动力转移就业差{}人",
            ),
        ),
        Condition(
            "unemployment_rate",
            "城镇登记失业率控制在{xxq.targets.unemployment_rate_max}以内",
            XXQ1,
            lambda p: col("district_registered_unemployment_rate") <= p.ppm(f"{NS}.unemployment_rate_max"),
            gap=Gap(
                lambda p: excess(col("district_registered_unemployment_rate"), p.ppm(f"{NS}.unemployment_rate_max")),
                GapUnit.ppm,
                "城镇登记失业率超出{}个百分点",
            ),
        ),
        Condition(
            "online_arbitration",
            "年底线上实时办案率达到{xxq.targets.online_arbitration_rate_min}以上",
            XXQ19,
            lambda p: col("district_online_arbitration_rate") >= p.ppm(f"{NS}.online_arbitration_rate_min"),
            gap=Gap(
                lambda p: shortfall(
                    col("district_online_arbitration_rate"), p.ppm(f"{NS}.online_arbitration_rate_min")
                ),
                GapUnit.ppm,
                "线上实时办案率差{}个百分点",
            ),
        ),
    ),
    info=(
        Info("urban_new_jobs", "城镇新增就业目标（人）", lambda p: p.lit(f"{NS}.urban_new_jobs_min"), "count"),
        Info(
            "rural_labour_transfer",
            "农村劳动力转移就业目标（人）",
            lambda p: p.lit(f"{NS}.rural_labour_transfer_min"),
            "count",
        ),
        Info(
            "unemployment_rate",
            "城镇登记失业率控制目标（以内）",
            lambda p: p.lit(f"{NS}.unemployment_rate_max"),
            "ratio",
        ),
        Info(
            "online_arbitration",
            "线上实时办案率目标（以上）",
            lambda p: p.lit(f"{NS}.online_arbitration_rate_min"),
            "ratio",
        ),
    ),
)
