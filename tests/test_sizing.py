"""Enterprise size by 工信部联企业〔2011〕300号: both sides of each floor, and the grouping."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from jiuye.sizing import derived_size, industry_group, sizing_table

WAN = 1_000_000


def size(industry: str, staff: int | None, revenue_wan: int | None, assets_wan: int | None = None) -> str | None:
    frame = pl.DataFrame(
        {
            "employer_industry": [industry],
            "employer_staff": [staff],
            "employer_revenue": [None if revenue_wan is None else revenue_wan * WAN],
            "employer_assets": [None if assets_wan is None else assets_wan * WAN],
        },
        schema={
            "employer_industry": pl.String,
            "employer_staff": pl.Int64,
            "employer_revenue": pl.Int64,
            "employer_assets": pl.Int64,
        },
    )
    group = industry_group(pl.col("employer_industry"))
    return frame.select(derived_size(group)).item()


@pytest.mark.parametrize(
    ("staff", "revenue", "expected"),
    [
        (1000, 40000, "large"),  # both at the ceiling: not "以下"
        (999, 40000, "medium"),
        (300, 2000, "medium"),  # medium floors are "及以上"
        (299, 2000, "small"),
        (300, 1999, "small"),
        (20, 300, "small"),
        (19, 300, "micro"),
        (20, 299, "micro"),
        (None, 299, "micro"),  # micro needs only one indicator below the small floor
        (None, 2000, None),  # the staff count decides, and is unknown
    ],
)
def test_industry_thresholds(staff: int | None, revenue: int | None, expected: str | None) -> None:
    assert size("C39", staff, revenue) == expected


def test_construction_uses_revenue_and_assets() -> None:
    assert size("E48", None, 6000, 5000) == "medium"
    assert size("E48", None, 6000, 4999) == "small"
    assert size("E48", None, 80000, 80000) == "large"


def test_other_industries_use_staff_only() -> None:
    assert size("M73", 100, None) == "medium"
    assert size("M73", 99, None) == "small"
    assert size("M73", 9, None) == "micro"


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("5910", "交通运输业"),
        ("5920", "仓储业"),
        ("59", None),
        ("K7020", "物业管理"),
        ("7010", "房地产开发经营"),
        ("C", "工业"),
        ("F", None),
        ("66", None),
        ("53", None),
    ],
)
def test_grouping_needs_enough_digits(code: str, group: str | None) -> None:
    assert pl.select(industry_group(pl.lit(code))).item() == group


def test_thresholds_match_the_reference_table(shared: Path) -> None:
    with (shared / "refdata" / "sme" / "sme_thresholds_2011.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ours = sizing_table()["industries"]
    assert len(rows) == len(ours) == 16
    names = {"emp": "staff", "rev": "revenue", "assets": "assets"}
    for row in rows:
        spec = ours[row["industry"]]
        for column, value in row.items():
            if column in ("no", "industry") or not value:
                continue
            indicator, tier = column.split("_")[0], column.split("_")[1]
            tier = {"sme": "sme", "medium": "medium", "small": "small"}[tier]
            assert spec[tier][names[indicator]] == int(value), (row["industry"], column)


def test_division_grouping_matches_the_reference_table(shared: Path) -> None:
    with (shared / "refdata" / "gbt4754" / "gbt4754_2017_sections_divisions.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        bucket = row["sme_industry_300hao"]
        code = row["division"]
        ours = pl.select(industry_group(pl.lit(code))).item()
        if bucket in sizing_table()["industries"]:
            assert ours == bucket, code
        else:  # split divisions (59, 70), 53 railways, finance, public administration
            assert ours is None or code in ("83", "84"), (code, ours)
