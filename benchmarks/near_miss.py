"""Benchmark: what near misses (差一点) cost in proactive matching, side by side in one run.

Run: .venv/bin/python benchmarks/near_miss.py --persons 1000000 [--repeat 3] [--baseline-src ../main/src] [--write]

Each run is a fresh process over the same synthetic registry (``jiuye synth --seed 7``): read and
check the registry, evaluate all measures (``match_registry``), and with ``--write`` write the
outputs as ``jiuye match`` does (``write_match``: decisions, budget, lists; the Excel caseworker
list dominates). Modes, interleaved so that a busy machine slows them alike:

- ``with``: near misses computed (the default behaviour);
- ``without``: the same code under ``near_misses_off()`` (the two columns left null);
- ``baseline`` (with ``--baseline-src``): another checkout's code, e.g. the main branch before
  near misses existed: today's evaluation time.

Prints the median of each, the overhead of ``with`` over the others, and the near-miss count.
Target (issue 11): evaluation with near misses ≤ 20% over today's.
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
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2025, 12, 31)
SRC = Path(__file__).resolve().parents[1] / "src"


def _registry(persons: int, workdir: Path) -> Path:
    target = workdir / f"registry-{persons}"
    if not (target / "persons.parquet").exists():
        t0 = time.perf_counter()
        command = [sys.executable, "-m", "jiuye.cli.app", "synth", "--persons", str(persons), "--seed", "7"]
        subprocess.run([*command, "--out", str(target)], check=True, env={**os.environ, "PYTHONPATH": str(SRC)})
        print(f"synth {persons:,} persons: {time.perf_counter() - t0:.1f} s")
    return target


def _child(registry: str, mode: str, write: bool) -> None:
    """One match in this fresh process: seconds to read, evaluate and write, as JSON."""
    import contextlib

    from jiuye.matching import match_registry
    from jiuye.matching.output import write_match
    from jiuye.params import load_parameters
    from jiuye.registry.io import read_registry

    switch: contextlib.AbstractContextManager[object] = contextlib.nullcontext()
    if mode == "without":
        from jiuye.engine.near_miss import near_misses_off

        switch = near_misses_off()
    t0 = time.perf_counter()
    tables = read_registry(Path(registry)).tables
    t1 = time.perf_counter()
    with switch:
        result = match_registry(tables, as_of=AS_OF, region="450000", params=load_parameters())
    t2 = time.perf_counter()
    written = 0
    if write:
        with tempfile.TemporaryDirectory() as folder:
            written = write_match(result, tables, Path(folder) / "out")["eligible_decisions"]
    t3 = time.perf_counter()
    near_frame = getattr(result, "near_misses", None)
    near = 0 if near_frame is None else near_frame.height
    print(
        json.dumps(
            {
                "read": t1 - t0,
                "evaluate": t2 - t1,
                "write": t3 - t2,
                "decisions": result.decisions.height,
                "near_misses": near,
                "eligible_written": written,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def _run(registry: Path, mode: str, src: Path, write: bool) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", str(registry), "--mode", mode, *(["--write"] if write else [])]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(args, check=True, capture_output=True, text=True, env=env)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jiuye-bench"))
    parser.add_argument("--baseline-src", type=Path, help="another checkout's src/ (today's code) to compare with")
    parser.add_argument("--child")
    parser.add_argument("--mode", default="with")
    parser.add_argument("--write", action="store_true", help="also write the outputs (slow: Excel lists)")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.mode, args.write)
        return
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GB, Python {platform.python_version()}")
    registry = _registry(args.persons, args.workdir)
    modes = {"with": SRC, "without": SRC}
    if args.baseline_src:
        modes["baseline"] = args.baseline_src.resolve()
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
    for _ in range(args.repeat):
        for mode, src in modes.items():
            runs[mode].append(_run(registry, mode, src, args.write))
    medians = {mode: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for mode, rs in runs.items()}
    print(f"{args.persons:,} persons, all measures, median of {args.repeat} (seconds):")
    print(f"{'mode':<10}{'read':>8}{'evaluate':>10}{'write':>8}{'decisions':>12}{'near misses':>13}{'RSS MB':>9}")
    for mode, m in medians.items():
        print(
            f"{mode:<10}{m['read']:>8.1f}{m['evaluate']:>10.1f}{m['write']:>8.1f}"
            f"{m['decisions']:>12,.0f}{m['near_misses']:>13,.0f}{m['rss_mb']:>9,.0f}"
        )
    for other in [m for m in medians if m != "with"]:
        for part in ("evaluate", "write") if args.write else ("evaluate",):
            extra = medians["with"][part] / medians[other][part] - 1
            print(f"near misses: {part} {extra:+.0%} over {other}")


if __name__ == "__main__":
    main()
