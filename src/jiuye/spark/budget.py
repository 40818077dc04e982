"""The budget of a Spark match: aggregated on Spark, exactly as ``budget_summary`` does locally.

The lines are few (measures × funds × counties × months), so they are collected to the driver
and finished by the same code as the local budget (titles, fund names, order, types).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import polars as pl

from jiuye.engine.evaluate import ELIGIBLE
from jiuye.engine.measure import Measure
from jiuye.matching.budget import budget_lines
from jiuye.policies.registry import all_measures
from jiuye.regions import prefix_of
from jiuye.spark.bridge import collect

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["rows_within", "spark_budget"]

_AGGREGATED = {
    "measure": pl.String(),
    "fund": pl.String(),
    "region": pl.String(),
    "month": pl.Date(),
    "beneficiaries": pl.Int64(),
    "items": pl.Int64(),
    "amount_fen": pl.Int64(),
    "ceiling_fen": pl.Int64(),
}


def rows_within(rows: DataFrame, region: str) -> DataFrame:
    """The rows located within ``region``, as the local matcher keeps them (``region_in``): decide
    and budget these for a region's match."""
    from pyspark.sql import functions as sf

    located = sf.col("region")
    prefix = prefix_of(region)
    return rows.where(located.startswith(prefix) if prefix else located.isNotNull())


def spark_budget(rows: DataFrame, decisions: DataFrame, measures: Iterable[Measure] | None = None) -> pl.DataFrame:
    """By measure, fund, region and month: beneficiaries, eligible rows and amount in fen.

    ``rows`` are those of :func:`jiuye.spark.spark_rows` within the region (:func:`rows_within`),
    ``decisions`` what :func:`jiuye.spark.spark_decisions` makes of them. A beneficiary's eligible
    rows are budgeted when its decision is eligible, selected (not the loser of an exclusive
    choice) and pays money; each row counts in its own region and in the month of its event.
    """
    from pyspark.sql import functions as sf

    chosen = list(measures) if measures is not None else all_measures()
    spark = rows.sparkSession
    paying = spark.createDataFrame([(m.id, m.fund) for m in chosen if m.pays_money], "measure string, fund string")
    payable = (
        decisions.where((sf.col("status") == ELIGIBLE) & sf.col("selected"))
        .select("measure", "subject_id")
        .join(sf.broadcast(paying), "measure")
    )
    aggregated = (
        rows.where(sf.col("status") == ELIGIBLE)
        .join(payable, ["measure", "subject_id"])
        .groupBy("measure", "fund", "region", sf.trunc("event_date", "month").alias("month"))
        .agg(
            sf.countDistinct("subject_id").alias("beneficiaries"),
            sf.count(sf.lit(1)).alias("items"),
            sf.coalesce(sf.sum("amount_fen"), sf.lit(0)).alias("amount_fen"),
            # ceilings apart, only where no amount due is settled (as the local budget)
            sf.coalesce(sf.sum(sf.when(sf.col("amount_fen").isNull(), sf.col("ceiling_fen"))), sf.lit(0)).alias(
                "ceiling_fen"
            ),
        )
    )
    return budget_lines(collect(aggregated, _AGGREGATED), chosen)
