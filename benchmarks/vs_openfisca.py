"""Benchmark: jiuye against OpenFisca and hand-written Polars on the same records and rules (issue 13).

Run: .venv/bin/python benchmarks/vs_openfisca.py [--persons 1000000,5000000] [--repeat 3] [--quick]

Two rules: 一次性扩岗补助 (gx.expansion: per hire, once per person, paid to the employer) and
失业保险稳岗返还 (gx.ui.refund: per employer). The same seeded records (benchmarks/vs_openfisca_records.py)
go to every engine; the rule values are jiuye's parameters in force on the evaluation date, passed
to the others as data. Timed, median of --repeat, nanoseconds per person:

- OpenFisca compute: ``Simulation.calculate`` of the rules' outputs, trace off, in its own venv
  (``build/bench/openfisca-venv``, created on first run: openfisca-core pinned below, from PyPI);
- hand-written Polars on the flat inputs (the typed tables OpenFisca reads, joins included);
- memory-scan floor: every flat input column read once;
- jiuye ``evaluate_batch`` + ``decide_batch`` over its unit tables, joined and in memory with the
  columns its rules read (as ``jiuye match`` holds them);
- hand-written Polars on those same joined tables.

Every engine's answer is checked: each hire qualifies or not, each employer is eligible or not and
for how much, to the fen. Any difference stops the run. Targets (issue 13): jiuye ≤ OpenFisca on
both rules, and within 4× of hand-written Polars on the same inputs (its joined tables).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vs_openfisca_anchors import (
    Answer,
    jiuye_answer,
    jiuye_run,
    jiuye_tables,
    polars_flat,
    polars_on_tables,
    scan_floor,
)
from vs_openfisca_records import CONTRACTS, EXPANSION, KINDS, REFUND, REGION, SIZES, SME_SIZES, Flat, rule_values, synth

from jiuye.engine.evaluate import NEEDS_FACTS
from jiuye.params import load_parameters

OPENFISCA = "openfisca-core==46.0.1"
AS_OF = dt.date(2025, 12, 31)
ROOT = Path(__file__).resolve().parents[1]
RULES = (EXPANSION, REFUND)


def openfisca_python(venv: Path) -> Path:
    """The benchmark's own OpenFisca environment, created on first use (never a project dependency)."""
    python, marker = venv / "bin" / "python", venv / "installed.txt"
    if not (python.exists() and marker.exists() and marker.read_text() == OPENFISCA):
        print(f"installing {OPENFISCA} into {venv} (first run) ...", flush=True)
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([shutil.which("python3") or "python3", "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", OPENFISCA], check=True)
        marker.write_text(OPENFISCA)
    return python


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _mask(names: list[str], chosen: list[str]) -> int:
    return sum(1 << i for i, name in enumerate(names) if name in chosen)


def _region(prefix: str) -> dict[str, int]:
    return {"region_divisor": 10 ** (6 - len(prefix)), "region_prefix": int(prefix or 0)}


def openfisca_values(v: dict[str, Any]) -> dict[str, Any]:
    """jiuye's values as OpenFisca parameters: numbers only (dates as day numbers, sets as bit masks)."""
    expansion = {
        "in_force_from": _days(v["x_from"]),
        **_region(v["x_region_prefix"]),
        "kind_mask": _mask(KINDS, v["x_kinds"]),
        "youth_age_min": v["x_age_min"],
        "youth_age_max": v["x_age_max"],
        "years_since_leaving": v["x_years_since_leaving"],
        "contract_none": CONTRACTS.index("none"),
        "min_contribution_months": v["x_min_months"],
        "period_start": _days(v["x_start"]),
        "period_end": _days(v["x_end"]),
        "amount_fen": v["x_amount_fen"],
    }
    refund = {
        "as_of": _days(v["as_of"]),
        "in_force_from": _days(v["r_from"]),
        "period_end": _days(v["r_end"]),
        **_region(v["r_region_prefix"]),
        "kind_mask": _mask(KINDS, v["r_kinds"]),
        "sme_kind_mask": _mask(KINDS, v["r_sme_kinds"]),
        "sme_size_mask": _mask(SIZES, SME_SIZES),
        "min_ui_paid_months": v["r_min_ui_months"],
        "max_rate_ppm": v["r_max_rate_ppm"],
        "small_staff_max": v["r_small_staff_max"],
        "small_rate_ppm": v["r_small_rate_ppm"],
        **{k: v[f"r_{k}"] for k in ("ratio_large_ppm", "ratio_sme_ppm", "ratio_related_large_ppm")},
        "ratio_related_sme_ppm": v["r_ratio_related_sme_ppm"],
    }
    since = min(v["x_from"], v["r_from"]).isoformat()
    return {"values": {"expansion": expansion, "refund": refund}, "since": since, "period": str(v["as_of"].year)}


