"""A Spark session for one machine (tests, demos), and the check that the ``spark`` extra is there.

On a cluster, ``spark-submit`` makes the session; see ``docs/spark.md``.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jiuye.errors import JiuyeError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["SparkUnavailableError", "java_runtime", "local_session", "require_pyspark"]


class SparkUnavailableError(JiuyeError):
    """PySpark, PyArrow or a Java runtime is missing: the Spark path is an optional extra."""

    code = "SPARK_UNAVAILABLE"


def java_runtime() -> Path | None:
    """The ``java`` Spark would start: ``$JAVA_HOME/bin/java``, else the one on ``PATH``."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return Path(home) / "bin" / "java"
    found = shutil.which("java")
    return Path(found) if found else None


def require_pyspark() -> None:
    """Fail with a Chinese hint when PySpark, PyArrow or pandas (the ``spark`` extra) is missing."""
    for package in ("pyspark", "pyarrow", "pandas"):  # mapInArrow needs all three
        try:
            importlib.import_module(package)
        except ImportError as exc:
            hint = "pip install 'jiuye[spark]'（在源码目录中为 pip install -e '.[spark]'）"
            msg = f"未安装 Spark 运行所需的包 {package}；提示：运行 {hint}"
            raise SparkUnavailableError(msg) from exc


def local_session(
    cores: int = 2,
    shuffle_partitions: int = 4,
    app_name: str = "jiuye",
    *,
    driver_memory: str | None = None,
    quick_start: bool = True,
) -> SparkSession:
    """Spark in local mode: ``cores`` worker threads, few shuffle partitions, no web UI, quiet logs.

    ``driver_memory`` (e.g. ``"8g"``) sizes the JVM, which in local mode also runs the tasks;
    ``quick_start`` keeps the JVM on its quick compiler, which halves short runs (tests) but
    slows long ones (benchmarks).

    The Python workers run this interpreter, so they see the same installed ``jiuye``.
    """
    require_pyspark()
    if java_runtime() is None:
        msg = "找不到 Java 运行环境（java）；提示：安装 Java 17 或更高版本，或设置 JAVA_HOME"
        raise SparkUnavailableError(msg)
    from pyspark.sql import SparkSession

    # PySpark picks the workers' interpreter from the environment when the JVM starts.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder: SparkSession.Builder = SparkSession.builder
    builder = (
        builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        # Tiny local jobs: adaptive execution would run each stage as its own job, and coalesce
        # the shuffle partitions into one, so that a test would no longer spread rows out.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")  # large task results are fetched from this address
    )
    if quick_start:  # short local jobs: the quick JIT compiler alone halves the time of a small run
        builder = builder.config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
    if driver_memory:
        builder = builder.config("spark.driver.memory", driver_memory)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
