"""Experience parsing: board categories, graduates, Chinese numerals, errors, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.jobs.parsing import Experience, FieldParseError, format_experience, parse_experience


@pytest.mark.parametrize(
    ("text", "low", "high", "graduates"),
    [
        ("3-5年", 3, 5, False),
        ("3-5年经验", 3, 5, False),
        ("3-4年工作经验", 3, 4, False),
        ("1年经验", 1, 1, False),
        ("2年工作经验", 2, 2, False),
        ("10年以上经验", 10, None, False),
        ("10年以上", 10, None, False),
        ("3年及以上", 3, None, False),
        ("无需经验", 0, None, False),
        ("无工作经验", 0, None, False),
        ("经验不限", 0, None, False),
        ("不限", 0, None, False),
        ("应届", 0, 0, True),
        ("应届生", 0, 0, True),
        ("应届毕业生", 0, 0, True),
        ("在校生/应届生", 0, 0, True),
        ("1年以下", 0, 1, False),
        ("1年以内", 0, 1, False),
        ("一年以上", 1, None, False),
        ("三年以上工作经验", 3, None, False),
        ("十年以上经验", 10, None, False),
        ("要求3年以上相关工作经验", 3, None, False),
        ("３－５年", 3, 5, False),
    ],
)
def test_board_forms(text: str, low: int, high: int | None, graduates: bool) -> None:
    e = parse_experience(text)
    assert e is not None
    assert (e.min_years, e.max_years, e.for_fresh_graduates) == (low, high, graduates)
    assert e.fresh_graduate_ok == (low == 0)


@pytest.mark.parametrize("text", [None, "", "  "])
def test_blank_is_not_stated(text: str | None) -> None:
    assert parse_experience(text) is None


@pytest.mark.parametrize(("text", "needle"), [("经验", "无法识别"), ("很多年", "无法识别"), ("5-3年", "下限")])
def test_errors_name_the_field_in_chinese(text: str, needle: str) -> None:
    with pytest.raises(FieldParseError, match=needle) as info:
        parse_experience(text)
    assert str(info.value).startswith(f"工作经验“{text}”")
    assert isinstance(info.value, ValueError)


def test_invariants() -> None:
    with pytest.raises(ValueError, match="不成立"):
        Experience(5, 3)


@pytest.mark.parametrize(
    ("value", "display"),
    [
        (Experience(3, 5), "3-5年经验"),
        (Experience(1, 1), "1年经验"),
        (Experience(10), "10年以上经验"),
        (Experience(0, 1), "1年以下经验"),
        (Experience(0), "经验不限"),
        (Experience(0, 0, for_fresh_graduates=True), "应届生"),
    ],
)
def test_display(value: Experience, display: str) -> None:
    assert format_experience(value) == display


years = st.tuples(st.integers(1, 40), st.integers(1, 40)).map(sorted)


@given(years, st.sampled_from(["{lo}-{hi}年", "{lo}-{hi}年经验", "{lo}-{hi}年工作经验", "{lo}~{hi}年"]))
def test_ranges_in_every_board_wording(bounds: list[int], template: str) -> None:
    lo, hi = bounds
    e = parse_experience(template.format(lo=lo, hi=hi))
    assert e is not None and (e.min_years, e.max_years) == (lo, hi)


@given(st.integers(1, 40), st.sampled_from(["{n}年以上", "{n}年以上经验", "{n}年以上工作经验"]))
def test_open_ranges(n: int, template: str) -> None:
    e = parse_experience(template.format(n=n))
    assert e is not None and (e.min_years, e.max_years) == (n, None)


@st.composite
def experiences(draw: st.DrawFn) -> Experience:
    if draw(st.booleans()) and draw(st.booleans()):
        return Experience(0, 0, for_fresh_graduates=True)
    lo = draw(st.integers(0, 30))
    hi = draw(st.one_of(st.none(), st.integers(lo, 40)))
    if (lo, hi) == (0, 0):
        hi = None
    return Experience(lo, hi)


@given(experiences())
def test_display_parses_back(e: Experience) -> None:
    assert parse_experience(format_experience(e)) == e
