"""Headcount parsing: numbers, 若干, Chinese numerals, errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.jobs.parsing import FieldParseError, Headcount, format_headcount, parse_headcount


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("招8人", 8),
        ("8人", 8),
        ("招聘12人", 12),
        ("招3名", 3),
        ("招两人", 2),
        ("招十二人", 12),
        ("招若干人", None),
        ("若干人", None),
        ("若干", None),
        ("招１０人", 10),
    ],
)
def test_board_forms(text: str, count: int | None) -> None:
    h = parse_headcount(text)
    assert h is not None and h.count == count
    assert h.unspecified == (count is None)


@pytest.mark.parametrize("text", [None, "", " "])
def test_blank_is_not_stated(text: str | None) -> None:
    assert parse_headcount(text) is None


@pytest.mark.parametrize(
    ("text", "needle"), [("很多人", "无法识别"), ("招0人", "人数应大于0"), ("招二二人", "无法识别")]
)
def test_errors_name_the_field_in_chinese(text: str, needle: str) -> None:
    with pytest.raises(FieldParseError, match=needle) as info:
        parse_headcount(text)
    assert str(info.value).startswith(f"招聘人数“{text}”")


def test_invariant() -> None:
    with pytest.raises(ValueError, match="应大于0"):
        Headcount(0)


@given(st.one_of(st.none(), st.integers(1, 100_000)), st.sampled_from(["招{}人", "{}人"]))
def test_round_trip(count: int | None, template: str) -> None:
    text = template.format("若干" if count is None else count)
    assert parse_headcount(text) == Headcount(count)
    assert parse_headcount(format_headcount(Headcount(count))) == Headcount(count)
