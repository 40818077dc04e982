"""Rows whose event falls before a measure is in force, as a batch needs them: settled, not judged.

In such an epoch the time condition is false, so every row's conditions are false together
(Kleene: ``false & unknown`` is false): the row is ineligible, has no amount, and is no near miss
(:mod:`jiuye.engine.near_miss`). A single case shows every condition of it and so judges them
all; a batch keeps only the status and the money, so it need not compute the variables and
conditions of rows that are often most of a table (hires of earlier years). The later steps
(once-only grants, the amounts) read a few columns of every row; they get the values a judged
row in that epoch would carry for them: no qualifying base, no part figure.
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.amounts import part_column_names
from jiuye.engine.measure import Measure
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP

__all__ = ["settled_rows"]


def settled_rows(measure: Measure, piece: pl.LazyFrame) -> pl.LazyFrame | None:
    """The rows of an epoch not in force with the columns the batch reads after the epochs, or
    None when a later step reads a variable of the measure (then the epoch is judged in full)."""
    later: set[str] = set()
    if measure.once is not None:
        later |= {*measure.once.keys, measure.once.order, measure.once.per_year_of or ""}
    later |= {key for part in measure.parts for key in part.due_pool}
    if later & {v.name for v in measure.variables}:
        return None
    return piece.with_columns(
        pl.lit(value=False, dtype=pl.Boolean).alias("_base"),
        *(pl.lit(None, dtype=pl.Int64).alias(name) for name in part_column_names(measure)),
        pl.lit(None, dtype=pl.String).alias(NEAR_MISS),
        pl.lit(None, dtype=pl.Int64).alias(NEAR_MISS_GAP),
    )
