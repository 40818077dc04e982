"""How pages show things: amounts with thousands separators and 元, dates as 2025年12月31日,
derived labels in simplified characters.

>>> fen(123456789), yuan("1500"), yuan(None)
('1,234,567.89 元', '1,500.00 元', '—')
>>> cn_date(dt.date(2025, 12, 31)), cn_date("2025-01-05"), cn_date(None)
('2025年12月31日', '2025年1月5日', '—')
>>> simplified("職業指導")
'职业指导'
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cache

import opencc

from jiuye.money import fen_to_decimal

__all__ = ["cn_date", "cn_datetime", "fen", "simplified", "yuan"]

_NONE = "—"


def fen(amount: int | None) -> str:
    """Integer fen as yuan."""
    return _NONE if amount is None else f"{fen_to_decimal(amount):,} 元"


def yuan(amount: Decimal | str | int | None) -> str:
    """A yuan amount (Decimal, or the API's decimal string)."""
    if amount is None or amount == "":
        return _NONE
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(amount)
    return f"{value:,} 元"


def cn_date(day: dt.date | str | None) -> str:
    if day is None or day == "":
        return _NONE
    if isinstance(day, str):
        try:
            parsed = dt.date.fromisoformat(day[:10])
        except ValueError:
            return day
        return cn_date(parsed)
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: dt.datetime | None) -> str:
    """Shown in Beijing time (the service stores UTC)."""
    if moment is None:
        return _NONE
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=8)))
    return f"{cn_date(local.date())} {local:%H:%M}"


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str | None) -> str:
    """Traditional to simplified characters (OpenCC), for labels derived from the national
    document's traditional-character copy; quotations are shown as written, not through this."""
    return "" if not text else str(_converter().convert(text))
