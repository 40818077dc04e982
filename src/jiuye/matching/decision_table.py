"""A match's decisions as written to decisions.parquet: each with its measure's title and rule
hash, the beneficiary's name, money in yuan and the near-miss words."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jiuye.engine.near_miss_text import describe_near_misses, near_miss_catalog
from jiuye.matching.run import MatchResult
from jiuye.matching.sheets import yuan

__all__ = ["DECISION_COLUMNS", "decision_table"]

DECISION_COLUMNS = (
    "measure",
    "title",
    "subject_kind",
    "subject_id",
    "subject_name",
    "region",
    "status",
    "amount",
    "ceiling",
    "fund",
    "selected",
    "chosen",
    "rule_hash",
    "near_miss",
    "near_miss_condition",
    "near_miss_gap",
    "near_miss_text",
)


def _names(registry: Mapping[str, pl.LazyFrame]) -> pl.DataFrame:
    frames = []
    for source, kind in (("persons", "person"), ("employers", "employer"), ("businesses", "business")):
        if source in registry:
            frames.append(
                registry[source]
                .select(pl.col("id").alias("subject_id"), pl.col("name").alias("subject_name"))
                .with_columns(pl.lit(kind).alias("_kind"))
                .collect()
            )
    if not frames:
        return pl.DataFrame(schema={"subject_id": pl.String, "subject_name": pl.String, "_kind": pl.String})
    return pl.concat(frames)


def _near_miss_catalog(result: MatchResult) -> pl.DataFrame:
    if result.near_miss_conditions is not None:
        return result.near_miss_conditions
    from jiuye.params import load_parameters

    return near_miss_catalog(result.measures, load_parameters().at(result.as_of))


def _described(decisions: pl.DataFrame, catalog: pl.DataFrame) -> pl.DataFrame:
    """Near-miss words on the decisions that have a near miss (a join only where there are some)."""
    if decisions.get_column("near_miss").null_count() == decisions.height:
        return decisions.with_columns(
            pl.lit(None, dtype=pl.String).alias("near_miss_condition"),
            pl.lit(None, dtype=pl.String).alias("near_miss_text"),
        )
    return describe_near_misses(decisions, catalog)


def decision_table(result: MatchResult, registry: Mapping[str, pl.LazyFrame]) -> pl.DataFrame:
    """The decisions, then the near misses, in the match's order (measures as in the catalog,
    then by beneficiary): row ``i`` < ``result.decisions.height`` is ``result.decisions`` row ``i``."""
    titles = pl.DataFrame(
        {
            "measure": [m.id for m in result.measures],
            "title": [m.title for m in result.measures],
            "rule_hash": [result.rules[m.id].rule_hash if m.id in result.rules else None for m in result.measures],
        },
        schema_overrides={"rule_hash": pl.String},
    )
    names = _names(registry)
    kinds = pl.col("subject_kind").replace({"agency": "employer"})
    catalog = _near_miss_catalog(result)
    frames = [result.decisions, *([result.near_misses] if result.near_misses is not None else [])]
    described = pl.concat([_described(f, catalog) for f in frames], how="diagonal_relaxed")
    return (
        described.with_columns(kinds.alias("_kind"))
        .join(names, on=["_kind", "subject_id"], how="left", maintain_order="left")
        .join(titles, on="measure", how="left", maintain_order="left")
        .with_columns(yuan(), yuan("ceiling_fen", "ceiling"))
        .select(DECISION_COLUMNS)
    )
