"""The budget a match implies: by measure, fund, region and month, equal to the decisions' sum.

A grant's month is its event's month (the hire, the internship start, the business registration,
the certificate...) or, for enterprise-level measures, the as-of month. Decisions that lost an
exclusive choice (``selected`` false) are not budgeted.

``amount_fen`` sums amounts due only. A ceiling (最高, 不超过) is not money due: the grants whose
amount the bureau has still to set within a ceiling are summed apart, in ``ceiling_fen``.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from jiuye.catalog import FUND_NAMES
from jiuye.engine.measure import Measure
from jiuye.matching.run import MatchResult

__all__ = ["BUDGET_SCHEMA", "budget_lines", "budget_summary", "budget_totals"]


def budget_summary(result: MatchResult) -> pl.DataFrame:
    """One line per (measure, fund, region, month): beneficiaries, rows and amount in fen (the
    lines are aggregated as the measures are decided: :mod:`jiuye.matching.budget_parts`)."""
    return budget_lines(result.budget, result.measures)


#: The columns of a budget summary, local or from Spark (``jiuye.spark.spark_budget``).
BUDGET_SCHEMA: dict[str, pl.DataType] = {
    "measure": pl.String(),
    "title": pl.String(),
    "fund": pl.String(),
    "fund_name": pl.String(),
    "region": pl.String(),
    "month": pl.Date(),
    "beneficiaries": pl.Int64(),
    "items": pl.Int64(),
    "amount_fen": pl.Int64(),  # amounts due
    "ceiling_fen": pl.Int64(),  # ceilings of the grants whose amount is still to be set
}


def budget_lines(aggregated: pl.DataFrame, measures: Iterable[Measure]) -> pl.DataFrame:
    """Aggregated budget lines (measure, fund, region, month, beneficiaries, items, amount_fen)
    with the measure's title and the fund's Chinese name, in a stable order."""
    chosen = list(measures)
    titles = pl.DataFrame({"measure": [m.id for m in chosen], "title": [m.title for m in chosen]})
    return (
        aggregated.join(titles, on="measure", how="left")
        .with_columns(pl.col("fund").replace_strict(FUND_NAMES, default=pl.col("fund")).alias("fund_name"))
        .sort("measure", "region", "month")
        .select(pl.col(name).cast(dtype) for name, dtype in BUDGET_SCHEMA.items())
    )


def budget_totals(summary: pl.DataFrame) -> pl.DataFrame:
    """Totals by fund (失业保险基金, 就业补助资金, 财政资金, 税收减免)."""
    return (
        summary.group_by("fund", "fund_name")
        .agg(pl.col("beneficiaries").sum(), pl.col("amount_fen").sum(), pl.col("ceiling_fen").sum())
        .sort("fund")
    )
