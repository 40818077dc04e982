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
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from jiuye.matching.decision_table import DecisionTable
from jiuye.matching.masking import masked
from jiuye.matching.sheets import SUBJECT_HEADERS, for_people
from jiuye.policies.registry import all_measures

__all__ = ["NEAR_MISS_HEADERS", "WrittenList", "near_miss_list", "write_near_miss_list"]

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
    shown = [c for c in (*_COLUMNS, "near_miss_gap") if c in rows.columns]
    return (
        rows.lazy()
        .select(  # only the columns shown are sorted (a decision has a dozen more)
            *shown,
            pl.col("measure").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("_order"),
            pl.col("near_miss_gap").abs().alias("_distance"),
        )
        .sort(["_order", "near_miss", "_distance", "region", "subject_id"], nulls_last=True)
        .with_columns(masked("subject_id"), masked("subject_name"))
        .select(shown)
        .collect()
    )


@dataclass
class WrittenList:
    rows: int
    kept: pl.DataFrame | None  # the whole list, when it has no more rows than asked to keep


def write_near_miss_list(table: DecisionTable, path: Path, *, keep: int) -> WrittenList:
    """Write a match's whole near-miss list as CSV (UTF-8 with BOM), measure by measure: the
    list's first key is the measure, so the measures' lists one after the other are the list,
    and only one measure's near misses are in memory at a time."""
    order = {m.id: i for i, m in enumerate(all_measures())}
    groups: dict[int, set[str]] = {}
    for near in (False, True):
        for part in table.result.spool.parts(near=near):
            if part.misses:
                groups.setdefault(order.get(part.measure, len(order)), set()).add(part.measure)
    frames: list[pl.DataFrame] | None = []
    rows = 0
    with path.open("wb") as handle:
        header = near_miss_list(table.scan(near=True).head(0).collect())
        for_people(header, NEAR_MISS_HEADERS).write_csv(handle, include_bom=True)
        for key in sorted(groups):
            measures = groups[key]
            decided = pl.concat(
                [table.scan(near=near, measures=measures, misses=True) for near in (False, True)], how="vertical"
            ).collect()
            listed = near_miss_list(decided)
            for_people(listed, NEAR_MISS_HEADERS).write_csv(handle, include_header=False)
            rows += listed.height
            frames = [*frames, listed] if frames is not None and rows <= keep else None
    kept = None if frames is None else pl.concat([header, *frames], how="vertical")
    return WrittenList(rows, kept)
