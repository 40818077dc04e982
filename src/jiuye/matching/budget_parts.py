"""The budget of a match, aggregated block by block as the measures are decided.

A budget line is (measure, fund, region, month): beneficiaries, items, amount due and the
ceilings still to be set (:mod:`jiuye.matching.budget`). A measure decided in one block whose
decisions compete with no other measure's has every eligible decision selected, so its eligible
rows are its budget: they are aggregated at once and dropped. The others (several kinds of
beneficiary, or an exclusive choice to make) keep their eligible rows by beneficiary until the
choices are made, then only the selected decisions are budgeted.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from jiuye.engine.evaluate import ELIGIBLE
from jiuye.matching.spool import DecisionSpool

__all__ = ["BLOCK_BUDGET_SCHEMA", "block_budget", "deferred_budget", "eligible_rows"]

BLOCK_BUDGET_SCHEMA = {
    "measure": pl.String,
    "fund": pl.String,
    "region": pl.String,
    "month": pl.Date,
    "beneficiaries": pl.Int64,
    "items": pl.Int64,
    "amount_fen": pl.Int64,
    "ceiling_fen": pl.Int64,
}
_MONTH = pl.col("event_date").dt.truncate("1mo").alias("month")
# a ceiling is budgeted apart, and only where no amount due is settled
_UNSETTLED = pl.col("ceiling_fen").filter(pl.col("amount_fen").is_null()).sum().alias("ceiling_fen")


def block_budget(eligible: pl.DataFrame, measure: str, fund: str | None) -> pl.DataFrame:
    """The budget lines of one block's eligible rows (all selected)."""
    lines = eligible.group_by("region", _MONTH).agg(
        pl.col("subject_id").n_unique().alias("beneficiaries"),
        pl.len().alias("items"),
        pl.col("amount_fen").sum().alias("amount_fen"),
        _UNSETTLED,
    )
    return lines.select(pl.lit(measure).alias("measure"), pl.lit(fund, dtype=pl.String).alias("fund"), pl.all()).select(
        pl.col(c).cast(t) for c, t in BLOCK_BUDGET_SCHEMA.items()
    )


def eligible_rows(eligible: pl.DataFrame, measure: str) -> pl.DataFrame:
    """A block's eligible rows by beneficiary, region and month, kept until its choices are made."""
    return (
        eligible.group_by("subject_id", "region", _MONTH)
        .agg(pl.len().cast(pl.UInt32).alias("rows"), pl.col("amount_fen").sum().alias("amount_fen"), _UNSETTLED)
        .select(pl.lit(measure).alias("measure"), pl.all())
    )


def deferred_budget(rows: pl.DataFrame, spool: DecisionSpool, chosen: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The budget lines of the measures whose rows waited (``eligible_rows``): only the
    beneficiaries whose decision is eligible, selected and pays money. ``chosen``: the decisions
    made by an exclusive choice, not yet in ``spool``."""
    measures = set(rows.get_column("measure").unique().to_list())
    payable = (pl.col("status") == ELIGIBLE) & pl.col("selected") & pl.col("pays_money")
    wanted = ["measure", "subject_id", "fund"]
    frames = [f.lazy().filter(payable & pl.col("measure").is_in(list(measures))).select(wanted) for f in chosen]
    frames.append(spool.scan(near=False, measures=measures).filter(payable).select(wanted))
    decided = pl.concat(frames, how="vertical_relaxed").collect()
    lines = rows.join(decided, on=["measure", "subject_id"], how="inner")
    aggregated = lines.group_by("measure", "fund", "region", "month").agg(
        pl.col("subject_id").n_unique().alias("beneficiaries"),
        pl.col("rows").sum().alias("items"),
        pl.col("amount_fen").sum().alias("amount_fen"),
        pl.col("ceiling_fen").sum().alias("ceiling_fen"),
    )
    return aggregated.select(pl.col(c).cast(t) for c, t in BLOCK_BUDGET_SCHEMA.items())
