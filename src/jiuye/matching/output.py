"""Write a match to disk all at once: into a temporary folder, renamed into place at the end, so
a failed run leaves no partial output behind.

What is written (docs/matching.md):

- ``decisions.parquet``: every decision kept and every near miss, always whole;
- ``budget.parquet``, ``budget.csv``, ``budget.xlsx``: the budget by measure, fund, region, month;
- ``eligible.csv``: the whole 符合条件名单 (identifiers masked), and ``eligible/``: the same list
  as workbooks a caseworker opens, capped (:mod:`jiuye.matching.eligible_lists`);
- ``near_misses.csv`` (whole) and ``near_misses.xlsx`` when it fits;
- ``summary.json`` (with what went to Excel and where the rest is) and ``provenance.json``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from jiuye.engine.evaluate import ELIGIBLE
from jiuye.engine.provenance import provenance_of
from jiuye.errors import JiuyeError
from jiuye.matching.budget import budget_summary, budget_totals
from jiuye.matching.decision_table import decision_table
from jiuye.matching.eligible_lists import EXCEL_LIST_MAX_ROWS, FULL_LIST, write_eligible_lists
from jiuye.matching.near_misses import NEAR_MISS_HEADERS, write_near_miss_list
from jiuye.matching.run import MatchResult
from jiuye.matching.sheets import BUDGET_HEADERS, DECISION_HEADERS, for_people, provenance_sheet, yuan
from jiuye.matching.xlsx_stream import EXCEL_SHEET_ROWS, write_workbook
from jiuye.money import fen_to_decimal

__all__ = [
    "EXCEL_LIST_MAX_ROWS",
    "EXCEL_MAX_ROWS",
    "NEAR_MISS_EXCEL_MAX_ROWS",
    "OutputExistsError",
    "near_miss_sheet",
    "write_match",
    "write_near_misses",
]

#: Excel's own limit is 1,048,576 rows (header included): a list cut by ``jiuye near-misses``
#: beyond that goes to CSV.
EXCEL_MAX_ROWS = EXCEL_SHEET_ROWS - 1
#: The 差一点 list goes to a workbook up to this size: it is a follow-up list, read row by row,
#: and a workbook of 720,000 rows doubled the time ``jiuye match`` took to write its outputs at
#: 1M persons (docs/near-misses.md). A longer list is in near_misses.csv whole, and
#: ``jiuye near-misses`` cuts it by measure, region or condition into a workbook.
NEAR_MISS_EXCEL_MAX_ROWS = 100_000


_T = TypeVar("_T")


class OutputExistsError(JiuyeError):
    code = "OUTPUT_EXISTS"


def near_miss_sheet(near: pl.DataFrame) -> pl.DataFrame:
    """A near-miss list (:func:`jiuye.matching.near_misses.near_miss_list`) with Chinese headers."""
    return for_people(near, NEAR_MISS_HEADERS)


def write_near_misses(near: pl.DataFrame, path: Path) -> None:
    """Write a near-miss list as CSV (UTF-8 with BOM, for Excel) or, for ``.xlsx``, a workbook."""
    if path.suffix.lower() == ".xlsx":
        if near.height > EXCEL_MAX_ROWS:
            msg = (
                f"差一点名单有 {near.height} 行，超过 Excel 上限（{EXCEL_MAX_ROWS} 行）；"
                "提示：改写为 .csv，或按政策、地区筛选"
            )
            raise JiuyeError(msg)
        write_workbook(path, [("差一点名单", near_miss_sheet(near))])
    else:
        near_miss_sheet(near).write_csv(path, include_bom=True)


def _money(fen: object) -> str:
    return str(fen_to_decimal(int(fen or 0)))  # type: ignore[call-overload]


def _timed(work: Callable[..., _T], *args: Any, **kwargs: Any) -> tuple[_T, float]:
    began = time.perf_counter()
    return work(*args, **kwargs), time.perf_counter() - began


class _Clock:
    """Seconds spent per part of the writing (summary.json ``timings.write_parts``)."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, part: str) -> None:
        now = time.perf_counter()
        self.parts[part] = round(self.parts.get(part, 0.0) + now - self._last, 3)
        self._last = now


