"""Masking of the identifiers in a caseworker list: every ID-number-shaped run in a column is
masked as :func:`jiuye.identifiers.redact` masks it, but only the values that hold a run of 15
digits go through Python; a list of a million registry numbers (P000000001...) is left as it is
in one vectorised test."""

from __future__ import annotations

import polars as pl

from jiuye.identifiers import redact

__all__ = ["masked", "redacted"]

#: The shortest run redact masks is an old 15-digit ID number.
_MAY_HOLD_ID = r"\d{15}"


def redacted(values: pl.Series) -> pl.Series:
    """``values`` (text) with :func:`redact` applied to each value that may hold an ID number."""
    risky = values.str.contains(_MAY_HOLD_ID).fill_null(value=False)
    if not risky.any():
        return values
    fixed = pl.Series([redact(v) for v in values.filter(risky).to_list()], dtype=pl.String)
    return values.scatter(risky.arg_true(), fixed)


def masked(column: str) -> pl.Expr:
    # value by value, so a streaming sink masks each batch as it goes
    return pl.col(column).map_batches(redacted, return_dtype=pl.String, is_elementwise=True)
