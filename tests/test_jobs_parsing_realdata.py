"""Every distinct value in the scraped postings of ../shared/jobdata parses (skips when that is absent).

The data stays outside the repository; only counts are asserted here. Exact-match rates are measured by
``benchmarks/job_parsing.py``.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jiuye.jobs.parsing import (
    FieldParseError,
    locate,
    parse_education,
    parse_experience,
    parse_headcount,
    parse_location,
    parse_posting_date,
    parse_salary,
    split_attributes,
)


@pytest.fixture(scope="module")
def jobdata(shared: Path) -> Path:
    path = shared / "jobdata"
    if not path.is_dir():
        pytest.skip("../shared/jobdata/ 不存在：跳过真实招聘数据的解析核对")
    return path


def _items(cell: str | None) -> list[str]:
    return list(ast.literal_eval(cell)) if cell else []


def _failures(values: Iterable[Any], parse: Callable[[Any], object]) -> list[Any]:
    bad = []
    for value in set(values):
        if value is None:
            continue
        try:
            parse(value)
        except FieldParseError:
            bad.append(value)
    return bad


def test_51job_2021(jobdata: Path) -> None:
    df = pl.read_csv(jobdata / "scraped-51job-11yui22" / "job.csv", infer_schema_length=0)
    split = [split_attributes(_items(c)) for c in df["attribute_text"].to_list()]
    assert _failures(df["providesalary_text"].to_list(), parse_salary) == []
    assert _failures([a.experience for a in split], parse_experience) == []
    assert _failures([a.education for a in split], parse_education) == []
    assert _failures([a.headcount for a in split], parse_headcount) == []
    assert _failures(df["workarea_text"].to_list(), parse_location) == []
    assert _failures(df["updatedate"].to_list(), lambda t: parse_posting_date(t, dt.date(2021, 10, 31))) == []


def test_51job_2019(jobdata: Path) -> None:
    df = pl.read_csv(jobdata / "scraped-51job-cugwhzenith" / "51job.csv", infer_schema_length=0)
    cols = [[_items(c) for c in df[name].to_list()] for name in ("工作经验", "学历", "人数")]
    split = [split_attributes([*e, *d, *n], location_first=False) for e, d, n in zip(*cols, strict=True)]
    assert _failures([x for c in df["薪资"].to_list() for x in _items(c)], parse_salary) == []
    assert _failures([a.experience for a in split], parse_experience) == []
    assert _failures([a.education for a in split], parse_education) == []
    assert _failures([a.headcount for a in split], parse_headcount) == []
    dates = [x for c in df["时间"].to_list() for x in _items(c)]
    assert _failures(dates, lambda t: parse_posting_date(t, dt.date(2019, 9, 30))) == []
    places = {x for c in df["地区"].to_list() for x in _items(c)}
    # A few places are no administrative division at all (a development zone written without its city).
    assert len(_failures(places, parse_location)) <= len(places) // 100


def test_lagou_2019(jobdata: Path) -> None:
    df = pl.read_csv(jobdata / "scraped-lagou-jlk1993" / "lagou.csv", infer_schema_length=0)
    assert _failures(df["salary"].to_list(), parse_salary) == []
    assert _failures(df["workYear"].to_list(), parse_experience) == []
    assert _failures(df["education"].to_list(), parse_education) == []
    pairs = zip(df["city"].to_list(), df["district"].to_list(), strict=True)
    assert _failures(pairs, lambda pair: locate(pair[0], pair[1])) == []
