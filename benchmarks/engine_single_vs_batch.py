"""Benchmark: the same measures, per document (with trace) vs one batch (no trace).

Run: .venv/bin/python benchmarks/engine_single_vs_batch.py [--docs 400] [--repeat 3]
Prints median seconds and per-entity rates; the registry-scale benchmark is issue #3's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.calculator import calculate, prior_grants_frame
from jiuye.facts import facts_from_data
from jiuye.facts.tables import build_tables
from jiuye.params import load_parameters
from random_facts import random_facts

AS_OF = dt.date(2025, 12, 31)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    params = load_parameters()
    docs = [random_facts(seed, tag=f"D{seed}-") for seed in range(args.docs)]
    facts = [facts_from_data(d) for d in docs]
    merged_doc: dict[str, list[object]] = {}
    for d in docs:
        for key, rows in d.items():
            merged_doc.setdefault(key, []).extend(rows)
    merged = facts_from_data(merged_doc)
    entities = sum(len(f.persons) + len(f.employers) for f in facts)

    single, batch = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for f in facts:
            calculate(f, as_of=AS_OF, region="450103", params=params)
        single.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        rows = evaluate_batch(
            build_tables(merged), as_of=AS_OF, region="450103", params=params, prior=prior_grants_frame(merged)
        )
        decide_batch(rows)
        batch.append(time.perf_counter() - t0)
    s, b = statistics.median(single), statistics.median(batch)
    print(f"documents: {args.docs}, persons+employers: {entities}, decision rows: {rows.height}")
    print(f"per-document calculator (with trace): median {s:.2f} s ({s / args.docs * 1000:.1f} ms/document)")
    print(f"one batch (no trace):                 median {b:.2f} s ({b / entities * 1e6:.0f} µs/entity)")
    print(f"ratio single/batch: {s / b:.1f}×")


if __name__ == "__main__":
    main()