def write_inputs(f: Flat, folder: Path) -> None:
    """The records as arrays: dates as datetime64[D], categories as their codes, ids as positions."""
    e, h = f.employers, f.hires
    hired, worker = np.unique(h["person"].to_numpy(), return_inverse=True)  # OpenFisca: no empty worker
    p = f.persons[hired]
    if e["ui_contributions_fen"].max() >= 2**31:  # OpenFisca's int is int32
        raise SystemExit("ui_contributions_fen exceeds int32")
    epoch = dt.date(1970, 1, 1)

    def arr(frame: pl.DataFrame, expr: pl.Expr, dtype: Any = None) -> np.ndarray:
        out = frame.select(expr).to_series().to_numpy()
        return out.astype(dtype) if dtype is not None else out

    c = pl.col
    data = {
        "workers": np.int64(p.height),
        "employers": np.int64(e.height),
        "hire_worker": worker.astype(np.int64),
        "hire_employer": arr(h, c("employer"), np.int64),
        "hire_date": arr(h, c("hire_date")),
        "contract_type": arr(h, c("contract_type").to_physical(), np.int32),
        **{k: arr(h, c(k), np.int32) for k in ("months_paid_ui", "months_paid_injury", "months_paid_pension")},
        "birth_date": arr(p, c("birth_date")),
        "college_graduate": arr(p, c("college_graduate")),
        "graduation_date": arr(p, c("graduation_date").fill_null(epoch)),
        "employed_since_graduation": arr(p, c("employed_since_graduation").fill_null(value=False)),
        "ever_registered_unemployed": arr(p, c("ever_registered_unemployed")),
        "unemployment_registered_on": arr(p, c("unemployment_registered_on").fill_null(epoch)),
        "registration_ended": arr(p, c("unemployment_registration_ended_on").is_not_null()),
        "unemployment_registration_ended_on": arr(p, c("unemployment_registration_ended_on").fill_null(epoch)),
        "kind": arr(e, c("kind").to_physical(), np.int32),
        "size": arr(e, c("size").to_physical(), np.int32),
        "related_enterprise": arr(e, c("related_enterprise")),
        **{k: arr(e, c(k), np.int32) for k in ("region", "ui_paid_months", "insured_staff", "layoffs_last_year")},
        "ui_contributions_fen": arr(e, c("ui_contributions_fen"), np.int32),
    }
    np.savez(folder / "inputs.npz", **data)


