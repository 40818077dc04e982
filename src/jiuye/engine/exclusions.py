"""Mutually exclusive measures: a beneficiary takes one of a group; the better one is named.

One implementation serves the calculator and the batch: the larger amount wins, ties go to
the measure declared first (catalog order).
"""

from __future__ import annotations

import polars as pl

__all__ = ["select_exclusive"]


def select_exclusive(decisions: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``selected`` (bool) and ``chosen`` (measure id of the group's best choice).

    Input columns: measure, order, subject_kind, subject_id, exclusion_group, status, amount_fen.
    """
    key = ["exclusion_group", "subject_kind", "subject_id"]
    competing = pl.col("exclusion_group").is_not_null() & (pl.col("status") == "eligible")
    ranked = decisions.with_columns(
        pl.when(competing).then(pl.col("amount_fen").fill_null(0)).otherwise(None).alias("_score")
    )
    best = (
        ranked.filter(competing)
        .sort(["_score", "order"], descending=[True, False])
        .group_by(key, maintain_order=True)
        .agg(pl.col("measure").first().alias("chosen"), pl.len().alias("competitors"))
    )
    return (
        ranked.join(best, on=key, how="left", nulls_equal=False)
        .with_columns(
            pl.when(competing & (pl.col("competitors") > 1))
            .then(pl.col("measure") == pl.col("chosen"))
            .otherwise(pl.lit(value=True))
            .alias("selected"),
            pl.when(competing & (pl.col("competitors") > 1)).then(pl.col("chosen")).alias("chosen"),
        )
        .drop("_score", "competitors")
    )
