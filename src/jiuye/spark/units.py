"""The engine's unit tables, joined by Spark from the same ``UNITS`` spec as :mod:`jiuye.facts.tables`.

Spark only joins and moves registry columns (named ``<prefix>_<field>``, as the engine names
them, still in registry types); inside each partition :func:`engine_table` applies the Polars
conversion of :mod:`jiuye.facts.tables` (money to fen, ratios to ppm), so no column rule is
written twice. The joins are read from ``UNITS[unit].joins``.

Each unit row carries ``_row``: its place in the registry (files by name, then row in file),
which is what the local run's ``with_row_index`` numbers when the table keeps registry order.
Person and employer ids must be unique, as the registry checks require, so a join never
repeats a row.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import polars as pl
from pydantic import BaseModel

from jiuye.engine.measure import Unit
from jiuye.facts.model import PriorGrant
from jiuye.facts.tables import UNITS, _engine_columns, column_label, registry_schema
from jiuye.registry.problems import RegistryError, RowProblem
from jiuye.spark.bridge import collect, spark_schema
from jiuye.spark.plan import partition_plan
from jiuye.spark.session import require_pyspark

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["PRIOR_GRANTS", "ROW", "Registry", "SparkUnits", "engine_table", "spark_units", "unit_schema"]

ROW = "_row"  # the unit row's place in the registry: the row_id of the local run
PRIOR_GRANTS = "prior_grants"
_FILE, _INDEX, _START = "_file", "_index", "_start"  # file, row in that file, file's first row in the table
_STARTS = "_starts"  # the view of where each file starts
_MODELS: dict[str, type[BaseModel]] = {spec.source: spec.model for spec in UNITS.values()}
_PARTNERS = sorted({source for spec in UNITS.values() for _, source, _ in spec.joins})

Registry = str | Path | Mapping[str, "DataFrame"]


@dataclass
class SparkUnits:
    """The unit tables (registry columns plus ``_row``, partitioned as :mod:`jiuye.spark.plan`
    says, cached) and the prior grants, collected: every partition needs all of them."""

    tables: dict[Unit, DataFrame]
    prior: pl.DataFrame
    views: list[str] = field(default_factory=list, repr=False)  # the registry tables, as SQL views

    def unpersist(self) -> None:
        """Release what Spark cached for these tables, and the views they were built from."""
        for frame in self.tables.values():
            frame.unpersist()
        if self.views:  # after unpersisting: dropping a view compares it with every cached plan
            catalog = next(iter(self.tables.values())).sparkSession.catalog
            for view in self.views:
                catalog.dropTempView(view)
            self.views.clear()


def _parts(unit: Unit) -> list[tuple[type[BaseModel], str]]:
    """The entities of a unit table, in column order: the unit's own, then each joined one."""
    spec = UNITS[unit]
    return [(spec.model, spec.prefix), *((_MODELS[source], prefix) for _, source, prefix in spec.joins)]


def unit_schema(unit: Unit) -> dict[str, pl.DataType]:
    """The Polars schema of a Spark unit table: registry columns renamed ``<prefix>_<field>``, then ``_row``."""
    schema: dict[str, pl.DataType] = {}
    for model, prefix in _parts(unit):
        schema.update({f"{prefix}_{name}": dtype for name, dtype in registry_schema(model).items()})
    return {**schema, ROW: pl.Int64()}


def engine_table(unit: Unit, frame: pl.DataFrame) -> pl.DataFrame:
    """A partition of a Spark unit table → the engine's unit table (the Polars conversion), plus ``_row``."""
    converted = [
        _engine_columns(
            frame.lazy().select(pl.col(f"{prefix}_{name}").alias(name) for name in registry_schema(model)),
            model,
            prefix,
        )
        for model, prefix in _parts(unit)
    ]
    return pl.concat([*converted, frame.lazy().select(ROW)], how="horizontal").collect()


def spark_units(spark: SparkSession, registry: Registry) -> SparkUnits:
    """Read a registry (a directory or URI of canonical Parquet tables, or Spark DataFrames by
    table name) and build every unit table. A missing table is an empty one, as locally."""
    require_pyspark()
    from pyspark import StorageLevel

    frames = {source: _read(spark, registry, source) for source in sorted(_MODELS)}
    frames[_STARTS] = _survey(spark, frames)
    tag = uuid.uuid4().hex[:8]
    views = {name: f"jiuye_{tag}_{name}" for name in frames}
    for name, frame in frames.items():
        frame.createOrReplaceTempView(views[name])
    tables = {unit: spark.sql(_unit_sql(unit, views)).persist(StorageLevel.MEMORY_AND_DISK) for unit in UNITS}
    return SparkUnits(tables, _prior(spark, registry), list(views.values()))


