"""Batch evaluation on Apache Spark: the same measure declarations, distributed by partition.

PySpark is the optional ``spark`` extra (``pip install 'jiuye[spark]'``), imported on first
use. See ``docs/spark.md`` for running on a cluster.
"""

from jiuye.spark.budget import rows_within, spark_budget
from jiuye.spark.evaluate import (
    collect_decisions,
    collect_rows,
    decision_schema,
    evaluate_registry_spark,
    row_schema,
    spark_decisions,
    spark_rows,
)
from jiuye.spark.plan import Group, partition_plan
from jiuye.spark.session import SparkUnavailableError, java_runtime, local_session, require_pyspark
from jiuye.spark.units import SparkUnits, spark_units

__all__ = [
    "Group",
    "SparkUnavailableError",
    "SparkUnits",
    "collect_decisions",
    "collect_rows",
    "decision_schema",
    "evaluate_registry_spark",
    "java_runtime",
    "local_session",
    "partition_plan",
    "require_pyspark",
    "row_schema",
    "rows_within",
    "spark_budget",
    "spark_decisions",
    "spark_rows",
    "spark_units",
]
