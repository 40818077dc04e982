"""Polars ⇄ Arrow ⇄ Spark: one schema mapping, so rows cross the boundary unchanged.

PySpark and PyArrow are the optional ``spark`` extra: they are imported on first use, so this
module (and the doctests of the package) import without them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType, StructType

__all__ = ["arrow_schema", "batches_from_frame", "collect", "frame_from_batches", "spark_schema"]

Schema = Mapping[str, pl.DataType]


def _types(dtype: pl.DataType) -> tuple[DataType, pa.DataType]:
    import pyarrow as pa
    from pyspark.sql import types as st

    if dtype == pl.String:
        return st.StringType(), pa.string()
    if dtype in (pl.Int64, pl.UInt32):  # Spark has no unsigned integers: row ids travel as int64
        return st.LongType(), pa.int64()
    if dtype == pl.Date:
        return st.DateType(), pa.date32()
    if dtype == pl.Boolean:
        return st.BooleanType(), pa.bool_()
    if isinstance(dtype, pl.Decimal):
        precision = dtype.precision or 38
        return st.DecimalType(precision, dtype.scale), pa.decimal128(precision, dtype.scale)
    msg = f"列类型 {dtype} 无法在 Spark 与 Polars 之间传递；提示：登记表只应含日期、布尔、整数、定点小数与文本列"
    raise TypeError(msg)


def spark_schema(schema: Schema) -> StructType:
    """The Spark struct for a Polars schema (all columns nullable, as in the registries)."""
    from pyspark.sql import types as st

    return st.StructType([st.StructField(name, _types(dtype)[0], nullable=True) for name, dtype in schema.items()])


def arrow_schema(schema: Schema) -> pa.Schema:
    """The Arrow schema Spark expects for a Polars schema (see :func:`spark_schema`)."""
    import pyarrow as pa

    return pa.schema([pa.field(name, _types(dtype)[1]) for name, dtype in schema.items()])


def frame_from_batches(batches: Iterable[pa.RecordBatch], schema: Schema) -> pl.DataFrame:
    """All Arrow batches of a partition as one Polars frame with exactly ``schema``."""
    import pyarrow as pa

    chunks = list(batches)
    if not chunks:
        return pl.DataFrame(schema=dict(schema))
    frame = pl.from_arrow(pa.Table.from_batches(chunks))
    assert isinstance(frame, pl.DataFrame)
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def batches_from_frame(frame: pl.DataFrame, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """A Polars frame as Arrow batches of the Spark-side ``schema`` (columns in its order)."""
    table = frame.select(schema.names).to_arrow().cast(schema)
    yield from table.to_batches()


def collect(frame: DataFrame, schema: Schema) -> pl.DataFrame:
    """Collect a Spark DataFrame to the driver as Polars, through Arrow (no Python rows)."""
    to_arrow: Any = getattr(frame, "toArrow", None)  # Spark ≥ 4.0; 3.5 has only the private method
    if to_arrow is not None:
        table: pa.Table = to_arrow()
        return frame_from_batches(table.to_batches(), schema)
    legacy: Any = frame
    return frame_from_batches(legacy._collect_as_arrow(), schema)
