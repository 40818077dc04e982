"""Exact money: amounts are integer fen inside the engine and Decimal yuan at the edges.

>>> to_fen(Decimal("1500"))
150000
>>> fen_to_decimal(150001)
Decimal('1500.01')
>>> format_yuan(300000)
'3,000.00元'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

__all__ = ["PPM", "Decimal", "fen_to_decimal", "format_yuan", "mul_ratio", "ratio_to_ppm", "to_fen"]

#: Ratios are carried as integer parts per million so that vectorised arithmetic stays exact.
PPM = 1_000_000


def to_fen(yuan: Decimal | int | str) -> int:
    """Convert yuan to integer fen; refuses sub-fen precision instead of rounding silently."""
    d = Decimal(str(yuan)) * 100
    if d != d.to_integral_value():
        msg = f"金额 {yuan} 元精确到分以下，无法精确表示；提示：金额最多保留两位小数"
        raise ValueError(msg)
    return int(d)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_yuan(fen: int) -> str:
    return f"{fen_to_decimal(fen):,}元"


def ratio_to_ppm(ratio: Decimal | str | int) -> int:
    """Exact ratio in parts per million (0.055 → 55000)."""
    d = Decimal(str(ratio)) * PPM
    if d != d.to_integral_value():
        msg = f"比例 {ratio} 超过六位小数，无法精确表示"
        raise ValueError(msg)
    return int(d)


def mul_ratio(expr: pl.Expr, num: pl.Expr | int, den: pl.Expr | int) -> pl.Expr:
    """``expr × num ÷ den`` rounded half-up to an integer, exactly (inputs are non-negative ints)."""
    num_e = num if isinstance(num, pl.Expr) else pl.lit(num, dtype=pl.Int64)
    den_e = den if isinstance(den, pl.Expr) else pl.lit(den, dtype=pl.Int64)
    return (expr.cast(pl.Int64) * num_e * 2 + den_e) // (den_e * 2)


def round_yuan(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
