"""Benchmark: the Spark path (local mode) against the local Polars matcher on the same registry.

Run: .venv/bin/python benchmarks/spark_scale.py DIR [--cores 2] [--partitions 8]
DIR is a registry written by ``jiuye synth --persons N --out DIR``. Prints, for Spark in local
mode: building the unit tables (joins, cached), evaluating every measure and writing the rows
to Parquet, deciding per beneficiary and writing the decisions, and the budget; then the local
matcher (read + match) on the same data, and whether the two budgets are equal line by line.

Spark on one 2-core machine is not faster than Polars (it adds serialisation to and from the
JVM): the figure shows what a Spark executor core does per second, which sizes a cluster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2025, 12, 31)
REGION = "450000"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("registry", type=Path)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=8)
    args = parser.parse_args()

    from jiuye.matching import match_registry
    from jiuye.matching.budget import budget_summary
    from jiuye.params import load_parameters
    from jiuye.registry.io import read_registry
    from jiuye.spark import local_session, rows_within, spark_budget, spark_decisions, spark_rows, spark_units

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; Spark local[{args.cores}]")
    params = load_parameters()
    scratch = Path(tempfile.mkdtemp(prefix="jiuye-spark-bench-"))
    spark = local_session(cores=args.cores, shuffle_partitions=args.partitions, driver_memory="8g", quick_start=False)
    try:
        t0 = time.perf_counter()
        units = spark_units(spark, str(args.registry))
        for table in units.tables.values():
            table.count()  # materialise the cache: joins and partitioning
        t1 = time.perf_counter()
        rows_within(spark_rows(units, as_of=AS_OF, region=REGION, params=params), REGION).write.parquet(
            str(scratch / "rows")
        )
        t2 = time.perf_counter()
        rows = spark.read.parquet(str(scratch / "rows"))
        spark_decisions(rows).write.parquet(str(scratch / "decisions"))
        t3 = time.perf_counter()
        budget = spark_budget(rows, spark.read.parquet(str(scratch / "decisions")))
        t4 = time.perf_counter()
        units.unpersist()
    finally:
        spark.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    spark_total = t4 - t0
    print(f"Spark unit tables (joins, cached): {t1 - t0:.1f} s")
    print(f"Spark rows, every measure, written: {t2 - t1:.1f} s")
    print(f"Spark decisions, written: {t3 - t2:.1f} s")
    print(f"Spark budget: {t4 - t3:.1f} s")
    print(f"Spark total: {spark_total:.1f} s")

    t0 = time.perf_counter()
    registry = read_registry(args.registry)
    local = budget_summary(match_registry(registry.tables, as_of=AS_OF, region=REGION, params=params))
    local_seconds = time.perf_counter() - t0
    ratio = spark_total / local_seconds
    print(f"local Polars (read + match + budget): {local_seconds:.1f} s; ratio Spark/local {ratio:.1f}×")
    print(f"budgets equal line by line: {budget.equals(local)}; total {int(local['amount_fen'].sum()) / 100:,.2f} yuan")


if __name__ == "__main__":
    main()
