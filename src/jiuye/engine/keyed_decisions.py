"""A block's decisions grouped by the beneficiary's integer key instead of its text id.

Rows carry ``subject_key``: the ``person_key`` / ``employer_key`` of their unit table
(:mod:`jiuye.facts.tables`), one per id within one call's tables, null where the table has none.
Grouping 600,000 hires by a UInt32 instead of a text id, and aggregating each part over only the
rows it needs, gives the same decisions, in the same order, several times faster
(``tests/test_engine_decide.py`` holds that they are the same).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP, NO_DISTANCE

__all__ = ["SUBJECT_KEY", "grouped_by_key", "keyed"]

ELIGIBLE, INELIGIBLE, NEEDS_FACTS = "eligible", "ineligible", "needs_facts"

#: The beneficiary's integer key on a row (``person_key``, ``employer_key`` of its unit table;
#: null when the table has none): what rows are grouped by when every id has one.
SUBJECT_KEY = "subject_key"


def keyed(block: pl.DataFrame) -> bool:
    """Whether the block can be grouped by ``subject_key``: the beneficiary's integer key (from
    one unit table, so one key per id), known wherever the id is, on rows in input order."""
    if SUBJECT_KEY not in block.columns or not block["row_id"].is_sorted():
        return False
    keys, ids = block[SUBJECT_KEY].null_count(), block["subject_id"].null_count()
    if keys != ids or keys == 0:
        return keys == ids  # none missing on either side (kept counts: no pass over the rows)
    differ = pl.col(SUBJECT_KEY).is_null() != pl.col("subject_id").is_null()
    return not block.select(differ.any()).item()


def grouped_by_key(block: pl.DataFrame) -> pl.DataFrame:
    """The block step of :mod:`jiuye.engine.decide` by integer key, each part over the rows it
    needs: every beneficiary's first row (input order: its least ``row_id``), the status and sums
    over the rows that are not ineligible, the closest near miss over the near misses (the first
    of equal distances, as by text id); text is gathered from the rows' places at the end."""
    key, eligible = SUBJECT_KEY, pl.col("status") == ELIGIBLE
    rank = (eligible.cast(pl.UInt8) * 2) + (pl.col("status") == NEEDS_FACTS).cast(pl.UInt8)
    rows = block.lazy().with_row_index("_pos")
    firsts = rows.select(key, pl.col("_pos").alias("_first")).filter(pl.col(key).is_first_distinct())
    sums = (
        rows.filter(pl.col("status") != INELIGIBLE)
        .select(
            key,
            rank.alias("_rank"),
            pl.when(eligible).then(pl.col("amount_fen")).alias("_due"),
            (eligible & pl.col("amount_fen").is_null()).alias("_unsettled"),
            pl.when(eligible).then(pl.col("ceiling_fen")).alias("_ceiling"),
        )
        .group_by(key)
        .agg(pl.col("_rank").max(), pl.col("_due").sum(), pl.col("_unsettled").any(), pl.col("_ceiling").sum())
    )
    near = rows.filter(pl.col(NEAR_MISS).is_not_null()).select(
        key, "_pos", pl.col(NEAR_MISS_GAP).abs().fill_null(NO_DISTANCE).alias("_d")
    )
    least = near.group_by(key).agg(pl.col("_d").min().alias("_least"))
    misses = (  # of the nearest, the first row (two plain aggregations: cheaper than a sort)
        near.join(least, on=key)
        .filter(pl.col("_d") == pl.col("_least"))
        .group_by(key)
        .agg(pl.col("_pos").min().alias("_miss"))
    )
    decided = (
        firsts.join(sums, on=key, how="left", nulls_equal=True, maintain_order="left")
        .join(misses, on=key, how="left", maintain_order="left")  # as _grouped_by: none for a null id
        .collect()
    )
    first, closest = decided["_first"], decided["_miss"]
    status = (
        pl.col("_rank")
        .fill_null(0)
        .replace_strict({2: ELIGIBLE, 1: NEEDS_FACTS, 0: INELIGIBLE}, return_dtype=pl.String)
    )
    return decided.select(
        pl.lit(block["subject_id"].gather(first)).alias("subject_id"),
        status.alias("status"),
        pl.when(pl.col("_unsettled")).then(None).otherwise(pl.col("_due").fill_null(0)).alias("amount_fen"),
        pl.col("_ceiling").fill_null(0).alias("ceiling_fen"),
        pl.lit(block["region"].gather(first)).alias("region"),
        pl.lit(block[NEAR_MISS].gather(closest)).alias(NEAR_MISS),
        pl.lit(block[NEAR_MISS_GAP].gather(closest)).alias(NEAR_MISS_GAP),
    )