def _unit_sql(unit: Unit, views: Mapping[str, str]) -> str:
    """The Spark SQL that builds a unit table from ``UNITS[unit]``, partitioned as the plan says
    (one statement per table: one call to the JVM instead of thousands of column objects)."""
    spec = UNITS[unit]
    columns = [f"b.`{n}` AS `{spec.prefix}_{n}`" for n in registry_schema(spec.model)]
    joins = []
    for i, (fk, source, prefix) in enumerate(spec.joins):
        columns += [f"j{i}.`{n}` AS `{prefix}_{n}`" for n in registry_schema(_MODELS[source])]
        joins.append(f"LEFT JOIN {views[source]} AS j{i} ON b.`{fk}` = j{i}.`id`")
    columns.append(f"s.{_START} + b.{_INDEX} AS {ROW}")
    query = (
        f"SELECT /*+ BROADCAST(s) */ {', '.join(columns)} FROM {views[spec.source]} AS b "
        f"LEFT JOIN {views[_STARTS]} AS s ON b.{_FILE} = s.{_FILE} {' '.join(joins)}"
    )
    plan = partition_plan(unit)
    return f"SELECT * FROM ({query}) DISTRIBUTE BY {', '.join(plan[0].spread)}" if plan else query


def _read(spark: SparkSession, registry: Registry, source: str) -> DataFrame:
    """A registry table with its rows' places (file, row in file); empty when absent."""
    from pyspark.sql import functions as sf

    if isinstance(registry, Mapping):
        given = registry.get(source)
        if given is not None:  # a DataFrame's own order (partition, then row) stands for the file order
            part = sf.spark_partition_id()
            return given.select(
                "*",
                sf.concat(sf.lit(f"{source}:"), sf.lpad(part.cast("string"), 10, "0")).alias(_FILE),
                (sf.monotonically_increasing_id() - sf.shiftleft(part.cast("long"), 33)).alias(_INDEX),
            )
    else:
        found = _read_parquet(spark, str(registry), source, _MODELS[source])
        if found is not None:
            return found.select(
                "*", sf.col("_metadata.file_path").alias(_FILE), sf.col("_metadata.row_index").alias(_INDEX)
            )
    schema = {**registry_schema(_MODELS[source]), _FILE: pl.String(), _INDEX: pl.Int64()}
    return spark.createDataFrame([], spark_schema(schema))


def _read_parquet(spark: SparkSession, root: str, source: str, model: type[BaseModel]) -> DataFrame | None:
    """``<root>/<source>.parquet`` (one file, or a directory of part files) in the canonical schema."""
    from pyspark.errors import AnalysisException

    try:
        return spark.read.schema(spark_schema(registry_schema(model))).parquet(f"{root.rstrip('/')}/{source}.parquet")
    except AnalysisException as exc:
        condition = getattr(exc, "getCondition", None) or exc.getErrorClass  # Spark 4, else 3.5
        if condition() != "PATH_NOT_FOUND":
            raise
    return None


def _survey(spark: SparkSession, frames: Mapping[str, DataFrame]) -> DataFrame:
    """One pass over the registry: where each file's rows start in its table (files by name),
    and partner ids that are not unique (refused, since a join would repeat rows)."""
    from pyspark.sql import functions as sf

    # One aggregation for all: (table, file) → rows, and (id:table, id) → copies.
    keys = [frame.select(sf.lit(s).alias("source"), sf.col(_FILE).alias("key")) for s, frame in frames.items()]
    keys += [frames[s].select(sf.lit(f"id:{s}").alias("source"), sf.col("id").alias("key")) for s in _PARTNERS]
    counted = functools.reduce(lambda a, b: a.unionByName(b), keys).groupBy("source", "key").count()
    found = counted.where(~sf.col("source").startswith("id:") | (sf.col("count") > 1)).collect()
    duplicated = [(r["source"].removeprefix("id:"), r["key"]) for r in found if r["source"].startswith("id:")]
    if duplicated:
        _refuse(frames, duplicated[:20])
    starts: list[tuple[str, int]] = []
    totals: dict[str, int] = {}
    for r in sorted(found, key=lambda r: (r["source"], r["key"])):
        starts.append((r["key"], totals.get(r["source"], 0)))
        totals[r["source"]] = totals.get(r["source"], 0) + r["count"]
    return spark.createDataFrame(starts, f"{_FILE} string, {_START} long")


def _refuse(frames: Mapping[str, DataFrame], duplicated: list[tuple[str, str]]) -> None:
    """Report every row of the repeated ids by file and row, as the registry checks do."""
    from pyspark.sql import functions as sf

    rows = functools.reduce(
        lambda a, b: a.unionByName(b),
        (frames[s].where(sf.col("id") == i).select(sf.lit(s).alias("source"), _FILE, _INDEX) for s, i in duplicated),
    )
    problems = [
        RowProblem(
            unquote(r[_FILE].removeprefix("file:")),
            r[_INDEX] + 1,
            column_label(f"{r['source'].rstrip('s')}_id"),
            "编号重复",
            None,
            "id",
        )
        for r in rows.orderBy(_FILE, _INDEX).collect()
    ]
    raise RegistryError(problems, hint="人员、用人单位的编号须在表内唯一；请先用 jiuye registry check 检查并改正")


def _prior(spark: SparkSession, registry: Registry) -> pl.DataFrame:
    """Prior grants (已享受补贴), collected to the driver: small, and needed whole by every partition."""
    schema = registry_schema(PriorGrant)
    if isinstance(registry, Mapping):
        table = registry.get(PRIOR_GRANTS)
    else:
        table = _read_parquet(spark, str(registry), PRIOR_GRANTS, PriorGrant)
    if table is None:
        return pl.DataFrame(schema=schema)
    return collect(table.select(*schema), schema)
