"""Posting dates: full dates, month-day with the year from a reference date, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.jobs.parsing import FieldParseError, parse_posting_date

REF = dt.date(2021, 10, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-09-12", dt.date(2019, 9, 12)),
        ("2019/9/2", dt.date(2019, 9, 2)),
        ("2019年9月12日", dt.date(2019, 9, 12)),
        ("10-15发布", dt.date(2021, 10, 15)),
        ("10-14", dt.date(2021, 10, 14)),
        ("9月3日", dt.date(2021, 9, 3)),
        ("11-02", dt.date(2020, 11, 2)),  # after the reference: last year
        ("02-29", dt.date(2020, 2, 29)),
    ],
)
def test_forms(text: str, expected: dt.date) -> None:
    assert parse_posting_date(text, REF) == expected


def test_29_february_goes_back_to_a_leap_year() -> None:
    assert parse_posting_date("02-29", dt.date(2023, 1, 1)) == dt.date(2020, 2, 29)


@pytest.mark.parametrize("text", [None, "", " "])
def test_blank_is_not_stated(text: str | None) -> None:
    assert parse_posting_date(text, REF) is None


@pytest.mark.parametrize(("text", "needle"), [("昨天", "无法识别"), ("13-45", "不存在"), ("2019-02-30", "不存在")])
def test_errors_name_the_field_in_chinese(text: str, needle: str) -> None:
    with pytest.raises(FieldParseError, match=needle) as info:
        parse_posting_date(text, REF)
    assert str(info.value).startswith(f"发布日期“{text}”")


@given(st.dates(dt.date(2001, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 364))
def test_month_day_is_the_latest_such_day_up_to_the_reference(day: dt.date, days_before: int) -> None:
    reference = day + dt.timedelta(days=days_before)
    assert parse_posting_date(f"{day.month:02d}-{day.day:02d}", reference) == day
    assert parse_posting_date(day.isoformat(), reference) == day
