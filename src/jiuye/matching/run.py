"""Evaluate every measure over a registry with the engine's own declarations.

Measures are taken unit by unit: the unit table (a person, a hire, an internship...) is read once
with only the columns its measures use, then each measure's rows are computed from it and
aggregated to decisions. Only decisions that are not "ineligible" are kept (with counts of all),
which is what a bureau acts on; the ineligible ones that miss by one condition (差一点), which a
caseworker follows up, are kept apart (``near_misses``): they take part in no exclusive choice.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jiuye.batch import measure_info
from jiuye.engine.decide import decide_rows
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, columns_used, run_measure
from jiuye.engine.exclusions import select_exclusive
from jiuye.engine.measure import Measure, Unit
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP
from jiuye.engine.near_miss_text import near_miss_catalog
from jiuye.engine.provenance import RuleProvenance, run_provenance
from jiuye.engine.variants import with_variants
from jiuye.facts.tables import UNITS, partner_frames, unit_frame
from jiuye.matching import spool as spooling
from jiuye.matching.budget_parts import BLOCK_BUDGET_SCHEMA, block_budget, deferred_budget, eligible_rows
from jiuye.matching.spool import DecisionSpool, Names
from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.registry import all_measures
from jiuye.regions import region_in

__all__ = ["Laps", "MatchResult", "match_registry"]

Progress = Callable[[Measure], None]

#: Named assumption: decisions and near misses kept per person of the registry, all measures
#: (2.02 at a million synthetic persons, 2.03 at ten million; benchmarks/match_scale.py).
DECISIONS_PER_PERSON = 2


class Laps:
    """Wall and CPU seconds (the process's, all threads) by stage: on a shared machine the CPU
    seconds are what compares between runs."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, stage: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.wall[stage] = self.wall.get(stage, 0.0) + wall - self._wall
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu - self._cpu
        self._wall, self._cpu = wall, cpu


@dataclass
class MatchResult:
    as_of: dt.date
    region: str
    spool: DecisionSpool  # the decisions and near misses, on disk, in order (jiuye.matching.spool)
    counts: pl.DataFrame  # measure, status, decisions, amount_fen: over every decision
    budget: pl.DataFrame  # measure, fund, region, month, beneficiaries, items, amount_fen, ceiling_fen
    measures: list[Measure] = field(default_factory=list)
    rules: dict[str, RuleProvenance] = field(default_factory=dict)  # rule hash and parameter dates per measure
    near_miss_conditions: pl.DataFrame | None = None  # near_miss_catalog at the as-of date
    timings: dict[str, float] = field(default_factory=dict)  # seconds: evaluate (unit tables, rules), decide, spool
    cpu: dict[str, float] = field(default_factory=dict)  # the same stages' CPU seconds (all threads)

    @property
    def decisions(self) -> pl.DataFrame:
        """Eligible and needs_facts decisions (all, with keep_ineligible), in memory."""
        return self.spool.frame(near=False)

    @property
    def near_misses(self) -> pl.DataFrame:
        """Ineligible decisions missing by one condition (差一点), in memory."""
        return self.spool.frame(near=True)


def _prior(registry: Mapping[str, pl.LazyFrame]) -> pl.DataFrame | None:
    grants = registry.get("prior_grants")
    if grants is None:
        return None
    return grants.select("measure", "person", "employer", "granted_on").collect()


def _needed_columns(table: pl.LazyFrame, measures: list[Measure], params: ParameterSet, as_of: dt.date) -> list[str]:
    """The unit-table columns its measures use (so each table is read with just those)."""
    spec = UNITS[measures[0].unit]
    available = table.collect_schema().names()
    needed: set[str] = {*spec.location, *([spec.key_date] if spec.key_date else [])}
    for measure in measures:
        needed |= set(columns_used(measure, params, as_of, available))
    return [c for c in available if c in needed]


def _partner_columns(needed: Iterable[list[str]]) -> dict[str, set[str]]:
    """The columns of persons and of employers (which also stand for agencies) that units read."""
    columns = {c for names in needed for c in names}
    person = {"person_id"} | {c for c in columns if c.startswith("person_")}
    employer = {"employer_id"} | {
        "employer_" + c.split("_", 1)[1] for c in columns if c.startswith(("employer_", "agency_"))
    }
    return {"persons": person, "employers": employer}


def _partners_in_memory(partners: Mapping[str, pl.LazyFrame], needed: Iterable[list[str]]) -> dict[str, pl.LazyFrame]:
    """Read persons and employers once, with the columns any unit needs of them, instead of once
    per unit that joins them."""
    out = {}
    for source, wanted in _partner_columns(needed).items():
        frame = partners[source]
        names = [c for c in frame.collect_schema().names() if c in wanted]
        out[source] = frame.select(names).collect(engine="streaming").lazy()
    return out


def _narrowed(
    partners: dict[str, pl.LazyFrame], lazy: Mapping[str, pl.LazyFrame], needed: Iterable[list[str]], *, big: bool
) -> dict[str, pl.LazyFrame]:
    """The partners in memory with only the columns the units still to come read (the person
    unit reads some forty columns of ten million persons, the hires after it a dozen). Unless a
    unit to come is ``big`` (not narrowed to the persons it references), persons go back to
    their file: the small units read the few they reference from it."""
    out = {}
    for source, wanted in _partner_columns(needed).items():
        if source == "persons" and not big:
            out[source] = lazy[source]
            continue
        frame = partners[source]
        names = [c for c in frame.collect_schema().names() if c in wanted]
        out[source] = frame.select(names).collect().lazy()  # the columns kept are shared, not copied
    return out


def _small(registry: Mapping[str, pl.LazyFrame], unit: Unit, persons: int) -> bool:
    """A unit with far fewer rows than persons: its partners are first narrowed to the rows it
    references (a few thousand trainings against millions of persons)."""
    own = registry.get(UNITS[unit].source)
    return own is not None and _rows(own) * 4 < persons


def _rows(frame: pl.LazyFrame) -> int:
    return int(frame.select(pl.len()).collect().item())


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
    spool: Path | None = None,
) -> MatchResult:
    """Every measure over the registry's entities located within ``region``. Each measure's
    decisions are written, as they are decided, to a :class:`DecisionSpool` (in ``spool``, a
    folder of the caller's, or the system's temporary folder)."""
    laps = Laps()  # evaluate: reading the unit tables, the measures' rows; decide; spool
    params = params or load_parameters()
    chosen = list(measures) if measures is not None else all_measures()
    info = measure_info(chosen)
    prior = _prior(registry)
    by_unit: dict[Unit, list[Measure]] = {}
    for measure in with_variants(chosen):
        by_unit.setdefault(measure.unit, []).append(measure)
    variants = Counter(m.id for group in by_unit.values() for m in group)
    contested = _contested([m for group in by_unit.values() for m in group])
    lazy_partners = partner_frames(registry)
    needed = {
        unit: _needed_columns(unit_frame(unit, registry, lazy_partners), group, params, as_of)
        for unit, group in by_unit.items()
    }
    partners = _partners_in_memory(lazy_partners, needed.values())
    persons = _rows(partners["persons"])
    small = {unit: _small(registry, unit, persons) for unit in by_unit}
    catalog = near_miss_catalog(chosen, params.at(as_of))
    # parts in memory only if all of them should fit: a spool that fills up mid-run holds its
    # first parts through the rest, when the largest measures make the run's peak
    room = spooling.SPOOL_MEMORY_ROWS if DECISIONS_PER_PERSON * persons <= spooling.SPOOL_MEMORY_ROWS else 0
    store, names = DecisionSpool(spool, memory_rows=room), Names(registry)
    compete, counts, budgets, deferred_rows = [], [], [], []
    rules: dict[str, RuleProvenance] = {}
    for done, (unit, group) in enumerate(by_unit.items(), start=1):
        spec = UNITS[unit]
        table = unit_frame(unit, registry, partners, prefilter=small[unit], columns=needed[unit])
        # The in-memory engine joins about twice as fast as the streaming one here (Polars 2.1).
        base = table.select(needed[unit]).collect(engine="in-memory").with_row_index("row_id")
        rest = list(by_unit)[done:]  # the partners' columns that only this unit read are let go now
        partners = _narrowed(partners, lazy_partners, [needed[u] for u in rest], big=not all(small[u] for u in rest))
        del table
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
            rules.setdefault(measure.id, run_provenance(run))  # a variant shares its measure's record
            rows = run.lazy.filter(region_in(pl.col("region"), region).fill_null(value=False)).collect()
            laps.lap("evaluate")
            live, missed, count = _decisions(rows, measure, info, keep_ineligible=keep_ineligible)
            counts.append(count)
            row = info.filter(pl.col("measure") == measure.id).row(0, named=True)
            eligible = rows.filter(pl.col("status") == ELIGIBLE)
            # a measure decided over several blocks, or competing, is budgeted once its choices are made
            wait = variants[measure.id] > 1 or contested(measure)
            if wait:
                deferred_rows.append(eligible_rows(eligible, measure.id))
            elif row["pays_money"]:
                budgets.append(block_budget(eligible, measure.id, row["fund"]))
            del rows, eligible
            laps.lap("decide")
            if contested(measure):
                compete.append(live)
            else:
                store.add(_alone(live), names, catalog, near=False)
            store.add(_alone(missed), names, catalog, near=True)
            laps.lap("spool")
            if progress:
                progress(measure)
        del base
    laps.lap("evaluate")
    chosen_frames = []
    if compete:
        choices = select_exclusive(pl.concat(compete, how="vertical_relaxed").lazy()).collect()
        chosen_frames = choices.partition_by("order", "subject_kind", maintain_order=True)
    if deferred_rows:
        budgets.append(deferred_budget(pl.concat(deferred_rows, how="vertical_relaxed"), store, chosen_frames))
    laps.lap("decide")
    for frame in chosen_frames:
        store.add(frame, names, catalog, near=False)
    laps.lap("spool")
    result = MatchResult(
        as_of=as_of,
        region=region,
        spool=store,
        counts=_merge_counts(pl.concat(counts, how="vertical_relaxed")),
        budget=pl.concat(budgets, how="vertical_relaxed") if budgets else pl.DataFrame(schema=BLOCK_BUDGET_SCHEMA),
        measures=chosen,
        rules=rules,
        near_miss_conditions=catalog,
    )
    result.timings, result.cpu = laps.wall, laps.cpu
    return result


