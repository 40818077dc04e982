"""Every measure over whole registries on Spark: Spark distributes, the engine decides.

Each unit table is partitioned by region so that every window its measures need lies inside
one partition (see :mod:`jiuye.spark.plan`). Each partition then goes, as one Polars frame, to
:func:`jiuye.batch.evaluate_batch`: the same code and declarations as the local run. Decisions
are made per beneficiary by :func:`jiuye.batch.decide_batch` after a shuffle by
(subject_kind, subject_id): the status aggregation and the choice among exclusive measures
both look at one beneficiary's rows only.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.engine.measure import Unit
from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.registry import all_measures, get_measure
from jiuye.spark.bridge import arrow_schema, batches_from_frame, collect, frame_from_batches, spark_schema
from jiuye.spark.plan import partition_plan
from jiuye.spark.units import ROW, Registry, SparkUnits, engine_table, spark_units, unit_schema

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark import Broadcast
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "collect_decisions",
    "collect_rows",
    "decision_schema",
    "evaluate_registry_spark",
    "row_schema",
    "spark_decisions",
    "spark_rows",
]


@functools.cache
def _schemas() -> tuple[dict[str, pl.DataType], dict[str, pl.DataType]]:
    rows = evaluate_batch({}, as_of=dt.date(2025, 1, 1), region=None, params=load_parameters())
    return dict(rows.schema), dict(decide_batch(rows).schema)


def row_schema() -> dict[str, pl.DataType]:
    """The columns of :func:`jiuye.batch.evaluate_batch` (asked of it, not restated here)."""
    return dict(_schemas()[0])


def decision_schema() -> dict[str, pl.DataType]:
    """The columns of :func:`jiuye.batch.decide_batch`."""
    return dict(_schemas()[1])


@dataclass(frozen=True)
class _EvaluatePartition:
    """One partition of a unit table → its rows for a group of measures, by ``evaluate_batch``."""

    unit: Unit
    measure_ids: tuple[str, ...]
    as_of: dt.date
    region: str | None
    params: Broadcast[ParameterSet]
    prior: Broadcast[pl.DataFrame]

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        raw = frame_from_batches(batches, unit_schema(self.unit))
        if raw.is_empty():
            return
        # Registry order inside the partition, so ties in a ``once`` ranking break as in one table.
        table = engine_table(self.unit, raw.sort(ROW))
        rows = evaluate_batch(
            {self.unit: table.drop(ROW)},
            as_of=self.as_of,
            region=self.region,
            params=self.params.value,
            measures=[get_measure(i) for i in self.measure_ids],
            prior=self.prior.value,
        )
        rows = rows.with_columns(table.get_column(ROW).gather(rows.get_column("row_id")).alias("row_id"))
        yield from batches_from_frame(rows, arrow_schema(row_schema()))


def spark_rows(
    units: SparkUnits, *, as_of: dt.date, region: str | None, params: ParameterSet | None = None
) -> DataFrame:
    """Row-level results of every measure as a Spark DataFrame: the columns of ``evaluate_batch``,
    ``row_id`` being the unit row's place in the registry."""
    from pyspark.sql import functions as sf

    context = next(iter(units.tables.values())).sparkSession.sparkContext
    shared_params = context.broadcast(params or load_parameters())
    shared_prior = context.broadcast(units.prior)
    out = spark_schema(row_schema())
    parts = []
    for unit, table in units.tables.items():
        for i, group in enumerate(partition_plan(unit)):
            job = _EvaluatePartition(unit, group.measure_ids, as_of, region, shared_params, shared_prior)
            # The cached table is already partitioned for the first group.
            spread = table if i == 0 else table.repartition(*(sf.expr(e) for e in group.spread))
            parts.append(spread.mapInArrow(job, out))
    return functools.reduce(lambda a, b: a.unionByName(b), parts)


def _catalogue_order() -> pl.Expr:
    order = {m.id: i for i, m in enumerate(all_measures())}
    return pl.col("measure").replace_strict(order, return_dtype=pl.Int64)


@dataclass(frozen=True)
class _DecidePartition:
    """All rows of some beneficiaries → their decisions, by ``decide_batch``."""

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        rows = frame_from_batches(batches, row_schema())
        if rows.is_empty():
            return
        # In the order evaluate_batch emits rows, which decide_batch's "first region" follows.
        decided = decide_batch(rows.sort(_catalogue_order(), "row_id"))
        yield from batches_from_frame(decided, arrow_schema(decision_schema()))


def spark_decisions(rows: DataFrame) -> DataFrame:
    """One decision per (measure, beneficiary), exclusive choices made: ``decide_batch`` per
    beneficiary, after a shuffle that brings all of a beneficiary's rows together."""
    return rows.repartition("subject_kind", "subject_id").mapInArrow(
        _DecidePartition(), spark_schema(decision_schema())
    )


def collect_rows(rows: DataFrame) -> pl.DataFrame:
    """Spark rows → Polars, measures in catalogue order, then by ``row_id``."""
    return collect(rows, row_schema()).sort(_catalogue_order(), "row_id")


def collect_decisions(decisions: DataFrame) -> pl.DataFrame:
    """Spark decisions → Polars, measures in catalogue order, then by beneficiary."""
    return collect(decisions, decision_schema()).sort(_catalogue_order(), "subject_kind", "subject_id")


def evaluate_registry_spark(
    spark: SparkSession,
    registry_dir_or_tables: Registry | SparkUnits,
    *,
    as_of: dt.date,
    region: str | None,
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """What ``evaluate_batch`` gives for the same registry, computed on Spark and collected.

    ``registry_dir_or_tables``: a directory or URI of Parquet tables, Spark DataFrames by table
    name, or :class:`SparkUnits` already built (to evaluate several dates without re-joining).
    Collecting suits a county or a test; for a province write :func:`spark_rows` and
    :func:`spark_decisions` to Parquet instead (``docs/spark.md``).
    """
    units = registry_dir_or_tables
    if not isinstance(units, SparkUnits):
        units = spark_units(spark, units)
    try:
        return collect_rows(spark_rows(units, as_of=as_of, region=region, params=params))
    finally:
        if units is not registry_dir_or_tables:
            units.unpersist()
