"""政策找人"差一点"名单: the entities that fail a measure by one condition, closest first.

A caseworker follows these up: a hire one contribution month short of the expansion subsidy is
eligible next month; an enterprise whose layoff rate is 0.3 percentage points over the line may
have miscounted. The list is made from the decisions of a match (``decisions.parquet``), so it
can be cut again later without re-running the match (``jiuye near-misses``).

Order: measures as in the catalogue, then the failed condition, then the gap, smallest first
(gaps of one condition share a unit); near misses without a distance come last. Identifiers
shaped like ID numbers are masked.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from jiuye.matching.masking import masked
from jiuye.matching.sheets import SUBJECT_HEADERS
from jiuye.policies.registry import all_measures

__all__ = ["NEAR_MISS_HEADERS", "near_miss_list"]

NEAR_MISS_HEADERS = {
    **SUBJECT_HEADERS,
    "near_miss": "未满足条件编号",
    "near_miss_condition": "未满足的条件",
    "near_miss_text": "差距",
}
_COLUMNS = list(NEAR_MISS_HEADERS)


def near_miss_list(
    decisions: pl.DataFrame,
    *,
    measures: Sequence[str] = (),
    region: str | None = None,
    condition: str | None = None,
) -> pl.DataFrame:
    """The near misses among a match's decisions (with ``near_miss_text``), closest first.

    ``measures``, ``region`` (a code: its prefix up to the trailing zeros) and ``condition``
    narrow the list.
    """
    rows = decisions.filter(pl.col("near_miss").is_not_null())
    if measures:
        rows = rows.filter(pl.col("measure").is_in(list(measures)))
    if region:
        rows = rows.filter(pl.col("region").str.starts_with(region.rstrip("0")))
    if condition:
        rows = rows.filter(pl.col("near_miss") == condition)
    order = {m.id: i for i, m in enumerate(all_measures())}
    return (
        rows.with_columns(
            pl.col("measure").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("_order"),
            pl.col("near_miss_gap").abs().alias("_distance"),
        )
        .sort(["_order", "near_miss", "_distance", "region", "subject_id"], nulls_last=True)
        .with_columns(masked("subject_id"), masked("subject_name"))
        .select([c for c in (*_COLUMNS, "near_miss_gap") if c in rows.columns])
    )
