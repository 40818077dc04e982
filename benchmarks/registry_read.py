"""Benchmark: reading and checking a registry directory (``read_registry``), and its peak memory.

Run: .venv/bin/python benchmarks/registry_read.py DIR [--repeat 3] [--csv]
DIR is a registry, e.g. one written by ``jiuye synth --persons 1000000 --out DIR``. With --csv,
the Parquet files are first rewritten once as GBK CSV with Chinese headers (in a scratch
directory) and that copy is read instead: the slow path staff exports take.
Each run is a child process, so its peak resident memory is its own. Prints the median
seconds of the check (read_registry) and of collecting every table afterwards, rows per second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import json, resource, sys, time
from pathlib import Path
import polars as pl
from jiuye.registry.io import read_registry
started = time.perf_counter()
registry = read_registry(Path(sys.argv[1]))
checked = time.perf_counter()
rows = sum(frame.collect(engine="streaming").height for frame in registry.tables.values())
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"check": checked - started, "collect": done - checked, "rows": rows, "peak_mb": peak}))
"""


def _as_gbk_csv(source: Path, target: Path) -> None:
    import polars as pl

    from jiuye.registry.headers import TABLES

    for path in sorted(source.glob("*.parquet")):
        model = TABLES[path.stem]
        frame = pl.read_parquet(path)
        labels = {f: model.model_fields[f].title or f for f in frame.columns}
        text = frame.rename(labels).write_csv()
        (target / f"{path.stem}.csv").write_bytes(text.encode("gb18030"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("registry", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv", action="store_true", help="read a GBK CSV copy with Chinese headers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-") as scratch:
        folder = args.registry
        if args.csv:
            folder = Path(scratch)
            _as_gbk_csv(args.registry, folder)
        runs = []
        for _ in range(args.repeat):
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(folder)], check=True, capture_output=True, text=True
            )
            runs.append(json.loads(done.stdout))
    check = statistics.median(r["check"] for r in runs)
    collect = statistics.median(r["collect"] for r in runs)
    rows = runs[0]["rows"]
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores; python {platform.python_version()}")
    print(f"registry: {args.registry} ({'GBK CSV copy' if args.csv else 'as stored'}), {rows:,} rows in all tables")
    print(f"check (read_registry): median {check:.2f} s over {args.repeat} runs, {rows / check:,.0f} rows/s")
    print(f"collect every table afterwards: median {collect:.2f} s")
    print(f"peak RSS: max {max(r['peak_mb'] for r in runs):,.0f} MB")


if __name__ == "__main__":
    main()
