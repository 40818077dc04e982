"""What the money is: the amount due, and the ceiling (最高 / 不超过 / 为限额) when a text sets one.

A :class:`~jiuye.engine.measure.Part` is either an amount due (``quantity × rate``) or, when
declared ``ceiling=True``, an up-to figure. A ceiling part may name the fact that settles the
amount due (``due``: the tax actually payable, say); the amount due is then the smaller of the two.
Without that fact the row still qualifies, with its ceiling and no amount: the bureau sets the
amount within the ceiling, and no budget or payment counts a ceiling as money due.

When several rows of one beneficiary share one such fact (an enterprise's tax payable covers all
its hires), ``due_pool`` names the keys of that pool; the rows draw on it in event order, so the
rows' amounts add up to the smaller of the pool and the sum of their ceilings.
"""

from __future__ import annotations

import functools
import operator

import polars as pl

from jiuye.engine.measure import Measure, Part
from jiuye.money import PPM, mul_ratio
from jiuye.params import Params

__all__ = ["AmountColumns", "amount_columns", "due_col", "has_ceiling", "part_column_names", "part_columns"]


def _part_cols(i: int) -> tuple[str, str, str]:
    return f"p{i}__qty", f"p{i}__rate", f"p{i}__fen"


def due_col(i: int) -> str:
    """The amount due of a ceiling part (the part's ``__fen`` column holds its ceiling)."""
    return f"p{i}__due"


def _fact_col(i: int) -> str:
    return f"p{i}__duefact"


def has_ceiling(measure: Measure) -> bool:
    return any(part.ceiling for part in measure.parts)


class AmountColumns:
    """The row's amount due and ceiling as expressions, over the frame that holds their columns."""

    def __init__(self, lf: pl.LazyFrame, due: pl.Expr, ceiling: pl.Expr, known: pl.Expr) -> None:
        self.lf = lf
        self.due = due  # null when a fact the amount needs is unknown
        self.ceiling = ceiling  # null for measures without a ceiling part
        self.known = known  # every part's figure (amount or ceiling) could be computed


def part_columns(measure: Measure, p: Params, lf: pl.LazyFrame) -> pl.LazyFrame:
    """Each part's quantity, rate and figure with the parameters ``p`` (one epoch's), and the fact
    that settles a ceiling's amount due."""
    for i, part in enumerate(measure.parts):
        q, r, f = _part_cols(i)
        sub = mul_ratio(pl.col(q), pl.col(r), PPM) if part.ratio else pl.col(q) * pl.col(r)
        lf = lf.with_columns(part.quantity(p).cast(pl.Int64).alias(q), part.rate(p).cast(pl.Int64).alias(r))
        lf = lf.with_columns(sub.alias(f))
        if part.ceiling and part.due is not None:
            lf = lf.with_columns(part.due(p).cast(pl.Int64).alias(_fact_col(i)))
    return lf


def part_column_names(measure: Measure) -> list[str]:
    """The columns :func:`part_columns` adds (all Int64)."""
    names: list[str] = []
    for i, part in enumerate(measure.parts):
        names += _part_cols(i)
        if part.ceiling and part.due is not None:
            names.append(_fact_col(i))
    return names


def _due_of(part: Part, i: int, eligible: pl.Expr) -> pl.Expr:
    fact, ceiling = pl.col(_fact_col(i)), pl.col(_part_cols(i)[2])
    if not part.due_pool:  # (min_horizontal skips nulls: an unknown fact must stay unknown)
        return pl.when(fact.is_not_null()).then(pl.min_horizontal(ceiling, fact).clip(lower_bound=0)).cast(pl.Int64)
    drawn = pl.when(eligible).then(ceiling).otherwise(pl.lit(0, dtype=pl.Int64))
    before = drawn.cum_sum().over(list(part.due_pool), order_by=["event_date", "row_id"]) - drawn
    left = (fact - before).clip(lower_bound=0)
    return pl.when(fact.is_not_null()).then(pl.min_horizontal(left, ceiling)).cast(pl.Int64)


def amount_columns(measure: Measure, lf: pl.LazyFrame, base: pl.Expr) -> AmountColumns:
    """The amount due and the ceiling of each row, once all its epochs' rows are together (a pool
    spans epochs); ``base`` is the row's conditions, a pool is drawn on by qualifying rows only."""
    dues: list[pl.Expr] = []
    figures: list[pl.Expr] = []
    for i, part in enumerate(measure.parts):
        f = pl.col(_part_cols(i)[2])
        figures.append(f)
        if not part.ceiling:
            dues.append(f)
        elif part.due is None:
            dues.append(pl.lit(None, dtype=pl.Int64))
        else:
            eligible = base.fill_null(value=False) & f.is_not_null()
            lf = lf.with_columns(_due_of(part, i, eligible).alias(due_col(i)))
            dues.append(pl.col(due_col(i)))
    if not figures:
        none = pl.lit(None, dtype=pl.Int64)
        return AmountColumns(lf, none, none, pl.lit(value=True))
    due = functools.reduce(operator.add, dues)
    total = functools.reduce(operator.add, figures)
    ceiling = total if has_ceiling(measure) else pl.lit(None, dtype=pl.Int64)
    return AmountColumns(lf, due, ceiling, total.is_not_null())
