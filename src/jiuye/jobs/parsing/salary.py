"""Salary as job boards write it → an exact range in yuan per period, plus a whole-yuan monthly equivalent.

Amounts stay exactly as written (``Decimal`` yuan per hour, day, month or year); the monthly equivalent
is whole yuan, rounded half up, from named assumptions (below) — never from floats.

>>> s = parse_salary("1-1.5万/月·13薪")
>>> s.low, s.high, s.period.value, s.months_per_year, s.monthly_low, s.monthly_high
(Decimal('10000'), Decimal('15000'), 'month', 13, 10000, 15000)
>>> parse_salary("10-20万/年").monthly_low
8333
>>> parse_salary("200-300元/天").monthly_high
6525
>>> parse_salary("面议").negotiable
True
>>> parse_salary("") is None
True
>>> format_salary(parse_salary("15K-30K·14薪"))
'1.5-3万/月·14薪'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from jiuye.jobs.parsing.errors import FieldParseError
from jiuye.jobs.parsing.text import normalize

__all__ = [
    "DEFAULT_PERIOD",
    "MONTHS_PER_YEAR",
    "STATUTORY_PAY_DAYS_PER_MONTH",
    "STATUTORY_PAY_HOURS_PER_DAY",
    "PayPeriod",
    "Salary",
    "format_salary",
    "parse_salary",
]

FIELD = "薪资"


class PayPeriod(StrEnum):
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


#: 劳社部发〔2008〕3号《关于职工全年月平均工作时间和工资折算问题的通知》：月计薪天数 = (365天 − 104天) ÷ 12月
#: = 21.75天；日工资 = 月工资收入 ÷ 月计薪天数. A day rate × 21.75 is therefore the statutory monthly equivalent.
STATUTORY_PAY_DAYS_PER_MONTH = Decimal("21.75")
#: Same notice: 小时工资 = 月工资收入 ÷ (月计薪天数 × 8小时). An hourly rate × 21.75 × 8 is the monthly equivalent.
STATUTORY_PAY_HOURS_PER_DAY = 8
#: Assumption: a yearly package is paid as 12 equal monthly salaries unless the posting says "·N薪"
#: (then it is N salaries, so the monthly salary is the yearly figure ÷ N).
MONTHS_PER_YEAR = 12
#: Assumption: boards quote monthly pay (15k-30k, 3000-5000, 8000以上) unless a period is written.
DEFAULT_PERIOD = PayPeriod.MONTH

_UNITS = {"": 1, "元": 1, "块": 1, "k": 1000, "千": 1000, "w": 10000, "万": 10000}
_PERIODS = {
    "月": PayPeriod.MONTH,
    "年": PayPeriod.YEAR,
    "天": PayPeriod.DAY,
    "日": PayPeriod.DAY,
    "小时": PayPeriod.HOUR,
    "时": PayPeriod.HOUR,
}
_PREFIX_PERIODS = {"月薪": PayPeriod.MONTH, "年薪": PayPeriod.YEAR, "日薪": PayPeriod.DAY, "时薪": PayPeriod.HOUR}
_NEGOTIABLE = re.compile(r"^(?:薪资|薪酬|工资|月薪|待遇)?(?:面议|面谈)$")
_AMOUNT = r"\d+(?:\.\d+)?"
_UNIT = r"(?:k|千|w|万)?(?:元|块)?"
_SALARY = re.compile(
    rf"^(?P<prefix>月薪|年薪|日薪|时薪|薪资|薪酬|工资)?:?"
    rf"(?P<lo>{_AMOUNT})(?P<lo_unit>{_UNIT})"
    rf"(?:-(?P<hi>{_AMOUNT})(?P<hi_unit>{_UNIT}))?"
    rf"(?P<open>以上|以下|起)?(?:元)?"
    rf"(?:(?:/|每|一)(?P<period>小时|时|天|日|月|年))?"
    rf"(?:[·*x×,/]?(?P<months>\d+)薪)?$"
)
_HINT = "应形如 6-8千/月、1-1.5万/月·13薪、15k-30k、10-20万/年、200元/天、40元/小时、8000以上 或 面议"


@dataclass(frozen=True, slots=True)
class Salary:
    """A pay range as written: ``low``/``high`` in yuan per ``period`` (``None`` = open end).

    ``monthly_low``/``monthly_high`` are the whole-yuan monthly equivalents (rounded half up):
    day and hour rates use the statutory 21.75 pay days and 8 hours per day, a yearly figure is divided
    by ``months_per_year`` (12 when not stated). A negotiable salary (面议) has no amounts.
    """

    low: Decimal | None
    high: Decimal | None
    period: PayPeriod = DEFAULT_PERIOD
    months_per_year: int | None = None
    negotiable: bool = False
    monthly_low: int | None = field(init=False)
    monthly_high: int | None = field(init=False)

    def __post_init__(self) -> None:
        if self.negotiable and (self.low is not None or self.high is not None):
            raise ValueError("薪资面议时不应同时给出金额")
        if not self.negotiable and self.low is None and self.high is None:
            raise ValueError("薪资应至少有下限或上限，或为面议")
        for amount in (self.low, self.high):
            if amount is not None and amount <= 0:
                raise ValueError(f"薪资金额 {amount} 应大于0")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"薪资下限 {self.low} 高于上限 {self.high}")
        if self.months_per_year is not None and self.months_per_year <= 0:
            raise ValueError(f"每年发薪月数 {self.months_per_year} 应大于0")
        object.__setattr__(self, "monthly_low", self._monthly(self.low))
        object.__setattr__(self, "monthly_high", self._monthly(self.high))

    def _monthly(self, amount: Decimal | None) -> int | None:
        if amount is None:
            return None
        match self.period:
            case PayPeriod.MONTH:
                monthly = amount
            case PayPeriod.YEAR:
                monthly = amount / (self.months_per_year or MONTHS_PER_YEAR)
            case PayPeriod.DAY:
                monthly = amount * STATUTORY_PAY_DAYS_PER_MONTH
            case PayPeriod.HOUR:
                monthly = amount * STATUTORY_PAY_DAYS_PER_MONTH * STATUTORY_PAY_HOURS_PER_DAY
        return int(monthly.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _yuan(amount: str, unit: str) -> Decimal:
    value = Decimal(amount) * _UNITS[unit.rstrip("元块") or unit]
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_salary(raw: str | None) -> Salary | None:
    """Parse board salary text; ``None`` when blank, :class:`FieldParseError` when not understood."""
    text = normalize(raw)
    if text is None:
        return None
    if _NEGOTIABLE.match(text):
        return Salary(None, None, negotiable=True)
    m = _SALARY.match(text)
    if m is None:
        raise FieldParseError(FIELD, raw or "", _HINT)
    lo_unit, hi_unit = m["lo_unit"], m["hi_unit"] or ""
    # "1-1.5万": a unit written once applies to both ends.
    lo_unit, hi_unit = lo_unit or hi_unit, hi_unit or lo_unit
    period = _PERIODS[m["period"]] if m["period"] else _PREFIX_PERIODS.get(m["prefix"] or "", DEFAULT_PERIOD)
    months = int(m["months"]) if m["months"] else None
    lo: Decimal | None = _yuan(m["lo"], lo_unit)
    hi: Decimal | None = _yuan(m["hi"], hi_unit) if m["hi"] else None
    if hi is not None and m["open"]:
        raise FieldParseError(FIELD, raw or "", "范围与“以上/以下”不能同时使用", problem="不成立")
    if m["open"] == "以下":
        lo, hi = None, lo
    elif m["open"] in ("以上", "起"):
        hi = None
    elif hi is None:
        hi = lo
    if (lo is not None and lo <= 0) or (hi is not None and hi <= 0):
        raise FieldParseError(FIELD, raw or "", "金额应大于0", problem="不成立")
    if lo is not None and hi is not None and lo > hi:
        raise FieldParseError(FIELD, raw or "", "下限不应高于上限", problem="不成立")
    if months == 0:
        raise FieldParseError(FIELD, raw or "", "每年发薪月数（N薪）应大于0", problem="不成立")
    return Salary(lo, hi, period, months)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _unit_for(salary: Salary, amounts: list[Decimal]) -> tuple[str, int]:
    if salary.period in (PayPeriod.DAY, PayPeriod.HOUR):
        return "元", 1
    if salary.period is PayPeriod.YEAR or max(amounts) >= 10000:
        unit, size = "万", 10000
    else:
        unit, size = "千", 1000
    # Only round amounts read well in 千/万 (two decimals at most); others are shown in yuan.
    if all((a / size) == (a / size).quantize(Decimal("0.01")) for a in amounts):
        return unit, size
    return "元", 1


_PERIOD_TEXT = {PayPeriod.HOUR: "小时", PayPeriod.DAY: "天", PayPeriod.MONTH: "月", PayPeriod.YEAR: "年"}


def format_salary(salary: Salary) -> str:
    """Canonical display text in the 51job style (``0.8-1.2万/月``, ``6-8千/月``, ``150元/天``, ``10万以上/月``)."""
    if salary.negotiable:
        return "面议"
    amounts = [a for a in (salary.low, salary.high) if a is not None]
    unit, size = _unit_for(salary, amounts)
    lo = _plain(salary.low / size) if salary.low is not None else None
    hi = _plain(salary.high / size) if salary.high is not None else None
    if lo is None:
        body = f"{hi}{unit}以下"
    elif hi is None:
        body = f"{lo}{unit}以上"
    elif lo == hi:
        body = f"{lo}{unit}"
    else:
        body = f"{lo}-{hi}{unit}"
    suffix = f"·{salary.months_per_year}薪" if salary.months_per_year is not None else ""
    return f"{body}/{_PERIOD_TEXT[salary.period]}{suffix}"
