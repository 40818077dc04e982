"""Benchmark: how fast ``jiuye synth`` writes a registry, and its peak memory.

Run: .venv/bin/python benchmarks/synth_speed.py [--persons 1000000] [--repeat 3] [--out DIR]
Each run writes into a fresh directory (removed afterwards unless --keep); prints the median
seconds, persons per second, rows per second over all tables, the files' size, and the peak
resident memory of the process (each run in a child process, so the peak is that run's own).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from jiuye.registry.synth import synthesize
started = time.perf_counter()
manifest = synthesize(Path(sys.argv[1]), persons=int(sys.argv[2]), seed=int(sys.argv[3]))
seconds = time.perf_counter() - started
rows = sum(t["rows"] for t in manifest["tables"].values())
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "rows": rows, "peak_mib": peak_kib / 1024}))
"""


def _run(out: Path, persons: int, seed: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(out), str(persons), str(seed)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the last registry written")
    args = parser.parse_args()
    base = args.out or Path(tempfile.mkdtemp(prefix="synth-bench-"))
    runs = []
    for i in range(args.repeat):
        out = base / f"run{i}"
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        runs.append(_run(out, args.persons, args.seed))
        runs[-1]["wall"] = time.perf_counter() - started
        size = sum(p.stat().st_size for p in out.iterdir())
        if not (args.keep and i == args.repeat - 1):
            shutil.rmtree(out, ignore_errors=True)
    seconds = statistics.median(r["seconds"] for r in runs)
    rows = runs[0]["rows"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"persons: {args.persons:,}, rows over all tables: {int(rows):,}, files: {size / 2**20:.0f} MiB")
    each = ", ".join(f"{r['seconds']:.1f}" for r in runs)
    print(f"runs (s): {each}")
    print(f"median {seconds:.1f} s: {args.persons / seconds:,.0f} persons/s, {rows / seconds:,.0f} rows/s")
    print(f"peak resident memory: {max(r['peak_mib'] for r in runs):,.0f} MiB")
    if args.keep:
        print(f"kept: {base / f'run{args.repeat - 1}'}")
    elif not args.out:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
