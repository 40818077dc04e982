"""The budget a match implies: by measure, fund, region and month, equal to the decisions' sum.

A grant's month is its event's month (the hire, the internship start, the business registration,
the certificate...) or, for enterprise-level measures, the as-of month. Decisions that lost an
exclusive choice (``selected`` false) are not budgeted.
"""

from __future__ import annotations

import polars as pl

from jiuye.catalog import FUND_NAMES
from jiuye.engine.evaluate import ELIGIBLE
from jiuye.matching.run import MatchResult

__all__ = ["budget_summary", "budget_totals"]


def budget_summary(result: MatchResult) -> pl.DataFrame:
    """One line per (measure, fund, region, month): beneficiaries, rows and amount in fen."""
    payable = result.decisions.filter(
        (pl.col("status") == ELIGIBLE) & pl.col("selected") & pl.col("pays_money")
    ).select("measure", "subject_id", "fund")
    lines = result.eligible_rows.join(payable, on=["measure", "subject_id"], how="inner")
    titles = pl.DataFrame({"measure": [m.id for m in result.measures], "title": [m.title for m in result.measures]})
    return (
        lines.group_by("measure", "fund", "region", "month")
        .agg(
            pl.col("subject_id").n_unique().alias("beneficiaries"),
            pl.col("rows").sum().alias("items"),
            pl.col("amount_fen").sum().alias("amount_fen"),
        )
        .join(titles, on="measure", how="left")
        .with_columns(pl.col("fund").replace_strict(FUND_NAMES, default=pl.col("fund")).alias("fund_name"))
        .sort("measure", "region", "month")
        .select("measure", "title", "fund", "fund_name", "region", "month", "beneficiaries", "items", "amount_fen")
    )


def budget_totals(summary: pl.DataFrame) -> pl.DataFrame:
    """Totals by fund (失业保险基金, 就业补助资金, 财政资金, 税收减免)."""
    return (
        summary.group_by("fund", "fund_name")
        .agg(pl.col("beneficiaries").sum(), pl.col("amount_fen").sum())
        .sort("fund")
    )
