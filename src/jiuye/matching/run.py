"""Evaluate every measure over a registry with the engine's own declarations.

Measures are taken unit by unit: the unit table (a person, a hire, an internship...) is read once
with only the columns its measures use, then each measure's rows are computed from it and
aggregated to decisions. Only decisions that are not "ineligible" are kept (with counts of all),
which is what a bureau acts on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import polars as pl

from jiuye.batch import aggregate_decisions, measure_info
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, columns_used, run_measure
from jiuye.engine.exclusions import select_exclusive
from jiuye.engine.measure import Measure, Unit
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


def _unit_table(table: pl.LazyFrame, measures: list[Measure], params: ParameterSet, as_of: dt.date) -> pl.DataFrame:
    """Read the unit table once, with just the columns its measures need."""
    spec = UNITS[measures[0].unit]
    available = table.collect_schema().names()
    needed: set[str] = {*spec.location, *([spec.key_date] if spec.key_date else [])}
    for measure in measures:
        needed |= set(columns_used(measure, params, as_of, available))
    return table.select([c for c in available if c in needed]).collect(engine="streaming")


def _one_row_per_subject(measure: Measure) -> bool:
    """Persons and employers are their own beneficiaries, one row each (district rows are per year)."""
    return measure.unit in (Unit.person, Unit.employer) and UNITS[measure.unit].prefix == measure.beneficiary


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
    by_unit: dict[Unit, list[Measure]] = {}
    for measure in chosen:
        by_unit.setdefault(measure.unit, []).append(measure)
    kept, counts, eligible_rows = [], [], []
    for unit, group in by_unit.items():
        base = _unit_table(tables[unit], group, params, as_of).with_row_index("row_id")
        spec = UNITS[unit]
        for measure in group:
            run = run_measure(
                measure,
                base,
                params=params,
                as_of=as_of,
                default_region=region,
                location=spec.location,
                prior=prior,
                keep_trace=False,
                key_date=spec.key_date,
            )
            rows = (
                run.lazy.filter(region_in(pl.col("region"), region).fill_null(value=False))
                .with_columns(pl.lit(measure.id).alias("measure"), pl.lit(measure.beneficiary).alias("subject_kind"))
                .collect()
            )
            decisions = _decisions(rows, info, measure)
            kept.append(decisions if keep_ineligible else decisions.filter(pl.col("status") != INELIGIBLE))
            counts.append(
                decisions.group_by("measure", "status").agg(
                    pl.len().alias("decisions"), pl.col("amount_fen").sum().alias("amount_fen")
                )
            )
            eligible_rows.append(
                rows.filter(pl.col("status") == ELIGIBLE)
                .group_by("measure", "subject_id", "region", pl.col("event_date").dt.truncate("1mo").alias("month"))
                .agg(pl.len().cast(pl.UInt32).alias("rows"), pl.col("amount_fen").sum().alias("amount_fen"))
            )
            if progress:
                progress(measure)
        del base
    order = {m.id: i for i, m in enumerate(chosen)}
    decided = select_exclusive(pl.concat(kept, how="vertical_relaxed").lazy()).collect()
    return MatchResult(
        as_of=as_of,
        region=region,
        decisions=decided.sort(pl.col("measure").replace_strict(order, return_dtype=pl.Int64), "subject_id"),
        counts=pl.concat(counts, how="vertical_relaxed"),
        eligible_rows=pl.concat(eligible_rows, how="vertical_relaxed"),
        measures=chosen,
    )


def _decisions(rows: pl.DataFrame, info: pl.DataFrame, measure: Measure) -> pl.DataFrame:
    """Rows → decisions; where a row is its own beneficiary the grouping is skipped."""
    if not _one_row_per_subject(measure):
        return aggregate_decisions(rows.lazy(), info).collect()
    return (
        rows.lazy()
        .select("measure", "subject_kind", "subject_id", "status", "amount_fen", "region")
        .join(info.lazy(), on="measure", how="left")
        .with_columns(
            pl.when(pl.col("pays_money") & (pl.col("status") == ELIGIBLE))
            .then(pl.col("amount_fen"))
            .otherwise(None)
            .alias("amount_fen")
        )
        .collect()
    )
