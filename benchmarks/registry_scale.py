"""Benchmark: the input side at scale: read + check a registry, then build the engine's unit tables.

Run: .venv/bin/python benchmarks/registry_scale.py [--persons 1000000 10000000] [--repeat 3]
         [--workdir /tmp/jiuye-bench]

For each size (a registry written once by ``jiuye synth --seed 7``), each run is a fresh child
process, so its peak resident memory is its own:

* anchor: a bare ``pl.scan_parquet(file).collect()`` of every table file, all columns: the floor
  of reading the same bytes;
* read + check: ``read_registry`` (every cell checked, duplicate ids, references across tables);
* unit tables: the persons and employers converted once, in memory (money to fen, 300号 size,
  integer keys), as ``jiuye match`` does, then every unit table joined and collected with the
  columns all measures read (``columns_used``), its joins limited to them; then again with every
  column. Peak RSS is quoted after each stage (the check, the tables the measures read, all).

Prints medians over --repeat runs, the ratio of each stage to the anchor measured in the same
run, and the peak RSS of each kind of child. Note the load of the machine: on a shared 2-core
machine only the ratios are comparable between runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_ANCHOR = """
import json, resource, sys, time
from pathlib import Path
import polars as pl
started = time.perf_counter()
rows = 0
for path in sorted(Path(sys.argv[1]).glob("*.parquet")):
    rows += pl.scan_parquet(path).collect().height
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"anchor": seconds, "rows": rows, "peak_mb": peak}))
"""


def _read_child(registry: Path) -> None:
    """read + check, then the unit tables (the columns the measures read; then every column)."""
    import resource

    from jiuye.facts.tables import UNITS, partner_frames, unit_frame
    from jiuye.registry.io import read_registry

    started = time.perf_counter()
    tables = read_registry(registry).tables
    checked = time.perf_counter()
    after_check = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    needed = _columns_measures_read(tables)
    started_used = time.perf_counter()
    wanted = {c for columns in needed.values() for c in columns}
    partners = {}
    for name, frame in partner_frames(tables).items():
        own = name.removesuffix("s")
        aliases = (own, "agency") if own == "employer" else (own,)
        fields = {own + "_" + c.split("_", 1)[1] for c in wanted if c.split("_", 1)[0] in aliases}
        keep = [c for c in frame.collect_schema().names() if c in fields | {f"{own}_id", f"{own}_key"}]
        partners[name] = frame.select(keep).collect().lazy()
    for unit, columns in needed.items():  # one unit table at a time, as jiuye match holds them
        unit_frame(unit, tables, partners, columns=columns).select(sorted(columns)).collect()
    used = time.perf_counter() - started_used
    after_used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del partners
    started_full = time.perf_counter()
    partners = {name: frame.collect().lazy() for name, frame in partner_frames(tables).items()}
    rows = sum(unit_frame(unit, tables, partners).collect().height for unit in UNITS)
    full = time.perf_counter() - started_full
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"check": checked - started, "build": full, "used": used, "unit_rows": rows}
    print(json.dumps(result | {"check_peak_mb": after_check, "used_peak_mb": after_used, "peak_mb": peak}))


def _columns_measures_read(tables: dict[str, Any]) -> dict[Any, set[str]]:
    """Per unit, the columns all measures read (``columns_used``), their dates and locations."""
    from jiuye.engine.evaluate import columns_used
    from jiuye.engine.variants import with_variants
    from jiuye.facts.tables import UNITS, partner_frames, unit_frame
    from jiuye.params import load_parameters
    from jiuye.policies.registry import all_measures

    params, as_of = load_parameters(), dt.date(2025, 12, 31)
    lazy = partner_frames(tables)
    needed: dict[Any, set[str]] = {}
    for measure in with_variants(all_measures()):
        spec = UNITS[measure.unit]
        available = unit_frame(measure.unit, tables, lazy).collect_schema().names()
        used = {*columns_used(measure, params, as_of, available, spec.key_date), *spec.location}
        needed.setdefault(measure.unit, set()).update(used | ({spec.key_date} if spec.key_date else set()))
    return needed


def _registry(persons: int, workdir: Path) -> Path:
    target = workdir / f"registry-{persons}"
    if not (target / "persons.parquet").exists():
        started = time.perf_counter()
        command = [sys.executable, "-m", "jiuye.cli.app", "synth", "--persons", str(persons), "--seed", "7"]
        subprocess.run([*command, "--out", str(target)], check=True, capture_output=True)
        print(f"synth {persons:,} persons: {time.perf_counter() - started:.0f} s")
    return target


def _child(code: str | None, registry: Path) -> dict[str, float]:
    command = [sys.executable, "-c", code] if code else [sys.executable, __file__, "--child"]
    done = subprocess.run([*command, str(registry)], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jiuye-bench"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("registry", type=Path, nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _read_child(args.registry)
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {_load()}")
    for persons in args.persons:
        registry = _registry(persons, args.workdir)
        anchors, reads = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same load
            anchors.append(_child(_ANCHOR, registry))
            reads.append(_child(None, registry))
        anchor = statistics.median(r["anchor"] for r in anchors)
        check = statistics.median(r["check"] for r in reads)
        build = statistics.median(r["build"] for r in reads)
        used = statistics.median(r["used"] for r in reads)
        print(f"{persons:,} persons ({anchors[0]['rows']:,} registry rows, {reads[0]['unit_rows']:,} unit rows):")
        print(f"  anchor scan_parquet().collect(): median {anchor:.2f} s, peak RSS {anchors[0]['peak_mb']:,.0f} MB")
        print(
            f"  read + check (read_registry):   median {check:.2f} s ({check / anchor:.1f}× anchor), "
            f"peak RSS {max(r['check_peak_mb'] for r in reads):,.0f} MB"
        )
        print(
            f"  unit tables, columns measures read: median {used:.2f} s ({used / anchor:.1f}× anchor); "
            f"read + check + these: {check + used:.2f} s ({(check + used) / anchor:.1f}× anchor), "
            f"peak RSS {max(r['used_peak_mb'] for r in reads):,.0f} MB"
        )
        print(
            f"  unit tables, every column:     median {build:.2f} s ({build / anchor:.1f}× anchor), "
            f"peak RSS {max(r['peak_mb'] for r in reads):,.0f} MB"
        )
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
