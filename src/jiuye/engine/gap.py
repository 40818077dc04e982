"""How far a failed condition is from passing: a gap, declared beside the condition it measures.

A gap is a signed integer expression in one unit. Positive means the direction ``text`` names
("缴费差{}个月": short of a minimum; "年龄超出{}岁": over a maximum); negative, for a range, the
other direction (``text_negative``). A gap of 0, or of the sign the condition has no text for,
means the condition failed for a reason the gap does not measure (another part of it), and no
distance is reported.

>>> import polars as pl
>>> frame = pl.DataFrame({"months": [1, 3, 5]})
>>> frame.select(shortfall(pl.col("months"), 3)).to_series().to_list()
[2, 0, -2]
>>> frame.select(excess_ppm(pl.col("months"), pl.lit(10), 100_000)).to_series().to_list()
[0, 200000, 400000]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from jiuye.money import PPM
from jiuye.params import Params

__all__ = [
    "Gap",
    "GapUnit",
    "count_short_of_share",
    "excess",
    "excess_ppm",
    "format_gap",
    "gap_number",
    "outside",
    "shortfall",
]


class GapUnit(StrEnum):
    """The unit a gap is counted in; it decides only how the number is written."""

    months = "months"
    years = "years"
    days = "days"
    persons = "persons"
    items = "items"  # 项、个: whole things counted
    ppm = "ppm"  # a rate in parts per million, written in percentage points (个百分点)
    fen = "fen"  # money in fen, written in yuan


@dataclass(frozen=True)
class Gap:
    """The distance to passing a condition, with the Chinese words a caseworker reads."""

    amount: Callable[[Params], pl.Expr]
    unit: GapUnit
    text: str  # "缴费差{}个月": {} is the number, written for the unit
    text_negative: str = ""  # a range's other side: "年龄差{}岁" below a minimum


def _int(value: object) -> pl.Expr:
    """A parameter value (None before it is in force) or an expression, as a 64-bit integer."""
    return value.cast(pl.Int64) if isinstance(value, pl.Expr) else pl.lit(value, dtype=pl.Int64)


def shortfall(value: pl.Expr, minimum: object) -> pl.Expr:
    """``value >= minimum`` fails by ``minimum - value``."""
    return _int(minimum) - value.cast(pl.Int64)


def excess(value: pl.Expr, maximum: object) -> pl.Expr:
    """``value <= maximum`` fails by ``value - maximum``."""
    return value.cast(pl.Int64) - _int(maximum)


def outside(value: pl.Expr, low: object, high: object) -> pl.Expr:
    """``low <= value <= high`` fails above by ``value - high`` (positive), below by ``value - low``
    (negative); 0 inside."""
    v, lo, hi = value.cast(pl.Int64), _int(low), _int(high)
    return pl.when(v > hi).then(v - hi).when(v < lo).then(v - lo).otherwise(pl.lit(0, dtype=pl.Int64))


def excess_ppm(numerator: pl.Expr, denominator: pl.Expr, maximum_ppm: object) -> pl.Expr:
    """How far ``numerator ÷ denominator`` is above a maximum rate, in ppm, rounded up so that a
    rate just over the line never reads as 0 (integers only: ceil(n × 10⁶ ÷ d) − max)."""
    n, d = numerator.cast(pl.Int64), denominator.cast(pl.Int64)
    return (n * PPM + d - 1) // d - _int(maximum_ppm)


def count_short_of_share(count: pl.Expr, share_ppm: object, total: pl.Expr) -> pl.Expr:
    """How many more (persons) ``count`` needs to reach ``share`` of ``total``: ceil(share × total) − count."""
    return (_int(share_ppm) * total.cast(pl.Int64) + PPM - 1) // PPM - count.cast(pl.Int64)


def format_gap(amount: int, unit: GapUnit | str) -> str:
    """The number of a gap as a caseworker reads it: ppm in percentage points rounded up to 0.01,
    fen in yuan, everything else as a whole number (:func:`gap_number` on one value, in plain
    Python: a single case words its near misses one at a time).

    >>> format_gap(3000, "ppm"), format_gap(-5001, "ppm"), format_gap(150050, "fen"), format_gap(2, "months")
    ('0.3', '0.51', '1500.50', '2')
    """
    value = abs(amount)
    if unit == GapUnit.ppm:
        whole, hundredths = divmod((value + 99) // 100, 100)
        frac = f"{hundredths:02d}".rstrip("0")
        return f"{whole}.{frac}" if frac else str(whole)
    if unit == GapUnit.fen:
        return f"{value // 100}.{value % 100:02d}"
    return str(value)


def gap_number(amount: pl.Expr, unit: GapUnit | str) -> pl.Expr:
    """The absolute value of a gap written for its unit, for a whole column (see :func:`format_gap`)."""
    value = amount.abs()
    if unit == GapUnit.ppm:
        hundredths = (value + 99) // 100
        whole = (hundredths // 100).cast(pl.String)
        frac = (hundredths % 100).cast(pl.String).str.zfill(2).str.strip_chars_end("0")
        return pl.when(frac == "").then(whole).otherwise(pl.concat_str(whole, pl.lit("."), frac))
    if unit == GapUnit.fen:
        return pl.concat_str((value // 100).cast(pl.String), pl.lit("."), (value % 100).cast(pl.String).str.zfill(2))
    return value.cast(pl.String)
