"""Salary parsing: every form job boards write, errors in Chinese, and board text round trips."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.jobs.parsing import FieldParseError, PayPeriod, Salary, format_salary, parse_salary

M, Y, D, H = PayPeriod.MONTH, PayPeriod.YEAR, PayPeriod.DAY, PayPeriod.HOUR


@pytest.mark.parametrize(
    ("text", "low", "high", "period", "months", "monthly"),
    [
        ("6-8千/月", 6000, 8000, M, None, (6000, 8000)),
        ("1-1.5万/月", 10000, 15000, M, None, (10000, 15000)),
        ("1-1.5万/月·13薪", 10000, 15000, M, 13, (10000, 15000)),
        ("0.8-1.2万/月", 8000, 12000, M, None, (8000, 12000)),
        ("15k-30k", 15000, 30000, M, None, (15000, 30000)),
        ("15K-30K·14薪", 15000, 30000, M, 14, (15000, 30000)),
        ("10-20万/年", 100000, 200000, Y, None, (8333, 16667)),  # ÷12, half up
        ("26-39万/年·13薪", 260000, 390000, Y, 13, (20000, 30000)),  # ÷13 when the months are stated
        ("150元/天", 150, 150, D, None, (3263, 3263)),  # 150 × 21.75 = 3262.5 → 3263
        ("200-300元/天", 200, 300, D, None, (4350, 6525)),
        ("40元/小时", 40, 40, H, None, (6960, 6960)),  # 40 × 21.75 × 8
        ("8000元/月", 8000, 8000, M, None, (8000, 8000)),
        ("8000以上", 8000, None, M, None, (8000, None)),
        ("10万以上/月", 100000, None, M, None, (100000, None)),
        ("1.5千以下/月", None, 1500, M, None, (None, 1500)),
        ("2万以下/年", None, 20000, Y, None, (None, 1667)),
        ("3000-5000", 3000, 5000, M, None, (3000, 5000)),
        ("6千-1.2万/月", 6000, 12000, M, None, (6000, 12000)),
        ("月薪8000", 8000, 8000, M, None, (8000, 8000)),
        ("年薪20万", 200000, 200000, Y, None, (16667, 16667)),
        ("３０００～５０００元／月", 3000, 5000, M, None, (3000, 5000)),
        (" 6 - 8 千 / 月 ", 6000, 8000, M, None, (6000, 8000)),
        ("300元每天", 300, 300, D, None, (6525, 6525)),
    ],
)
def test_board_forms(
    text: str,
    low: int | None,
    high: int | None,
    period: PayPeriod,
    months: int | None,
    monthly: tuple[int | None, int | None],
) -> None:
    s = parse_salary(text)
    assert s is not None
    assert (s.low, s.high, s.period, s.months_per_year, s.negotiable) == (low, high, period, months, False)
    assert (s.monthly_low, s.monthly_high) == monthly
    assert all(isinstance(v, int) for v in monthly if v is not None)


def test_fractional_hour_rates_stay_exact() -> None:
    s = parse_salary("22.5元/小时")
    assert s is not None
    assert s.low == Decimal("22.5") and isinstance(s.low, Decimal)
    assert s.monthly_low == 3915  # 22.5 × 21.75 × 8 = 3915


@pytest.mark.parametrize("text", ["面议", "薪资面议", "薪酬面议", "面谈"])
def test_negotiable_is_a_flag_not_none(text: str) -> None:
    s = parse_salary(text)
    assert s is not None and s.negotiable
    assert s.low is None and s.high is None and s.monthly_low is None
    assert format_salary(s) == "面议"


@pytest.mark.parametrize("text", [None, "", "   ", "\u3000"])
def test_blank_is_not_stated(text: str | None) -> None:
    assert parse_salary(text) is None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("好多钱", "无法识别"),
        ("8000-6000", "下限不应高于上限"),
        ("0-0", "金额应大于0"),
        ("6000-8000以上", "以上/以下"),
        ("10万/周", "无法识别"),
        ("1-1.5万/月·0薪", "N薪"),
    ],
)
def test_errors_name_the_field_in_chinese(text: str, needle: str) -> None:
    with pytest.raises(FieldParseError) as info:
        parse_salary(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(f"薪资“{text}”")
    assert needle in str(info.value)
    assert info.value.field == "薪资"


def test_salary_checks_its_own_invariants() -> None:
    with pytest.raises(ValueError, match="下限"):
        Salary(Decimal(9), Decimal(8))
    with pytest.raises(ValueError, match="面议"):
        Salary(Decimal(9), None, negotiable=True)
    with pytest.raises(ValueError, match="至少"):
        Salary(None, None)


@pytest.mark.parametrize(
    ("text", "display"),
    [
        ("15k-30k", "1.5-3万/月"),
        ("6-8千/月", "6-8千/月"),
        ("8000以上", "8千以上/月"),
        ("10-20万/年", "10-20万/年"),
        ("200-300元/天", "200-300元/天"),
        ("1-1.5万/月·13薪", "1-1.5万/月·13薪"),
        ("8123元/月", "8123元/月"),
    ],
)
def test_display(text: str, display: str) -> None:
    s = parse_salary(text)
    assert s is not None and format_salary(s) == display


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


ranges = st.tuples(st.integers(1, 300), st.integers(1, 300)).map(sorted)


@given(ranges, st.sampled_from(["k", "K", "ｋ"]), st.sampled_from(["-", "~", "～", "－"]))
def test_lagou_k_ranges_round_trip(bounds: list[int], k: str, dash: str) -> None:
    lo, hi = bounds
    s = parse_salary(f"{lo}{k}{dash}{hi}{k}")
    assert s is not None
    assert (s.low, s.high, s.period) == (Decimal(lo * 1000), Decimal(hi * 1000), PayPeriod.MONTH)


@given(ranges, st.sampled_from([("千", 100), ("万", 1000)]), st.one_of(st.none(), st.integers(12, 16)))
def test_51job_monthly_ranges_round_trip(bounds: list[int], unit: tuple[str, int], months: int | None) -> None:
    """Tenths of 千 or 万, as 51job writes them (0.8-1.2万/月·13薪)."""
    (lo, hi), (word, tenth) = bounds, unit
    suffix = f"·{months}薪" if months else ""
    text = f"{Decimal(lo) / 10}-{Decimal(hi) / 10}{word}/月{suffix}"
    s = parse_salary(text)
    assert s is not None
    assert (s.low, s.high, s.months_per_year) == (Decimal(lo * tenth), Decimal(hi * tenth), months)
    assert (s.monthly_low, s.monthly_high) == (lo * tenth, hi * tenth)


@given(ranges)
def test_yearly_ranges_convert_by_twelve(bounds: list[int]) -> None:
    lo, hi = bounds
    s = parse_salary(f"{lo}-{hi}万/年")
    assert s is not None
    assert (s.low, s.high, s.period) == (Decimal(lo * 10000), Decimal(hi * 10000), PayPeriod.YEAR)
    assert s.monthly_low == _half_up(Decimal(lo * 10000) / 12)
    assert s.monthly_high == _half_up(Decimal(hi * 10000) / 12)


@given(ranges, st.sampled_from([("天", Decimal("21.75")), ("小时", Decimal("174"))]))
def test_day_and_hour_rates_use_the_statutory_month(bounds: list[int], period: tuple[str, Decimal]) -> None:
    lo, hi = bounds
    word, factor = period
    s = parse_salary(f"{lo}-{hi}元/{word}")
    assert s is not None
    assert (s.low, s.high) == (Decimal(lo), Decimal(hi))
    assert (s.monthly_low, s.monthly_high) == (_half_up(lo * factor), _half_up(hi * factor))


amounts = st.integers(1, 2_000_000).map(Decimal) | st.decimals(
    min_value=Decimal("0.5"), max_value=Decimal("999"), places=1
)


@st.composite
def salaries(draw: st.DrawFn) -> Salary:
    if draw(st.booleans()) and draw(st.booleans()):
        return Salary(None, None, negotiable=True)
    a, b = sorted([draw(amounts), draw(amounts)])
    shape = draw(st.sampled_from(["range", "above", "below"]))
    low, high = {"range": (a, b), "above": (a, None), "below": (None, b)}[shape]
    months = draw(st.one_of(st.none(), st.integers(12, 16)))
    return Salary(low, high, draw(st.sampled_from(list(PayPeriod))), months)


@given(salaries())
def test_display_parses_back_to_the_same_salary(s: Salary) -> None:
    assert parse_salary(format_salary(s)) == s
