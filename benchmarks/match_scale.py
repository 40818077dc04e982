"""Benchmark: proactive matching over a synthetic registry (issue 3 targets).

Run: .venv/bin/python benchmarks/match_scale.py --persons 1000000 [--repeat 3] [--workdir /tmp/jiuye-bench]

Prints, per run in a fresh process: wall seconds and peak RSS for all measures, and for one simple
measure; then the batch path against a naive per-entity loop over the same engine (per-entity
time, from a sample of entities). Medians over --repeat runs. Targets (2 cores, 24 GB): 10M persons,
all measures, < 60 s and < 8 GB peak RSS; batch ≥ 100× faster per entity than the loop.
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
from pathlib import Path

AS_OF = dt.date(2025, 12, 31)
SIMPLE = "gx.difficult.person"


def _registry(persons: int, workdir: Path) -> Path:
    target = workdir / f"registry-{persons}"
    if not (target / "persons.parquet").exists():
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "jiuye"),
                "synth",
                "--persons",
                str(persons),
                "--seed",
                "7",
                "--out",
                str(target),
            ],
            check=True,
        )
        print(f"synth {persons:,} persons: {time.perf_counter() - t0:.1f} s")
    return target


def _child(registry: str, measure: str | None) -> None:
    """Run one match in this (fresh) process and print seconds and peak RSS as JSON."""
    from jiuye.matching import match_registry
    from jiuye.params import load_parameters
    from jiuye.policies.registry import get_measure
    from jiuye.registry.io import read_registry

    t0 = time.perf_counter()
    tables = read_registry(Path(registry)).tables
    chosen = [get_measure(measure)] if measure else None
    result = match_registry(tables, as_of=AS_OF, region="450000", params=load_parameters(), measures=chosen)
    seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "decisions": result.decisions.height}))


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


def _run(registry: Path, measure: str | None) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", str(registry)] + (["--measure", measure] if measure else [])
    done = subprocess.run(args, check=True, capture_output=True, text=True, env={**os.environ})
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jiuye-bench"))
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--child")
    parser.add_argument("--measure")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.measure)
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    registry = _registry(args.persons, args.workdir)
    for label, measure in (("all measures", None), (f"one measure ({SIMPLE})", SIMPLE)):
        runs = [_run(registry, measure) for _ in range(args.repeat)]
        secs = statistics.median(r["seconds"] for r in runs)
        rss = statistics.median(r["rss_mb"] for r in runs)
        print(
            f"{label}: median {secs:.1f} s, {args.persons / secs:,.0f} persons/s, "
            f"peak RSS {rss:,.0f} MB, decisions kept {runs[0]['decisions']:,}"
        )
        if measure:
            batch_per_entity = secs / args.persons
    naive = _naive_per_entity(registry, args.sample)
    print(
        f"naive per-entity loop ({SIMPLE}, {args.sample} persons): {naive * 1000:.2f} ms/entity; "
        f"batch {batch_per_entity * 1e6:.2f} µs/entity; ratio {naive / batch_per_entity:,.0f}×"
    )


if __name__ == "__main__":
    main()
