"""Batch evaluation: the same measure declarations over whole tables, no trace, columnar.

This is the entry point the registry matcher (政策找人) builds on; the single-case calculator
and this path share :func:`jiuye.engine.evaluate.run_measure`, and a test holds that they agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import polars as pl

from jiuye.engine.amounts import has_ceiling
from jiuye.engine.decide import decide_blocks
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, NEEDS_FACTS, run_measure
from jiuye.engine.measure import Measure, Unit
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP, closest_near_miss, near_misses_off
from jiuye.engine.variants import with_variants
from jiuye.facts.tables import UNITS
from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.registry import all_measures

__all__ = ["aggregate_decisions", "decide_batch", "evaluate_batch", "measure_info"]

_ROW_SCHEMA = {
    "measure": pl.String,
    "subject_kind": pl.String,
    "row_id": pl.UInt32,
    "subject_id": pl.String,
    "subject_key": pl.UInt32,  # the beneficiary's integer key in its unit table (null: none there)
    "region": pl.String,
    "event_date": pl.Date,
    "status": pl.String,
    "amount_fen": pl.Int64,
    "ceiling_fen": pl.Int64,  # an up-to figure (最高, 不超过): never summed with amounts due
    NEAR_MISS: pl.String,
    NEAR_MISS_GAP: pl.Int64,
}


def evaluate_batch(
    tables: Mapping[Unit, pl.DataFrame | pl.LazyFrame],
    *,
    as_of: dt.date,
    region: str | None,
    params: ParameterSet | None = None,
    measures: Iterable[Measure] | None = None,
    prior: pl.DataFrame | None = None,
    near_misses: bool = True,
) -> pl.DataFrame:
    """Row-level results of every measure: one row per unit row (hire, internship...).

    ``near_misses=False`` leaves the near-miss columns null (差一点 is then not looked for): what
    a run that only decides and pays needs, at a third less work per row."""
    if not near_misses:
        with near_misses_off():
            return evaluate_batch(tables, as_of=as_of, region=region, params=params, measures=measures, prior=prior)
    params = params or load_parameters()
    runs = []
    for measure in with_variants(measures if measures is not None else all_measures()):
        table = tables.get(measure.unit)
        if table is None:
            continue
        runs.append(
            run_measure(
                measure,
                table.with_row_index("row_id"),
                params=params,
                as_of=as_of,
                default_region=region,
                location=UNITS[measure.unit].location,
                key_date=UNITS[measure.unit].key_date,
                prior=prior,
                keep_trace=False,
            )
        )
    if not runs:
        return pl.DataFrame(schema=_ROW_SCHEMA)
    frames = [
        run.lazy.with_columns(
            pl.lit(run.measure.id).alias("measure"), pl.lit(run.measure.beneficiary).alias("subject_kind")
        ).select(list(_ROW_SCHEMA))
        for run in runs
    ]
    return pl.concat(frames).collect()


def measure_info(measures: Iterable[Measure]) -> pl.DataFrame:
    """Per measure: catalog order, exclusion group, whether it pays money, fund."""
    chosen = list(measures)
    return pl.DataFrame(
        {
            "measure": [m.id for m in chosen],
            "order": list(range(len(chosen))),
            "exclusion_group": [m.exclusion_group for m in chosen],
            "pays_money": [m.pays_money for m in chosen],
            "fund": [m.fund for m in chosen],
            "has_ceiling": [has_ceiling(m) for m in chosen],
        },
        schema={
            "measure": pl.String,
            "order": pl.Int64,
            "exclusion_group": pl.String,
            "pays_money": pl.Boolean,
            "fund": pl.String,
            "has_ceiling": pl.Boolean,
        },
    )


def aggregate_decisions(rows: pl.LazyFrame, info: pl.DataFrame) -> pl.LazyFrame:
    """Rows → one decision per (measure, beneficiary), before exclusive choices.

    Status: eligible if any row is, else needs_facts if any row is, else ineligible; the amount
    due is the sum over eligible rows (null for measures that pay no money, and when an eligible
    row's amount is not settled); the ceiling is summed apart, for measures that have one. An
    ineligible decision carries its rows' closest near miss (:func:`jiuye.engine.near_miss.closest_near_miss`).
    """
    eligible = pl.col("status") == ELIGIBLE
    due = pl.col("amount_fen").filter(eligible)
    return (
        rows.group_by("measure", "subject_kind", "subject_id", maintain_order=True)
        .agg(
            pl.when(eligible.any())
            .then(pl.lit(ELIGIBLE))
            .when((pl.col("status") == NEEDS_FACTS).any())
            .then(pl.lit(NEEDS_FACTS))
            .otherwise(pl.lit(INELIGIBLE))
            .alias("status"),
            pl.when(due.null_count() > 0).then(None).otherwise(due.sum()).alias("amount_fen"),
            pl.col("ceiling_fen").filter(eligible).sum().alias("ceiling_fen"),
            pl.col("region").get(pl.col("row_id").arg_min()),  # first in input order
            *closest_near_miss(),
        )
        .join(info.lazy(), on="measure", how="left")
        .with_columns(
            pl.when(pl.col("pays_money") & (pl.col("status") == ELIGIBLE))
            .then(pl.col("amount_fen"))
            .otherwise(None)
            .alias("amount_fen"),
            pl.when(pl.col("has_ceiling") & (pl.col("status") == ELIGIBLE))
            .then(pl.col("ceiling_fen"))
            .otherwise(None)
            .alias("ceiling_fen"),
            # an entity that fails the measure: its closest near miss; one that passes has none
            *(pl.when(pl.col("status") == INELIGIBLE).then(pl.col(c)).alias(c) for c in (NEAR_MISS, NEAR_MISS_GAP)),
        )
    )


def decide_batch(rows: pl.DataFrame, measures: Iterable[Measure] | None = None) -> pl.DataFrame:
    """Aggregate rows to one decision per (measure, beneficiary), with exclusive choices made."""
    return decide_blocks(rows, measures if measures is not None else all_measures())
