"""Benchmark: ``jiuye match`` end to end over a synthetic registry, outputs included (issue 13).

Run: .venv/bin/python benchmarks/match_scale.py --persons 1000000 [--repeat 3] [--workdir /tmp/jiuye-bench]
     .venv/bin/python benchmarks/match_scale.py --persons 10000000 --excel-rows 0 --repeat 1

Each run is the command itself (``jiuye match``, all measures) in a fresh process: wall seconds,
CPU seconds and peak RSS of that process, and the seconds of each stage as the run records them
(summary.json ``timings``: read and validate, evaluate, decide, write; the write by part). Beside
it, in the same session and also in fresh processes, the scan floor: reading the registry's
Parquet files into memory and nothing else. Medians over --repeat runs; the ratios to the floor
and the write's share of the run are what compare across loads.

Targets (issue 13; 2 cores, 24 GB): 1M persons ≤ 10 s end to end with every output; 10M persons
(no per-row Excel: --excel-rows 0) ≤ 20 s and ≤ 4 GB peak RSS; the write ≤ a third of the run.
``--naive`` adds the batch path against a naive per-entity loop over the same engine.
``--baseline SRC`` runs, interleaved with each run, the same command from another checkout's
``src`` (e.g. ``git worktree add /tmp/before main``: ``--baseline /tmp/before/src``), so that
before and after are measured under the same load. On a shared machine the CPU seconds (all
threads, by stage where the run records them) compare better than the wall seconds.
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
from pathlib import Path
from typing import Any

AS_OF = dt.date(2025, 12, 31)
SIMPLE = "gx.difficult.person"
TARGETS = {1_000_000: (10.0, None), 10_000_000: (20.0, 4096.0)}  # seconds, peak RSS MB
_CLI = "import sys; from jiuye.cli.app import main; sys.exit(main())"  # the console script's entry


def _registry(persons: int, workdir: Path) -> Path:
    target = workdir / f"registry-{persons}"
    if not (target / "persons.parquet").exists():
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _CLI, "synth", "--persons", str(persons), "--seed", "7", "--out", str(target)],
            check=True,
        )
        print(f"synth {persons:,} persons: {time.perf_counter() - t0:.1f} s")
    return target


def _measured(args: list[str], src: str | None = None) -> dict[str, float]:
    """Run ``args`` in a fresh process (importing jiuye from ``src`` if given): wall and CPU
    seconds and peak RSS (MB) of that process."""
    env = {**os.environ}
    if src:
        env["PYTHONPATH"] = os.pathsep.join([src, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]])
    t0 = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{args[3:5]} failed: {child.stderr.read().decode()[-2000:] if child.stderr else status}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def _scan_floor(registry: str) -> None:
    """Child: read every Parquet file of the registry into memory."""
    import polars as pl

    rows = sum(pl.read_parquet(path).height for path in sorted(Path(registry).glob("*.parquet")))
    print(rows)


def _match(registry: Path, out: Path, excel_rows: int | None, src: str | None = None) -> dict[str, Any]:
    args = [sys.executable, "-c", _CLI, "match", str(registry), "--as-of", AS_OF.isoformat(), "--region", "450000"]
    args += ["--out", str(out), "--overwrite"]
    if excel_rows is not None:
        args += ["--excel-rows", str(excel_rows)]
    run: dict[str, Any] = _measured(args, src)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    run.update({k: v for k, v in summary["timings"].items() if k != "cpu"})  # "cpu": the process's, above
    run["stage_cpu"] = summary["timings"].get("cpu", {})
    run["write_parts"] = summary["timings"]["write_parts"]
    run["eligible"] = summary["eligible_decisions"]
    run["excel_rows"] = summary["excel_lists"]["written"]
    run["out_mb"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
    shutil.rmtree(out)
    return run


def _naive_per_entity(registry: Path, sample: int) -> float:
    """Seconds per entity when the same engine is called once per person (one-row tables)."""
    from jiuye.batch import evaluate_batch
    from jiuye.engine.measure import Unit
    from jiuye.facts.tables import tables_from_registry
    from jiuye.params import load_parameters
    from jiuye.policies.registry import get_measure
    from jiuye.registry.io import read_registry

    tables = tables_from_registry(read_registry(registry).tables)
    persons = tables[Unit.person].head(sample).collect()
    params = load_parameters()
    measure = [get_measure(SIMPLE)]
    t0 = time.perf_counter()
    for i in range(persons.height):
        evaluate_batch(
            {Unit.person: persons.slice(i, 1)}, as_of=AS_OF, region="450000", params=params, measures=measure
        )
    return (time.perf_counter() - t0) / persons.height


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r.get(key, 0.0)) for r in runs)


def _report(label: str, runs: list[dict[str, Any]], persons: int, floor: float) -> tuple[float, float]:
    """Print the medians of ``runs``; return the median wall seconds and peak RSS."""
    wall, cpu, rss = _median(runs, "wall"), _median(runs, "cpu"), _median(runs, "rss_mb")
    write = _median(runs, "write")
    print(
        f"{label}, {persons:,} persons, all measures: median {wall:.2f} s wall ({wall / floor:.1f}× floor), "
        f"{cpu:.1f} s CPU, peak RSS {rss:,.0f} MB; {runs[0]['eligible']:,} eligible, "
        f"{runs[0]['excel_rows']:,} rows in Excel, {runs[0]['out_mb']:.0f} MB written"
    )
    stages = ("read_validate", "evaluate", "decide", "write")
    start = statistics.median(r["wall"] - r["total"] for r in runs)  # interpreter, imports, registry hash
    print(
        "  stages (median s wall): "
        + ", ".join(f"{s} {_median(runs, s):.2f}" for s in stages)
        + f"; start-up and the rest (wall - stages) {start:.2f}"
    )
    if all(r["stage_cpu"] for r in runs):
        shown = ("evaluate", "decide", "write")
        rest = statistics.median(r["cpu"] - sum(r["stage_cpu"].get(s, 0.0) for s in shown) for r in runs)
        print(
            "  stages (median s CPU): "
            + ", ".join(f"{s} {statistics.median(r['stage_cpu'].get(s, 0.0) for r in runs):.2f}" for s in shown)
            + f"; start-up, reading and validating {rest:.2f}"
        )
    parts = runs[0]["write_parts"]
    print(
        "  write by part (median s wall): "
        + ", ".join(f"{p} {statistics.median(r['write_parts'].get(p, 0.0) for r in runs):.2f}" for p in parts)
    )
    print(f"  write share of the run: {write / _median(runs, 'total'):.0%} wall (target ≤ 33%)", end="")
    if all(r["stage_cpu"] for r in runs):
        share = statistics.median(r["stage_cpu"]["write"] / r["cpu"] for r in runs)
        print(f", {share:.0%} of the CPU", end="")
    print()
    print("  runs (wall s): " + ", ".join(f"{r['wall']:.1f}" for r in runs))
    return wall, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jiuye-bench"))
    parser.add_argument("--excel-rows", type=int, help="cap of the Excel lists (0: none); default the CLI's")
    parser.add_argument("--naive", action="store_true", help="also time a per-entity loop (--sample persons)")
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--scan-floor")
    parser.add_argument("--baseline", help="src folder of another checkout, run interleaved for before/after")
    args = parser.parse_args()
    if args.scan_floor:
        _scan_floor(args.scan_floor)
        return
    load = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    registry = _registry(args.persons, args.workdir)
    floors, runs, before = [], [], []
    for i in range(args.repeat):  # interleaved, so all see the same load
        floors.append(_measured([sys.executable, __file__, "--scan-floor", str(registry)]))
        if args.baseline:
            before.append(_match(registry, args.workdir / f"out-{args.persons}-b{i}", args.excel_rows, args.baseline))
        runs.append(_match(registry, args.workdir / f"out-{args.persons}-{i}", args.excel_rows))
    floor = _median(floors, "wall")
    print(f"scan floor (read the registry's Parquet files, fresh process): median {floor:.2f} s wall")
    if before:
        _report(f"before ({args.baseline})", before, args.persons, floor)
    wall, rss = _report("jiuye match", runs, args.persons, floor)
    if before:
        cpu, cpu_before = _median(runs, "cpu"), _median(before, "cpu")
        print(
            f"after / before: wall {wall / _median(before, 'wall'):.2f}×, CPU {cpu / cpu_before:.2f}×, "
            f"peak RSS {rss / _median(before, 'rss_mb'):.2f}×"
        )
    seconds, memory = TARGETS.get(args.persons, (None, None))
    if seconds is not None:
        verdict = "met" if wall <= seconds and (memory is None or rss <= memory) else "NOT met"
        print(f"target: ≤ {seconds:.0f} s" + (f", ≤ {memory:,.0f} MB" if memory else "") + f": {verdict}")
    if args.naive:
        naive = _naive_per_entity(registry, args.sample)
        print(f"naive per-entity loop ({SIMPLE}, {args.sample} persons): {naive * 1000:.2f} ms/entity")


if __name__ == "__main__":
    main()
