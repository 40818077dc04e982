"""The reading rules of CATALOG.md, on the shared helpers every measure uses.

《民法典》第一千二百五十九条："以上、以下、以内、届满"包括本数；"不满、超过、以外"不包括本数。
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from jiuye.dates import age_on, full_months
from jiuye.engine import statuses as st
from jiuye.engine import variables as v
from jiuye.params import ParameterSet

D = dt.date


def _one(expr: pl.Expr, **columns: object) -> object:
    frame = pl.DataFrame({k: [val] for k, val in columns.items()})
    return frame.select(expr).item()


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (D(2001, 3, 1), D(2025, 2, 28), 23),  # the day before the 24th birthday
        (D(2001, 3, 1), D(2025, 3, 1), 24),
        (D(2000, 2, 29), D(2025, 2, 28), 24),  # a 29 February birthday counts from 1 March
        (D(2000, 2, 29), D(2025, 3, 1), 25),
        (D(2000, 2, 29), D(2024, 2, 29), 24),
    ],
)
def test_age_is_whole_years_on_the_date(birth: dt.date, on: dt.date, age: int) -> None:
    assert _one(age_on(pl.col("b"), pl.col("d")), b=birth, d=on) == age


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2025, 3, 1), D(2025, 5, 31), 3),
        (D(2025, 3, 1), D(2025, 5, 30), 2),
        (D(2025, 1, 15), D(2025, 2, 14), 1),
        (D(2025, 1, 31), D(2025, 2, 27), 0),
        (D(2025, 6, 1), D(2025, 5, 1), 0),
    ],
)
def test_full_months(start: dt.date, end: dt.date, months: int) -> None:
    assert _one(full_months(pl.col("s"), pl.col("e")), s=start, e=end) == months


def test_full_months_of_an_unknown_date_is_unknown() -> None:
    frame = pl.DataFrame({"s": [None], "e": [D(2025, 5, 31)]}, schema={"s": pl.Date, "e": pl.Date})
    assert frame.select(full_months(pl.col("s"), pl.col("e"))).item() is None


def test_yi_shang_and_yi_xia_include_the_number() -> None:
    assert _one(v.between(pl.col("a"), 16, 24), a=16) is True
    assert _one(v.between(pl.col("a"), 16, 24), a=24) is True
    assert _one(v.between(pl.col("a"), 16, 24), a=25) is False
    assert _one(v.within(pl.col("d"), D(2025, 1, 1), D(2025, 12, 31)), d=D(2025, 12, 31)) is True
    assert _one(v.within(pl.col("d"), D(2025, 1, 1), D(2025, 12, 31)), d=D(2026, 1, 1)) is False
    assert _one(v.within(pl.col("d"), D(2025, 1, 1), None), d=D(2030, 1, 1)) is True


@pytest.mark.parametrize(
    ("layoffs", "insured", "expected"),
    [
        (0, 10, True),
        (11, 200, True),  # 5.5% exactly: "不高于5.5%" includes it
        (12, 200, False),
        (6, 30, True),  # ≤ 30 insured: up to 20%
        (7, 30, False),
        (7, 31, False),
        (None, 100, None),
        (0, None, True),  # no layoffs needs no rate
    ],
)
def test_layoff_rate_limits(layoffs: int | None, insured: int | None, expected: bool | None) -> None:
    frame = pl.DataFrame(
        {"employer_layoffs_last_year": [layoffs], "employer_insured_staff": [insured]},
        schema={"employer_layoffs_last_year": pl.Int64, "employer_insured_staff": pl.Int64},
    )
    assert frame.select(v.layoffs_within(55_000, 30, 200_000)).item() is expected


def test_strict_min_keeps_unknown_unknown() -> None:
    frame = pl.DataFrame({"a": [3, 3], "b": [None, 5]}, schema={"a": pl.Int64, "b": pl.Int64})
    assert frame.select(v.strict_min(pl.col("a"), pl.col("b"))).to_series().to_list() == [None, 3]


def _person(**values: object) -> pl.DataFrame:
    schema = {
        "person_unemployment_registered_on": pl.Date,
        "person_unemployment_registration_ended_on": pl.Date,
        "person_ever_registered_unemployed": pl.Boolean,
        "person_college_graduate": pl.Boolean,
        "person_graduation_date": pl.Date,
        "person_employed_since_graduation": pl.Boolean,
        "person_registered_unemployed": pl.Boolean,
        "person_registered_unemployed_since": pl.Date,
        "day": pl.Date,
    }
    return pl.DataFrame({k: [values.get(k)] for k in schema}, schema=schema)


def test_registration_on_a_day() -> None:
    on = st.registered_unemployed(pl.col("day"), D(2025, 12, 31)).value
    reg = {"person_unemployment_registered_on": D(2025, 1, 10)}
    assert _person(**reg, day=D(2025, 1, 10)).select(on).item() is True
    assert _person(**reg, day=D(2025, 1, 9)).select(on).item() is False
    ended = {**reg, "person_unemployment_registration_ended_on": D(2025, 3, 1)}
    assert _person(**ended, day=D(2025, 3, 1)).select(on).item() is True
    assert _person(**ended, day=D(2025, 3, 2)).select(on).item() is False
    assert _person(day=D(2025, 3, 2)).select(on).item() is None
    assert _person(person_ever_registered_unemployed=False, day=D(2025, 3, 2)).select(on).item() is False


def test_graduates_within_two_years_and_of_the_graduation_year(params: ParameterSet) -> None:
    p = params.at(D(2025, 12, 31))
    within = v.grad_within_2y_unemployed_at(p, pl.col("day"))
    grad = {
        "person_college_graduate": True,
        "person_graduation_date": D(2023, 6, 30),
        "person_employed_since_graduation": False,
    }
    assert _person(**grad, day=D(2025, 6, 30)).select(within).item() is True  # "2年内" includes the day
    assert _person(**grad, day=D(2025, 7, 1)).select(within).item() is False
    assert (
        _person(**{**grad, "person_employed_since_graduation": True}, day=D(2024, 1, 1)).select(within).item() is False
    )
    same_year = v.grad_in_year_at(pl.col("day"))
    assert _person(**grad, day=D(2023, 12, 31)).select(same_year).item() is True
    assert _person(**grad, day=D(2024, 1, 1)).select(same_year).item() is False
    assert _person(person_college_graduate=False, day=D(2024, 1, 1)).select(same_year).item() is False
