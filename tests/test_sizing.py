"""Enterprise size by 工信部联企业〔2011〕300号: both sides of each floor, and the grouping;
the table lookups against the former per-threshold expressions on random employers."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiuye.sizing import industry_group, sizing_table, with_size

WAN = 1_000_000
SCHEMA = {
    "employer_industry": pl.String,
    "employer_staff": pl.Int64,
    "employer_revenue": pl.Int64,
    "employer_assets": pl.Int64,
}


def size(industry: str, staff: int | None, revenue_wan: int | None, assets_wan: int | None = None) -> str | None:
    frame = pl.DataFrame(
        {
            "employer_industry": [industry],
            "employer_staff": [staff],
            "employer_revenue": [None if revenue_wan is None else revenue_wan * WAN],
            "employer_assets": [None if assets_wan is None else assets_wan * WAN],
        },
        schema=SCHEMA,
    )
    return with_size(frame.lazy()).collect()["employer_derived_size"].item()


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


def test_with_size_keeps_rows_and_order() -> None:
    frame = pl.DataFrame(
        {"employer_industry": ["M73", None, "C39", "F"], "employer_staff": [99, 5, 1000, 3]},
        schema={"employer_industry": pl.String, "employer_staff": pl.Int64},
    ).with_columns(pl.lit(None, pl.Int64).alias("employer_revenue"), pl.lit(None, pl.Int64).alias("employer_assets"))
    out = with_size(frame.lazy()).collect()
    assert out.columns == [*frame.columns, "employer_industry_group", "employer_derived_size"]
    assert out["employer_staff"].to_list() == [99, 5, 1000, 3]
    assert out["employer_derived_size"].to_list() == ["small", None, None, None]


# The former derivation (one replace_strict per threshold), kept only as the oracle of the lookups.
def _oracle_group(industry: pl.Expr) -> pl.Expr:
    table = {code: group for group, codes in sizing_table()["divisions"].items() for code in codes}
    digits = industry.str.replace(r"^[A-Z]", "")
    by3 = digits.str.slice(0, 3).replace_strict(table, default=None, return_dtype=pl.String)
    by2 = digits.str.slice(0, 2).replace_strict(table, default=None, return_dtype=pl.String)
    by_section = industry.str.slice(0, 1).replace_strict(
        sizing_table()["sections"], default=None, return_dtype=pl.String
    )
    return (
        pl.when(digits.str.len_chars() >= 3)
        .then(pl.coalesce(by3, by2))
        .when(digits.str.len_chars() == 2)
        .then(by2)
        .otherwise(by_section)
    )


def _oracle_size(group: pl.Expr) -> pl.Expr:
    def threshold(tier: str, indicator: str) -> pl.Expr:
        mapping = {
            name: spec[tier][indicator] * (1 if indicator == "staff" else WAN)
            for name, spec in sizing_table()["industries"].items()
            if indicator in spec[tier]
        }
        return group.replace_strict(mapping, default=None, return_dtype=pl.Int64)

    below, medium, small = [], [], []
    for key in ("staff", "revenue", "assets"):
        value = pl.col(f"employer_{key}")
        c, m, s = threshold("sme", key), threshold("medium", key), threshold("small", key)
        below.append(pl.when(c.is_null()).then(pl.lit(value=False)).otherwise(value < c))
        medium.append(pl.when(m.is_null()).then(pl.lit(value=True)).otherwise(value >= m))
        small.append(pl.when(s.is_null()).then(pl.lit(value=True)).otherwise(value >= s))
    sme, medium_all, small_all = pl.any_horizontal(below), pl.all_horizontal(medium), pl.all_horizontal(small)
    return (
        pl.when(group.is_null() | sme.is_null())
        .then(None)
        .when(sme.not_())
        .then(pl.lit("large"))
        .when(small_all.not_())
        .then(pl.lit("micro"))
        .when(small_all.is_null())
        .then(None)
        .when(medium_all)
        .then(pl.lit("medium"))
        .when(medium_all.not_())
        .then(pl.lit("small"))
        .otherwise(None)
    )


def _codes() -> list[str]:
    table = sizing_table()
    codes = [c for group in table["divisions"].values() for c in group]
    return codes + list(table["sections"]) + ["53", "59", "66", "70", "91", "F", "K", ""]


_INDUSTRY = st.one_of(
    st.none(),
    st.builds(
        lambda letter, code, tail: letter + code + tail,
        st.sampled_from(["", "C", "K", "L", "x"]),
        st.sampled_from(_codes()),
        st.sampled_from(["", "0", "1", "9", "20"]),
    ),
    st.text(alphabet="ACEFLMZ0123456789x§", max_size=5),
)
_STAFF = st.one_of(st.none(), st.sampled_from([0, 4, 5, 9, 10, 20, 99, 100, 299, 300, 999, 1000, 2000, 5000]))
_WAN_VALUES = [0, 49, 50, 99, 100, 299, 300, 500, 1000, 2000, 5000, 8000, 10000, 40000, 80000, 120000, 200000]
_AMOUNT = st.one_of(st.none(), st.sampled_from(_WAN_VALUES).map(lambda v: v * WAN), st.integers(0, 3 * 10**11))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_INDUSTRY, _STAFF, _AMOUNT, _AMOUNT), min_size=1, max_size=40))
def test_lookups_agree_with_the_former_expressions(
    rows: list[tuple[str | None, int | None, int | None, int | None]],
) -> None:
    frame = pl.DataFrame(rows, schema=SCHEMA, orient="row")
    ours = with_size(frame.lazy()).collect()
    group = _oracle_group(pl.col("employer_industry"))
    expected = frame.select(group.alias("group"), _oracle_size(group).alias("size"))
    assert ours["employer_industry_group"].to_list() == expected["group"].to_list()
    assert ours["employer_derived_size"].to_list() == expected["size"].to_list()
