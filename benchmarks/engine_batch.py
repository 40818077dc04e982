"""Benchmark: batch evaluation (``evaluate_batch`` + ``decide_batch``) on tables already joined.

Run: .venv/bin/python benchmarks/engine_batch.py [--persons 1000000 5000000] [--repeat 3]
     [--workdir /tmp/jiuye-bench] [--two-only]

For each size, in a fresh process: a synthetic registry (``jiuye synth``, seed 7, made once in
the work folder), its unit tables built and collected in memory (not timed), then

* (a) the two rules of issue 13, the expansion subsidy (gx.expansion, over hires) and the
  unemployment-insurance refund (gx.ui.refund, over employers): jiuye's evaluate + decide, and
  beside it the anchor, the same two rules written by hand in Polars over the same joined
  tables (one plan, no epochs, trace or near misses); their decisions must be identical to the
  fen (status and amount of every beneficiary), else the run stops;
* (b) every measure in the catalog: evaluate + decide.

Prints the median of ``--repeat`` runs in ns per person, the ratio to the anchor, and the peak
RSS of the process (tables included) and the RSS before evaluation. Noise: other work on the
machine inflates wall times; compare the ratios, measured in the same process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import polars as pl

from jiuye.engine.measure import Measure, Unit

AS_OF = dt.date(2025, 12, 31)
REGION = "450000"
TWO = ("gx.expansion", "gx.ui.refund")
T = TypeVar("T")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    resident = int(Path("/proc/self/statm").read_text().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE") / 2**20


def _registry(persons: int, workdir: Path) -> Path:
    from jiuye.registry.synth import MANIFEST, synthesize

    target = workdir / f"registry-{persons}"
    if not (target / MANIFEST).exists():
        t0 = time.perf_counter()
        synthesize(target, persons=persons, seed=7)
        print(f"synth {persons:,} persons: {time.perf_counter() - t0:.1f} s", flush=True)
    return target


# --- the anchor: the two rules by hand ------------------------------------------------------


def _hand_expansion(hires: pl.LazyFrame, prior: pl.DataFrame) -> pl.LazyFrame:
    """gx.expansion with the values in force for 2025 hires (gx.expansion.params.yaml), per employer.

    The status facts (registered on the hire day, graduate status) use the project's own
    expression helpers, so that both sides read a status by the same rule."""
    from jiuye.dates import age_on
    from jiuye.engine import statuses as st
    from jiuye.engine import variables as v
    from jiuye.params import Params, load_parameters

    hire = pl.col("employment_hire_date")
    event = pl.coalesce(hire, pl.lit(AS_OF))
    p = Params(load_parameters(), AS_OF, event=AS_OF)
    age = age_on(pl.col("person_birth_date"), hire)
    youth = (age >= 16) & (age <= 24) & st.registered_unemployed(hire, AS_OF).value
    target = youth | v.grad_in_year_at(hire) | v.grad_within_2y_unemployed_at(p, hire)
    months = v.strict_min(
        pl.col("employment_months_paid_ui"),
        pl.col("employment_months_paid_injury"),
        pl.col("employment_months_paid_pension"),
    )
    base = (
        pl.coalesce(pl.col("employer_region"), pl.lit(REGION)).str.starts_with("45")
        & (event >= pl.lit(dt.date(2025, 1, 1)))  # the earliest basis: 2025-01-01
        & ((hire >= pl.lit(dt.date(2025, 1, 1))) & (hire <= pl.lit(dt.date(2025, 12, 31))))
        & pl.col("employer_kind").is_in(["enterprise", "social_organisation"])
        & target
        & pl.col("employment_contract_signed")
        & (months >= 3)
    )
    granted = prior.lazy().filter(pl.col("measure") == "gx.expansion").select(pl.col("person").alias("person_id"))
    rows = hires.select("employer_id", "person_id", hire, base.alias("base")).with_row_index("pos")
    firsts = (
        rows.filter(pl.col("base").fill_null(value=False))
        .join(granted.unique(), on="person_id", how="anti")
        .sort("employment_hire_date", "pos")
        .unique("person_id", keep="first")
        .select("pos", pl.lit(value=True).alias("first"))
    )
    had = granted.unique().select("person_id", pl.lit(value=True).alias("had"))
    rows = rows.join(firsts, on="pos", how="left").join(had, on="person_id", how="left")
    passed = (
        pl.col("base")
        & pl.when(pl.col("base").fill_null(value=False))
        .then(pl.col("first").fill_null(value=False))
        .otherwise(pl.lit(value=True))
        & pl.col("had").is_null()
    )
    return rows.group_by("employer_id").agg(
        pl.when(passed.fill_null(value=False).any())
        .then(pl.lit("eligible"))
        .when(passed.is_null().any())
        .then(pl.lit("needs_facts"))
        .otherwise(pl.lit("ineligible"))
        .alias("status"),
        (passed.fill_null(value=False).cast(pl.Int64).sum() * 150_000).alias("amount_fen"),
    )


def _hand_refund(employers: pl.LazyFrame, prior: pl.DataFrame) -> pl.LazyFrame:
    """gx.ui.refund with the values in force on 31 December 2025 (gx/ui_refund.params.yaml)."""
    from jiuye.engine import variables as v
    from jiuye.money import PPM, mul_ratio

    kind = pl.col("employer_kind")
    size = pl.coalesce(pl.col("employer_size"), pl.col("employer_derived_size"))
    sme = kind.is_in(["social_organisation", "individual_business"]) | size.is_in(["medium", "small", "micro"])
    related = pl.col("employer_related_enterprise")
    ratio = (
        pl.when(related & sme)
        .then(900_000)
        .when(related & sme.not_())
        .then(500_000)
        .when(related.not_() & sme)
        .then(600_000)
        .when(related.not_() & sme.not_())
        .then(300_000)
        .otherwise(None)
    )
    granted = (
        prior.lazy()
        .filter((pl.col("measure") == "gx.ui.refund") & (pl.col("granted_on").dt.year() == AS_OF.year))
        .select(pl.col("employer").alias("employer_id"), pl.lit(value=True).alias("had"))
        .unique()
    )
    base = (
        pl.coalesce(pl.col("employer_region"), pl.lit(REGION)).str.starts_with("45")
        & kind.is_in(["enterprise", "social_organisation", "individual_business"])
        & (pl.col("employer_ui_paid_months") >= 12)
        & v.layoffs_within(55_000, 30, 200_000)
        & (sme | sme.not_())
        & (related | related.not_())
        & pl.col("had").is_null()
    )
    amount = mul_ratio(pl.col("employer_ui_contributions_last_year"), ratio, PPM)
    eligible = base.fill_null(value=False) & amount.is_not_null()
    unknown = base.is_null() | (base.fill_null(value=False) & amount.is_null())
    return employers.join(granted, on="employer_id", how="left").select(
        "employer_id",
        pl.when(eligible)
        .then(pl.lit("eligible"))
        .when(unknown)
        .then(pl.lit("needs_facts"))
        .otherwise(pl.lit("ineligible"))
        .alias("status"),
        pl.when(eligible).then(amount).otherwise(0).alias("amount_fen"),
    )


def _hand_two(tables: Mapping[Unit, pl.DataFrame], prior: pl.DataFrame) -> dict[str, pl.DataFrame]:
    plans = [_hand_expansion(tables[Unit.employment].lazy(), prior), _hand_refund(tables[Unit.employer].lazy(), prior)]
    return dict(zip(TWO, pl.collect_all(plans), strict=True))


def _same_answers(decided: pl.DataFrame, hand: dict[str, pl.DataFrame]) -> None:
    for measure, frame in hand.items():
        ours = decided.filter(pl.col("measure") == measure).select(
            pl.col("subject_id").alias("employer_id"), "status", pl.col("amount_fen").fill_null(0)
        )
        a, b = ours.sort("employer_id"), frame.sort("employer_id")
        if not a.equals(b):
            diff = a.join(b, on="employer_id", how="full", suffix="_hand").filter(
                ~pl.col("status").eq_missing(pl.col("status_hand"))
                | ~pl.col("amount_fen").eq_missing(pl.col("amount_fen_hand"))
            )
            raise SystemExit(f"{measure}: jiuye and the hand-written rule disagree:\n{diff.head()}")


# --- one size, in a fresh process --------------------------------------------------------------


CPU: dict[str, float] = {}  # median CPU seconds of the process per timed step (all threads)


def _timed(fn: Callable[[], T], repeat: int, name: str) -> tuple[float, T]:
    times: list[float] = []
    cpu: list[float] = []
    outs: list[T] = []
    for _ in range(max(repeat, 1)):
        t0, c0 = time.perf_counter(), time.process_time()
        outs[:] = [fn()]  # only the last is kept: the peak RSS is one run's
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[name] = statistics.median(cpu)
    return statistics.median(times), outs[-1]


def _child(registry: Path, repeat: int, two_only: bool) -> None:
    from jiuye.batch import decide_batch, evaluate_batch
    from jiuye.engine.near_miss import near_misses_off
    from jiuye.facts.tables import tables_from_registry
    from jiuye.params import load_parameters
    from jiuye.policies.registry import all_measures, get_measure
    from jiuye.registry.io import read_registry

    read = read_registry(registry)
    prior = read.prior()
    persons = json.loads((registry / "manifest.json").read_text("utf-8"))["persons"]
    params = load_parameters()
    lazy = tables_from_registry(read.tables)
    two = [get_measure(m) for m in TWO]
    units = list(dict.fromkeys(m.unit for m in (two if two_only else all_measures()) for m in (m, *m.variants)))
    t0 = time.perf_counter()
    tables = dict(zip(units, pl.collect_all([lazy[u] for u in units]), strict=True))
    out: dict[str, float] = {
        "persons": persons,
        "tables_s": time.perf_counter() - t0,
        "rss_tables_mb": _current_rss_mb(),
    }

    def jiuye(measures: list[Measure]) -> pl.DataFrame:
        rows = evaluate_batch(tables, as_of=AS_OF, region=REGION, params=params, measures=measures, prior=prior)
        return decide_batch(rows, measures)

    def plain(measures: list[Measure]) -> pl.DataFrame:  # (near_misses_off: so that main's code runs this too)
        with near_misses_off():
            return jiuye(measures)

    out["hand_s"], hand = _timed(lambda: _hand_two(tables, prior), repeat, "hand_s")
    out["two_s"], decided = _timed(lambda: jiuye(two), repeat, "two_s")
    _same_answers(decided, hand)
    out["two_plain_s"], decided = _timed(lambda: plain(two), repeat, "two_plain_s")
    _same_answers(decided, hand)
    if not two_only:
        out["all_s"], decided = _timed(lambda: jiuye(all_measures()), repeat, "all_s")
        out["all_decisions"] = decided.height
    out["peak_rss_mb"] = _rss_mb()
    out.update({f"cpu_{k}": v for k, v in CPU.items()})
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jiuye-bench"))
    parser.add_argument("--two-only", action="store_true", help="skip (b), every measure")
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.repeat, args.two_only)
        return
    load = os.getloadavg()[0]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Polars {pl.__version__}, load average {load:.1f}"
    )
    for persons in args.persons:
        registry = _registry(persons, args.workdir)
        command = [sys.executable, __file__, "--child", str(registry), "--repeat", str(args.repeat)]
        done = subprocess.run(
            command + (["--two-only"] if args.two_only else []), check=True, capture_output=True, text=True
        )
        _report(persons, json.loads(done.stdout.strip().splitlines()[-1]), args.repeat)


def _report(persons: int, r: dict[str, float], repeat: int) -> None:
    ns = 1e9 / persons

    def cpu(name: str) -> str:  # CPU time of all threads: steadier than wall time on a busy machine
        return f"CPU {r['cpu_' + name] * ns:,.0f} ns/person"

    print(f"{persons:,} persons (tables in memory: {r['tables_s']:.1f} s, RSS {r['rss_tables_mb']:,.0f} MB)")
    print(f"  anchor, two rules by hand in Polars:   {r['hand_s'] * ns:7,.0f} ns/person  ({cpu('hand_s')})")
    print(
        f"  jiuye, two rules, evaluate + decide:   {r['two_s'] * ns:7,.0f} ns/person  "
        f"({r['two_s'] / r['hand_s']:.1f}× the anchor; {cpu('two_s')}; decisions identical to the fen)"
    )
    print(
        f"  jiuye, two rules, no near misses:      {r['two_plain_s'] * ns:7,.0f} ns/person  "
        f"({r['two_plain_s'] / r['hand_s']:.1f}× the anchor, which looks for none either; {cpu('two_plain_s')})"
    )
    if "all_s" in r:
        print(
            f"  jiuye, all measures, evaluate + decide: {r['all_s'] * ns:7,.0f} ns/person "
            f"({r['all_s']:.2f} s, {cpu('all_s')}, {r['all_decisions']:,} decisions)"
        )
    print(f"  peak RSS {r['peak_rss_mb']:,.0f} MB (medians of {repeat}; load now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