def prepare_openfisca(f: Flat, v: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_inputs(f, folder)
    (folder / "values.json").write_text(json.dumps(openfisca_values(v)))


def run_openfisca(python: Path, f: Flat, folder: Path) -> tuple[dict[str, Any], Answer]:
    """One OpenFisca run in a fresh process (its own timing of the compute), and its answer."""
    side = Path(__file__).with_name("vs_openfisca_side.py")
    done = subprocess.run([str(python), str(side), str(folder), "1"], check=True, stdout=subprocess.PIPE, text=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    with np.load(folder / "results.npz") as z:
        r = {k: z[k] for k in z.files}
    employers = np.arange(f.employers.height, dtype=np.int32)

    def eligible(ok: np.ndarray, fen: np.ndarray) -> pl.DataFrame:
        return pl.DataFrame({"employer": employers[ok], "amount_fen": fen[ok].astype(np.int64)})

    return report, Answer(
        r["expansion_eligible"].astype(bool),
        {
            EXPANSION: eligible(r["expansion_employer_eligible"], r["expansion_employer_fen"]),
            REFUND: eligible(r["refund_eligible"], r["refund_fen"]),
        },
    )


def check_same(rule: str, reference: Answer, name: str, other: Answer) -> None:
    """Identical answers or a loud stop: every hire (expansion), every employer and amount in fen."""
    if rule == EXPANSION:
        assert reference.hires is not None and other.hires is not None
        differ = np.flatnonzero(reference.hires != other.hires)
        if differ.size:
            raise SystemExit(f"{rule}: {name} differs from jiuye on {differ.size:,} hires, e.g. rows {differ[:5]}")
    a, b = (x.employers[rule].sort("employer") for x in (reference, other))
    if not a.equals(b):
        both = a.join(b, on="employer", how="full", coalesce=True, suffix="_other")
        bad = both.filter(pl.col("amount_fen").ne_missing(pl.col("amount_fen_other")))
        raise SystemExit(f"{rule}: {name} differs from jiuye on {bad.height:,} employers:\n{bad.head(5)}")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def measure_size(persons: int, python: Path, repeat: int, workdir: Path) -> dict[str, dict[str, float]]:
    params = load_parameters()
    v = rule_values(params, AS_OF)
    t0 = time.perf_counter()
    f = synth(persons)
    tables = jiuye_tables(f, params, AS_OF)
    print(
        f"\n{persons:,} persons, {f.employers.height:,} employers, {f.hires.height:,} hires "
        f"(records and jiuye's tables built in {time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    folder = workdir / f"openfisca-{persons}"
    prepare_openfisca(f, v, folder)
    seconds: dict[str, dict[str, list[float]]] = {rule: {} for rule in RULES}
    for _ in range(repeat):  # interleaved, so that load from other processes hits all alike
        report, of_answer = run_openfisca(python, f, folder)
        for rule in RULES:
            seconds[rule].setdefault("openfisca", []).extend(report["seconds"][rule])
            s, (rows, decisions) = timed(lambda rule=rule: jiuye_run(tables, params, AS_OF, rule))
            seconds[rule].setdefault("jiuye", []).append(s)
            s, flat = timed(lambda rule=rule: polars_flat(f, v, rule))
            seconds[rule].setdefault("polars_flat", []).append(s)
            s, on_tables = timed(lambda rule=rule: polars_on_tables(tables, v, rule))
            seconds[rule].setdefault("polars_tables", []).append(s)
            if (decisions["status"] == NEEDS_FACTS).any() or (rows["status"] == NEEDS_FACTS).any():
                raise SystemExit(f"{rule}: jiuye asks for facts; the records are meant to be complete")
            mine = jiuye_answer(rows, decisions, rule, f.hires.height)
            for name, other in (("OpenFisca", of_answer), ("Polars (flat)", flat), ("Polars (tables)", on_tables)):
                check_same(rule, mine, name, other)
        s, _ = timed(lambda: scan_floor(f))
        for rule in RULES:  # the floor is one read of all inputs, shown against both rules
            seconds[rule].setdefault("scan_floor", []).append(s)
    eligible = {rule: of_answer.employers[rule].height for rule in RULES}
    print(
        f"answers identical (hires qualifying {int(of_answer.hires.sum()):,}; eligible employers: "
        f"expansion {eligible[EXPANSION]:,}, refund {eligible[REFUND]:,}); OpenFisca trace: {report['trace']}"
    )
    return {rule: {k: statistics.median(x) / persons * 1e9 for k, x in d.items()} for rule, d in seconds.items()}


ROWS = (
    ("openfisca", "OpenFisca 46 compute"),
    ("polars_flat", "hand-written Polars on flat inputs"),
    ("scan_floor", "memory-scan floor (all inputs, once)"),
    ("jiuye", "jiuye evaluate + decide (joined tables in memory)"),
    ("polars_tables", "hand-written Polars on jiuye's joined tables"),
)


def report(results: dict[int, dict[str, dict[str, float]]], repeat: int) -> None:
    """Per size, one row per engine: the expansion subsidy, the refund, and both (their sum; the
    scan floor reads all inputs once, so it is the same figure)."""
    for n, r in sorted(results.items()):
        both = {k: r[EXPANSION][k] + (r[REFUND][k] if k != "scan_floor" else 0) for k in r[EXPANSION]}
        title = f"{n:,} persons: ns per person, median of {repeat}"
        print(f"\n{title:54}{'expansion':>10}{'refund':>10}{'both':>10}")
        for key, label in ROWS:
            print(f"{label:54}{r[EXPANSION][key]:>10,.0f}{r[REFUND][key]:>10,.0f}{both[key]:>10,.0f}")
        for ref, label, target in (
            ("openfisca", "jiuye / OpenFisca", "target ≤ 1 on each rule"),
            ("polars_tables", "jiuye / Polars on its tables", "target ≤ 4"),
            ("polars_flat", "jiuye / Polars on flat inputs", ""),
        ):
            x, y, z = (d["jiuye"] / d[ref] for d in (r[EXPANSION], r[REFUND], both))
            print(f"{label:54}{x:>9.1f}×{y:>9.1f}×{z:>9.1f}×   {target}")


def machine() -> str:
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line), "?")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.platform()}, {os.cpu_count()} cores, {int(mem) // 2**20 if mem != '?' else '?'} GB, "
        f"Python {platform.python_version()}, Polars {pl.__version__}, load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", default="1000000,5000000", help="comma-separated sizes")
    parser.add_argument("--quick", action="store_true", help="100,000 persons only (smoke run)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench")
    args = parser.parse_args()
    sizes = [100_000] if args.quick else [int(x) for x in args.persons.split(",")]
    python = openfisca_python(args.workdir / "openfisca-venv")
    print(f"machine: {machine()}")
    print(f"rules: {EXPANSION}, {REFUND}; evaluation date {AS_OF}, region {REGION}; {OPENFISCA}")
    results = {n: measure_size(n, python, args.repeat, args.workdir) for n in sizes}
    report(results, args.repeat)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
