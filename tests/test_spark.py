"""Spark in local mode gives what the local Polars run gives on the same registry.

Skips, saying why, without PySpark or a Java runtime; with ``JIUYE_REQUIRE_SPARK=1`` (as in
``.ci/run``) it fails instead.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pytest

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.calculator import prior_grants_frame
from jiuye.facts import facts_from_data
from jiuye.facts.tables import registry_from_facts, tables_from_registry
from jiuye.matching import match_registry
from jiuye.matching.budget import budget_summary
from jiuye.params import ParameterSet
from jiuye.registry.problems import RegistryError
from jiuye.spark import (
    SparkUnavailableError,
    collect_decisions,
    collect_rows,
    evaluate_registry_spark,
    java_runtime,
    local_session,
    require_pyspark,
    rows_within,
    spark_budget,
    spark_decisions,
    spark_rows,
    spark_units,
)
from random_facts import random_facts

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

AS_OF = [dt.date(2025, 12, 31), dt.date(2026, 3, 1)]
REGION = "450103"
DOCUMENTS = 300
KEY = ["measure", "subject_kind", "subject_id"]


def _unavailable() -> str | None:
    try:
        require_pyspark()
    except SparkUnavailableError as exc:
        return str(exc)
    if java_runtime() is None:
        return "找不到 Java 运行环境（java）；提示：安装 Java 17 或更高版本，或设置 JAVA_HOME"
    return None


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("JIUYE_REQUIRE_SPARK") == "1":
            pytest.fail(f"JIUYE_REQUIRE_SPARK=1 要求运行 Spark 本地模式测试，但{reason}")
        pytest.skip(f"跳过 Spark 本地模式测试：{reason}")
    session = local_session(cores=2, shuffle_partitions=2)
    yield session
    session.stop()


def _merged(documents: int) -> dict[str, list[dict[str, object]]]:
    merged: dict[str, list[dict[str, object]]] = {}
    for seed in range(documents):
        for key, rows in random_facts(seed, tag=f"S{seed}-").items():
            merged.setdefault(key, []).extend(rows)
    return merged


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Random documents as a Parquet registry; employments split in two part files."""
    root = tmp_path_factory.mktemp("registry")
    facts = facts_from_data(_merged(DOCUMENTS))
    for source, frame in registry_from_facts(facts).items():
        table = frame.collect()
        if source == "employments":
            (root / "employments.parquet").mkdir()
            half = table.height // 2
            table.head(half).write_parquet(root / "employments.parquet" / "part-0.parquet")
            table.tail(table.height - half).write_parquet(root / "employments.parquet" / "part-1.parquet")
        else:
            table.write_parquet(root / f"{source}.parquet")
    prior_grants_frame(facts).write_parquet(root / "prior_grants.parquet")
    return root


def _scans(registry: Path) -> dict[str, pl.LazyFrame]:
    return {p.name.removesuffix(".parquet"): pl.scan_parquet(p) for p in registry.iterdir()}


def _local(registry: Path, as_of: dt.date, params: ParameterSet) -> pl.DataFrame:
    tables = _scans(registry)
    prior = tables.pop("prior_grants").collect()
    return evaluate_batch(tables_from_registry(tables), as_of=as_of, region=REGION, params=params, prior=prior)


def _assert_same_rows(spark_rows: pl.DataFrame, local_rows: pl.DataFrame) -> None:
    """Identical rows, ``row_id`` included: both number the unit tables in registry order.
    ``subject_key`` aside: a surrogate of one local call's tables (a Spark partition has none)."""
    assert spark_rows.schema == local_rows.schema
    key = ["measure", "subject_kind", "row_id"]  # a measure with variants has rows of several units
    assert spark_rows["subject_key"].is_null().all()
    assert spark_rows.drop("subject_key").sort(key).equals(local_rows.drop("subject_key").sort(key))


def _assert_same_decisions(spark_decided: pl.DataFrame, local_rows: pl.DataFrame) -> None:
    """Identical decisions, the region (that of a beneficiary's first row) included."""
    local = decide_batch(local_rows).sort(KEY)
    got = spark_decided.sort(KEY)
    assert got.schema == local.schema
    assert got.equals(local)
    assert set(local["status"]) == {"eligible", "ineligible", "needs_facts"}, "随机数据应覆盖三种结论"


def test_spark_local_mode_gives_the_local_rows_and_decisions(
    spark: SparkSession, registry: Path, params: ParameterSet
) -> None:
    units = spark_units(spark, str(registry))
    try:
        # First date: rows and decisions both made on Spark.
        rows = spark_rows(units, as_of=AS_OF[0], region=REGION, params=params).persist()
        got_rows = collect_rows(rows)
        got_decided = collect_decisions(spark_decisions(rows))
        local_rows = _local(registry, AS_OF[0], params)
        _assert_same_rows(got_rows, local_rows)
        _assert_same_decisions(got_decided, local_rows)
        _assert_rows_numbered_in_registry_order(got_rows, registry)
        _assert_region_is_of_the_first_row_in_registry_order(got_decided, got_rows)

        # The budget, aggregated on Spark, is the local matcher's.
        local_budget = budget_summary(match_registry(_scans(registry), as_of=AS_OF[0], region=REGION, params=params))
        assert local_budget["amount_fen"].sum() > 0
        inside = rows_within(rows, REGION)
        assert spark_budget(inside, spark_decisions(inside)).equals(local_budget)
        rows.unpersist()

        # Second date: the collecting entry point, decisions made from the collected rows.
        got_rows = evaluate_registry_spark(spark, units, as_of=AS_OF[1], region=REGION, params=params)
        local_rows = _local(registry, AS_OF[1], params)
        _assert_same_rows(got_rows, local_rows)
        _assert_same_decisions(decide_batch(got_rows), local_rows)
    finally:
        units.unpersist()


def _assert_rows_numbered_in_registry_order(rows: pl.DataFrame, registry: Path) -> None:
    """Hires are numbered in file order across the two part files: row k is the k-th hire."""
    hires = pl.read_parquet(registry / "employments.parquet" / "*.parquet")
    expansion = rows.filter(pl.col("measure") == "gx.expansion").sort("row_id")
    assert expansion["subject_id"].to_list() == hires["employer"].to_list()


def _assert_region_is_of_the_first_row_in_registry_order(decided: pl.DataFrame, rows: pl.DataFrame) -> None:
    first = rows.sort("row_id").group_by(KEY).agg(pl.col("region").first().alias("first_region"))
    assert decided.join(first, on=KEY).filter(pl.col("region").ne_missing(pl.col("first_region"))).is_empty()


def test_duplicated_person_ids_are_refused_naming_file_and_row(spark: SparkSession, tmp_path: Path) -> None:
    facts = facts_from_data(_merged(3))
    for source, frame in registry_from_facts(facts).items():
        table = frame.collect()
        if source == "persons":
            table = pl.concat([table, table.head(1)])
        table.write_parquet(tmp_path / f"{source}.parquet")
    with pytest.raises(RegistryError, match="编号重复") as caught:
        evaluate_registry_spark(spark, str(tmp_path), as_of=AS_OF[0], region=REGION)
    assert "persons.parquet" in str(caught.value)
    assert "第1行" in str(caught.value)
