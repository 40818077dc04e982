"""Evaluate every measure over a registry with the engine's own declarations, measure by measure.

Each measure is one lazy Polars query (scan → unit table → conditions → decisions), so a registry
larger than memory streams; only decisions that are not "ineligible" are kept (plus counts of all),
which is what a bureau acts on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import polars as pl

from jiuye.batch import aggregate_decisions, measure_info
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, run_measure
from jiuye.engine.exclusions import select_exclusive
from jiuye.engine.measure import Measure
from jiuye.facts.tables import UNITS, tables_from_registry
from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.registry import all_measures
from jiuye.regions import region_in

__all__ = ["MatchResult", "match_registry"]

Progress = Callable[[Measure], None]


@dataclass
class MatchResult:
    as_of: dt.date
    region: str
    decisions: pl.DataFrame  # eligible and needs_facts decisions (all, with keep_ineligible)
    counts: pl.DataFrame  # measure, status, decisions, amount_fen: over every decision
    eligible_rows: pl.DataFrame  # measure, subject_id, region, month, rows, amount_fen
    measures: list[Measure] = field(default_factory=list)


def _prior(registry: Mapping[str, pl.LazyFrame]) -> pl.DataFrame | None:
    grants = registry.get("prior_grants")
    if grants is None:
        return None
    return grants.select("measure", "person", "employer", "granted_on").collect()


def match_registry(
    registry: Mapping[str, pl.LazyFrame],
    *,
    as_of: dt.date,
    region: str,
    params: ParameterSet | None = None,
    measures: Iterable[Measure] | None = None,
    keep_ineligible: bool = False,
    progress: Progress | None = None,
) -> MatchResult:
    """Every measure over the registry's entities located within ``region``."""
    params = params or load_parameters()
    chosen = list(measures) if measures is not None else all_measures()
    info = measure_info(chosen)
    tables = tables_from_registry(registry)
    prior = _prior(registry)
    kept, counts, rows_out = [], [], []
    for measure in chosen:
        spec = UNITS[measure.unit]
        run = run_measure(
            measure,
            tables[measure.unit].with_row_index("row_id"),
            params=params,
            as_of=as_of,
            default_region=region,
            location=spec.location,
            prior=prior,
            keep_trace=False,
            key_date=spec.key_date,
        )
        rows = run.lazy.filter(region_in(pl.col("region"), region).fill_null(value=False)).with_columns(
            pl.lit(measure.id).alias("measure"), pl.lit(measure.beneficiary).alias("subject_kind")
        )
        decisions = aggregate_decisions(rows, info)
        wanted = decisions if keep_ineligible else decisions.filter(pl.col("status") != INELIGIBLE)
        tally = decisions.group_by("measure", "status").agg(
            pl.len().alias("decisions"), pl.col("amount_fen").sum().alias("amount_fen")
        )
        eligible = (
            rows.filter(pl.col("status") == ELIGIBLE)
            .group_by("measure", "subject_id", "region", pl.col("event_date").dt.truncate("1mo").alias("month"))
            .agg(pl.len().alias("rows"), pl.col("amount_fen").sum().alias("amount_fen"))
        )
        got = pl.collect_all([wanted, tally, eligible])
        kept.append(got[0])
        counts.append(got[1])
        rows_out.append(got[2])
        if progress:
            progress(measure)
    decided = select_exclusive(pl.concat(kept, how="vertical_relaxed").lazy()).collect()
    return MatchResult(
        as_of=as_of,
        region=region,
        decisions=decided,
        counts=pl.concat(counts, how="vertical_relaxed"),
        eligible_rows=pl.concat(rows_out, how="vertical_relaxed"),
        measures=chosen,
    )