def _merge_counts(counts: pl.DataFrame) -> pl.DataFrame:
    """One count per (measure, status): a measure with variants is counted over all its units."""
    return counts.group_by("measure", "status", maintain_order=True).agg(
        pl.col("decisions").sum(),
        pl.col("amount_fen").sum(),
        pl.col("ceiling_fen").sum(),
    )


def _contested(measures: list[Measure]) -> Callable[[Measure], bool]:
    """Mutually exclusive choices are made only among measures that can compete: same exclusion
    group and same kind of beneficiary. Any other decision is selected as it stands (what
    ``select_exclusive`` would say of it), which spares a join over millions of decisions."""
    sides = Counter((m.exclusion_group, m.beneficiary) for m in measures if m.exclusion_group)
    return lambda m: m.exclusion_group is not None and sides[(m.exclusion_group, m.beneficiary)] > 1


def _alone(frame: pl.DataFrame) -> pl.DataFrame:
    """Decisions that compete with none: each selected, none chosen over another."""
    return frame.with_columns(pl.lit(value=True).alias("selected"), pl.lit(None, dtype=pl.String).alias("chosen"))


def _decisions(
    rows: pl.DataFrame, measure: Measure, info: pl.DataFrame, *, keep_ineligible: bool
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Rows → the decisions kept (not ineligible, unless asked), the near misses apart (within
    the decisions kept when all are), and the count by status of all."""
    if _one_row_per_subject(measure):
        # counted over every row, given their catalog columns only for those kept (a measure
        # over ten million persons keeps a few hundred thousand)
        amount, ceiling = _money(measure, info)
        count = _count(rows.select("status", amount, ceiling))
        kept = _with_info((rows if keep_ineligible else rows.filter(_kept())).lazy(), measure, info).collect()
    else:
        kept, count = _grouped_decisions(rows, measure, info, keep_ineligible=keep_ineligible)
    count = count.select(
        pl.lit(measure.id).alias("measure"), "status", pl.col("decisions").cast(pl.UInt32), "amount_fen", "ceiling_fen"
    )
    if keep_ineligible:
        return kept, kept.clear(), count
    missed = pl.col("status") == INELIGIBLE
    return kept.filter(~missed), kept.filter(missed), count


def _kept() -> pl.Expr:
    """Decisions kept without --all: those not ineligible, and near misses."""
    return (pl.col("status") != INELIGIBLE) | pl.col(NEAR_MISS).is_not_null()


def _count(decided: pl.DataFrame) -> pl.DataFrame:
    return decided.group_by("status").agg(
        pl.len().alias("decisions"), pl.col("amount_fen").sum(), pl.col("ceiling_fen").sum()
    )


def _grouped_decisions(
    rows: pl.DataFrame, measure: Measure, info: pl.DataFrame, *, keep_ineligible: bool
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Several rows per beneficiary: only beneficiaries with a row that is not ineligible, or is a
    near miss, are grouped (with all their rows, so the region is still that of their first row);
    the others are only counted."""
    subjects = rows.lazy()
    if not keep_ineligible:
        wanted = rows.filter(_kept()).get_column("subject_id").unique()
        subjects = subjects.filter(pl.col("subject_id").is_in(wanted.implode()))
    decided = _with_info(decide_rows(subjects.collect()).lazy(), measure, info).collect()
    count = _count(decided)
    ineligible = 0 if keep_ineligible else rows.get_column("subject_id").n_unique() - decided.height
    if ineligible:
        rest = pl.DataFrame(
            {"status": [INELIGIBLE], "decisions": [ineligible], "amount_fen": [None], "ceiling_fen": [None]}
        )
        count = pl.concat([count, rest], how="vertical_relaxed")
        count = count.group_by("status", maintain_order=True).agg(
            pl.col("decisions").sum(), pl.col("amount_fen").sum(), pl.col("ceiling_fen").sum()
        )
    return decided, count


def _money(measure: Measure, info: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """A decision's amount and ceiling: only when eligible, and only what its measure declares."""
    row = info.filter(pl.col("measure") == measure.id).row(0, named=True)
    pays = bool(row["pays_money"])
    eligible = pl.col("status") == ELIGIBLE
    amount = pl.when(eligible).then(pl.col("amount_fen")) if pays else pl.lit(None, dtype=pl.Int64)
    ceiling = (
        pl.when(eligible).then(pl.col("ceiling_fen")) if pays and row["has_ceiling"] else pl.lit(None, dtype=pl.Int64)
    )
    return amount.cast(pl.Int64).alias("amount_fen"), ceiling.cast(pl.Int64).alias("ceiling_fen")


def _with_info(decided: pl.LazyFrame, measure: Measure, info: pl.DataFrame) -> pl.LazyFrame:
    """One decision per row: the measure's catalog columns as literals, money only when eligible."""
    row = info.filter(pl.col("measure") == measure.id).row(0, named=True)
    amount, ceiling = _money(measure, info)
    return decided.select(
        pl.lit(measure.id).alias("measure"),
        pl.lit(measure.beneficiary).alias("subject_kind"),
        "subject_id",
        "status",
        amount,
        ceiling,
        "region",
        NEAR_MISS,  # in decide_rows' order, so the two kinds of decisions concatenate
        NEAR_MISS_GAP,
        *(
            pl.lit(row[c], dtype=info.schema[c]).alias(c)
            for c in ("order", "exclusion_group", "pays_money", "fund", "has_ceiling")
        ),
    )
