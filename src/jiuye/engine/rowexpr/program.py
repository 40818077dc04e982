"""The interface shared by the compiled and the reference row programs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import polars as pl

__all__ = ["Row", "RowProgram", "Stages", "Unsupported", "output_schema"]

#: One row: column name → value, as ``DataFrame.to_dicts()`` gives it.
Row = dict[str, Any]
#: ``with_columns`` calls in order; the expressions of one call read only the columns before it.
Stages = Sequence[Sequence[pl.Expr]]


class Unsupported(Exception):  # noqa: N818 - reads as "rowexpr.Unsupported"
    """An expression the row compiler cannot evaluate (the caller falls back to Polars)."""


class RowProgram(Protocol):
    #: The columns and dtypes after every stage (the input's, then each output in order).
    schema: dict[str, pl.DataType]

    def __call__(self, rows: list[Row]) -> None:
        """Adds (or replaces) each stage's outputs in every row, in place, stage by stage."""


def output_schema(stages: Stages, schema: Mapping[str, pl.DataType]) -> dict[str, pl.DataType]:
    """The schema after the stages, as Polars resolves it (no data is read)."""
    lf = pl.LazyFrame(schema=dict(schema))
    for exprs in stages:
        lf = lf.with_columns(*exprs)
    return dict(lf.collect_schema())
