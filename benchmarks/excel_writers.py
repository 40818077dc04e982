"""Benchmark: ways of writing a caseworker list to a workbook (why jiuye.matching.xlsx_stream
uses xlsxwriter's constant_memory mode).

Run: .venv/bin/python benchmarks/excel_writers.py [--rows 100000] [--repeat 3]

Each writer writes the same list (a 符合条件名单 sheet: region, ID, name, amount in yuan) in a
fresh process; prints wall and CPU seconds and peak RSS, medians, and each writer's ratio to
the fastest. Writers: jiuye's own (xlsxwriter constant_memory, a write per typed cell),
xlsxwriter constant_memory through ``write_row``, openpyxl write-only, and Polars'
``write_excel`` (the whole sheet in memory: what ``jiuye match`` used before).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

WRITERS = ("jiuye", "xlsxwriter_write_row", "openpyxl_write_only", "polars_write_excel")


def _frame(rows: int):  # type: ignore[no-untyped-def]
    import polars as pl

    return pl.DataFrame(
        {
            "地区代码": [f"4501{i % 20:02d}" for i in range(rows)],
            "对象编号": [f"P{i:09d}" for i in range(rows)],
            "对象名称": [f"张{i % 997}芳" for i in range(rows)],
            "应发金额（元）": pl.Series([Decimal(1500 + i % 7) / 2 for i in range(rows)], dtype=pl.Decimal(18, 2)),
        }
    )


def _write(writer: str, rows: int, path: Path) -> None:
    frame = _frame(rows)
    t0, c0 = time.perf_counter(), time.process_time()
    if writer == "jiuye":
        from jiuye.matching.xlsx_stream import write_workbook

        write_workbook(path, [("名单", frame)])
    elif writer == "xlsxwriter_write_row":
        import xlsxwriter  # type: ignore[import-untyped]

        with xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False}) as book:
            sheet = book.add_worksheet("名单")
            sheet.write_row(0, 0, frame.columns)
            for i, values in enumerate(frame.iter_rows(), start=1):
                sheet.write_row(i, 0, values)
    elif writer == "openpyxl_write_only":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("名单")
        sheet.append(frame.columns)
        for values in frame.iter_rows():
            sheet.append(values)
        book.save(path)
    else:
        frame.write_excel(path, worksheet="名单")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{wall} {cpu} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as folder:
            _write(args.child, args.rows, Path(folder) / "list.xlsx")
        return
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.1f}")
    results: dict[str, list[tuple[float, float, float]]] = {w: [] for w in WRITERS}
    for _ in range(args.repeat):  # interleaved, so every writer sees the same load
        for writer in WRITERS:
            done = subprocess.run(
                [sys.executable, __file__, "--child", writer, "--rows", str(args.rows)],
                check=True,
                capture_output=True,
                text=True,
            )
            wall, cpu, rss = (float(x) for x in done.stdout.split())
            results[writer].append((wall, cpu, rss))
    medians = {w: tuple(statistics.median(r[i] for r in runs) for i in range(3)) for w, runs in results.items()}
    fastest = min(m[1] for m in medians.values())
    print(f"{args.rows:,} rows x 4 columns, median of {args.repeat}:")
    for writer, (wall, cpu, rss) in medians.items():
        print(
            f"  {writer:22s} {wall:6.2f} s wall, {cpu:6.2f} s CPU ({cpu / fastest:.1f}x), "
            f"{args.rows / cpu:,.0f} rows/CPU-s, peak RSS {rss:,.0f} MB"
        )


if __name__ == "__main__":
    main()