def write_match(
    result: MatchResult,
    registry: Mapping[str, pl.LazyFrame],
    out: Path,
    *,
    overwrite: bool = False,
    excel_filter: pl.Expr | None = None,
    excel_cap: int = EXCEL_LIST_MAX_ROWS,
    extra: dict[str, Any] | None = None,
    registry_hash: str | None = None,
    timings: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Write decisions, budget, the caseworker lists and the near-miss list (差一点名单, CSV
    always, Excel when it fits); return the summary (also summary.json).

    ``excel_filter`` narrows the Excel lists (never eligible.csv or decisions.parquet);
    ``excel_cap`` caps their rows. ``provenance.json`` (and the budget workbook's 依据与版本
    sheet) record the engine version, each measure's rule hash and parameter dates, and
    ``registry_hash``, the input files' hash; every decision row carries its measure's rule hash.

    The decisions are streamed from the match's spool to decisions.parquet and the lists, never
    all in memory (``registry`` is no longer read: the names are in the spool).

    ``summary["timings"]`` gives the seconds of each stage: ``timings`` (the caller's, such as
    reading the registry), the match's own (evaluate, decide), and this writing, by part (the
    match's ``spool``, finishing and writing its blocks as they were decided, is part of it)."""
    began, began_cpu = time.perf_counter(), time.process_time()
    provenance = provenance_of(
        result.rules.values(), input_kind="registry", input_hash=registry_hash, as_of=result.as_of, region=result.region
    )
    if out.exists() and not overwrite:
        msg = f"输出目录 {out} 已存在；提示：换一个目录，或加 --overwrite 覆盖"
        raise OutputExistsError(msg)
    clock = _Clock()
    table = decision_table(result)
    in_fen = budget_summary(result)
    budget = in_fen.with_columns(yuan(), yuan("ceiling_fen", "ceiling")).drop("amount_fen", "ceiling_fen")
    totals = budget_totals(in_fen)
    selected = (pl.col("status") == ELIGIBLE) & pl.col("selected")
    payable = table.scan(near=False).filter(selected)
    listing = payable if excel_filter is None else payable.filter(excel_filter)
    paid = result.spool.scan(near=False).filter(selected).select(pl.len(), pl.col("amount_fen").sum()).collect().row(0)
    clock.lap("prepare")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        # The workbooks are written in Python, holding the GIL; Polars writes Parquet and CSV
        # without it: on two cores the two overlap. Leaving the block waits for the workbooks.
        with ThreadPoolExecutor(max_workers=1) as excel:
            budget_book = excel.submit(
                write_workbook,
                staging / "budget.xlsx",
                [("预算汇总", for_people(budget, BUDGET_HEADERS)), ("依据与版本", provenance_sheet(provenance))],
            )
            eligible_books = excel.submit(
                _timed, write_eligible_lists, listing, staging, run_region=result.region, cap=excel_cap
            )
            # zstd at level 1: the same size as the default level here, a fifth less CPU
            table.whole().sink_parquet(staging / "decisions.parquet", compression="zstd", compression_level=1)
            budget.write_parquet(staging / "budget.parquet")
            clock.lap("parquet")
            for_people(budget, BUDGET_HEADERS).write_csv(staging / "budget.csv", include_bom=True)
            for_people(payable, DECISION_HEADERS).sink_csv(staging / FULL_LIST, include_bom=True)
            clock.lap("csv")
            near = write_near_miss_list(table, staging / "near_misses.csv", keep=NEAR_MISS_EXCEL_MAX_ROWS)
            clock.lap("near_miss_csv")
            near_note = None
            if near.rows > NEAR_MISS_EXCEL_MAX_ROWS:
                near_note = (
                    f"差一点名单有 {near.rows} 行，多于 {NEAR_MISS_EXCEL_MAX_ROWS} 行，未导出 near_misses.xlsx；"
                    "提示：near_misses.csv 含全部名单，"
                    "或用 jiuye near-misses 结果目录 --measure 政策 --out 名单.xlsx 筛选导出"
                )
            else:
                assert near.kept is not None
                write_near_misses(near.kept, staging / "near_misses.xlsx")
            budget_book.result()
            lists, excel_seconds = eligible_books.result()
            clock.lap("excel_wait")
        summary = {
            "as_of": result.as_of.isoformat(),
            "region": result.region,
            "decisions": {
                row["measure"] + "|" + row["status"]: row["decisions"] for row in result.counts.iter_rows(named=True)
            },
            "eligible_decisions": paid[0],
            "total_amount": _money(paid[1]),
            "by_fund": {
                (row["fund_name"] or row["fund"]): _money(row["amount_fen"]) for row in totals.iter_rows(named=True)
            },
            # ceilings of grants whose amount the bureau has still to set: not money due, never in the totals
            "total_ceiling_unsettled": _money(in_fen["ceiling_fen"].sum()),
            "eligible_list": FULL_LIST,
            "excel_list": lists.note(),
            "excel_lists": {
                "rows": lists.rows,
                "written": lists.written,
                "cap": lists.cap,
                "first_left_out": lists.first_left_out,
                "workbooks": lists.workbooks,
            },
            "provenance": {
                "engine_version": provenance.engine_version,
                "rule_set_hash": provenance.rule_set_hash,
                "registry_hash": registry_hash,
            },
            "near_misses": near.rows,
            "near_miss_list": near_note or "near_misses.xlsx",
            **(extra or {}),
        }
        own = {k: v for k, v in result.timings.items() if k != "spool"}
        spooled = result.timings.get("spool", 0.0)
        stages = {**(timings or {}), **own, "write": time.perf_counter() - began + spooled}
        summary["timings"] = {
            **{k: round(v, 2) for k, v in stages.items()},
            "total": round(sum(stages.values()), 2),
            "write_parts": {"blocks": round(spooled, 3), **clock.parts, "eligible_workbooks": round(excel_seconds, 3)},
            "cpu": {
                **{k: round(v, 2) for k, v in result.cpu.items() if k != "spool"},
                "write": round(time.process_time() - began_cpu + result.cpu.get("spool", 0.0), 2),
            },
        }
        (staging / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
        text = json.dumps(provenance.to_json(), ensure_ascii=False, indent=2)
        (staging / "provenance.json").write_text(text, "utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary
