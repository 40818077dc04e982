"""符合条件名单 as a caseworker opens it: a workbook per region one level below the match's
(a province's match: one per city, ``eligible/450100南宁市.xlsx``; a city's: one per county), in
it a 说明 sheet, then a sheet per measure, written in constant memory and capped.

The whole list is always in eligible.csv and decisions.parquet; the workbooks hold its first
:data:`EXCEL_LIST_MAX_ROWS` rows, region by region (by code), and say so: the 说明 sheet of each
workbook gives, per measure, the rows of the region and the rows written, and the summary names
the first region left out. One level down, not one workbook per county: a workbook and its
sheets cost a dozen files to pack whatever their size, so 111 county workbooks of 800 sheets
took 20 s for a list of 2,737 rows (2 cores at load 13; 14 city workbooks: 4 s).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jiuye.matching.sheets import DECISION_HEADERS, KIND_WORDS, for_people
from jiuye.matching.xlsx_stream import EXCEL_SHEET_ROWS, write_workbook
from jiuye.regions import NATIONAL, region_name

__all__ = ["EXCEL_LIST_MAX_ROWS", "ExcelLists", "write_eligible_lists"]

#: Named assumption: rows of the Excel lists of one run, all workbooks together. Excel opens a
#: sheet of up to 1,048,576 rows (EXCEL_SHEET_ROWS), but a caseworker works down a list of a
#: county's few thousand beneficiaries; and a workbook row costs about 24 µs of CPU (cell by
#: cell, in Python), so at 1M persons 100,000 rows took the writing to 37% of the run and
#: 50,000 keep it within the third issue 13 allows (docs/matching.md, benchmarks/match_scale.py).
EXCEL_LIST_MAX_ROWS = 50_000
FOLDER = "eligible"
FULL_LIST = "eligible.csv"
#: A measure's sheet: who, where, and how much (measure, kind and fund are the sheet's, written
#: once in 说明).
_SHEET_COLUMNS = ("region", "subject_id", "subject_name", "amount", "ceiling")
_UNKNOWN = "地区不详"


@dataclass
class ExcelLists:
    rows: int  # rows of the whole list (eligible.csv)
    written: int = 0  # rows written to workbooks
    cap: int = EXCEL_LIST_MAX_ROWS
    workbooks: list[str] = field(default_factory=list)  # relative to the output folder
    first_left_out: str | None = None  # the first region (code) not wholly in a workbook

    def note(self) -> str:
        """What the workbooks hold, for the summary (Chinese: the summary is read by people)."""
        told = f"Excel 名单（{FOLDER}/ 目录，每个地区一个工作簿、每项政策一张工作表）写入 {self.written:,} 行"
        if self.written == self.rows:
            return f"{told}，即全部名单；全部名单另见 {FULL_LIST}"
        if self.cap == 0:
            return f"未写 Excel 名单（上限设为 0 行）；全部 {self.rows:,} 行见 {FULL_LIST} 与 decisions.parquet"
        return (
            f"{told}，共 {self.rows:,} 行：Excel 名单上限 {self.cap:,} 行（按地区代码顺序写入），"
            f"自地区 {self.first_left_out} 起未写入 Excel 的 {self.rows - self.written:,} 行见 {FULL_LIST}"
            "（全部名单）与 decisions.parquet；提示：用 --excel-region 或 --excel-measure 缩小 Excel 名单"
        )


def _workbook_of(run_region: str) -> pl.Expr:
    """The region whose workbook holds a row: one level below the match's region."""
    code = pl.col("region")
    if run_region == NATIONAL:
        return code.str.slice(0, 2) + "0000"
    if run_region.endswith("0000"):
        return code.str.slice(0, 4) + "00"
    return code


def _label(code: str | None) -> str:
    """``450103南宁市青秀区``: the code, then the name within the province."""
    if code is None:
        return _UNKNOWN
    name = region_name(code)
    if "（" in name:  # not a listed region: its code says it all
        return code
    return code + (name if code.endswith("0000") else name.removeprefix(region_name(code[:2] + "0000")))


_MONEY = (DECISION_HEADERS["amount"], DECISION_HEADERS["ceiling"])


def _measure_sheet(rows: pl.DataFrame) -> pl.DataFrame:
    """Who, where and how much; a money column no row of the sheet has is left out."""
    return rows.select(
        c for c in rows.columns if not c.startswith("_") and (c not in _MONEY or rows[c].null_count() < rows.height)
    )


def _guides(listing: pl.LazyFrame, written: pl.DataFrame, cap: int) -> dict[str | None, pl.DataFrame]:
    """The 说明 sheet of each workbook: per measure, its sheet, what it is, and how many of the
    region's rows are written."""
    from jiuye.catalog import FUND_NAMES

    whole = (
        listing.group_by("_workbook", "measure", maintain_order=True)
        .agg(
            pl.col("title").first(),
            pl.col("subject_kind").first(),
            pl.col("fund").first(),
            pl.len().alias("rows"),
            pl.col("amount").sum().alias("amount"),
        )
        .collect()
    )
    shown = written.group_by("_workbook", "measure").agg(pl.len().alias("written"))
    table = whole.join(shown, on=["_workbook", "measure"], how="left", maintain_order="left").with_columns(
        pl.col("written").fill_null(0)
    )
    guides = table.select(
        "_workbook",
        pl.col("measure").alias("工作表（政策编号）"),
        pl.col("title").alias("政策名称"),
        pl.col("subject_kind").replace(KIND_WORDS).alias("对象类型"),
        pl.col("fund").replace_strict(FUND_NAMES, default=pl.col("fund")).alias("资金渠道"),
        pl.col("rows").alias("本地区符合条件（行）"),
        pl.col("written").alias("本工作簿写入（行）"),
        pl.col("amount").alias("本地区应发金额合计（元）"),
        pl.lit(cap).alias("Excel 名单上限（行）"),
        pl.when(pl.col("written") == pl.col("rows"))
        .then(pl.lit("全部写入"))
        .otherwise(pl.format("只写入前 {} 行（已达 Excel 名单上限），全部 {} 行见 " + FULL_LIST, "written", "rows"))
        .alias("备注"),
    )
    return {key: part.drop("_workbook") for (key,), part in guides.partition_by("_workbook", as_dict=True).items()}


def _first_rows(listing: pl.LazyFrame, cap: int, lists: ExcelLists) -> pl.DataFrame:
    """The first ``cap`` rows by workbook and region (stable: within a region, measures stay in
    the catalog's order and beneficiaries in theirs). Only the regions that reach the workbooks
    are read and sorted, not a province's whole list."""
    sizes = listing.group_by("_workbook", "region").len().sort("_workbook", "region", nulls_last=True).collect()
    ends = sizes.get_column("len").cum_sum()
    taken = sizes.filter(ends - sizes.get_column("len") < cap).get_column("region")
    if ends[-1] > cap:
        lists.first_left_out = sizes.filter(ends > cap).get_column("region")[0] or _UNKNOWN
    keep = pl.col("region").is_in(taken.drop_nulls().implode())
    if taken.null_count():
        keep = keep | pl.col("region").is_null()
    written = listing.filter(keep).collect().sort("_workbook", "region", maintain_order=True, nulls_last=True).head(cap)
    lists.written = written.height
    return written


def write_eligible_lists(
    listing: pl.DataFrame | pl.LazyFrame, folder: Path, *, run_region: str, cap: int = EXCEL_LIST_MAX_ROWS
) -> ExcelLists:
    """Write the workbooks of ``listing`` (rows of decisions.parquet, in the match's order) under
    ``folder / FOLDER``: its first ``cap`` rows by region, then measure as in the catalog. A lazy
    ``listing`` is read only as far as the workbooks need."""
    cap = min(cap, EXCEL_SHEET_ROWS - 1)
    lazy = listing.lazy()
    rows, least = lazy.select(pl.len(), pl.col("region").min()).collect().row(0)
    lists = ExcelLists(rows=rows, cap=cap)
    if rows == 0 or cap == 0:
        if cap == 0 and rows:
            lists.first_left_out = str(least or _UNKNOWN)
        return lists
    with_book = lazy.with_columns(_workbook_of(run_region).alias("_workbook"))
    written = _first_rows(with_book, cap, lists)
    guides = _guides(with_book, written, cap)
    people = for_people(
        written, {"_workbook": "_workbook", "measure": "_measure"} | {c: DECISION_HEADERS[c] for c in _SHEET_COLUMNS}
    )
    if not written.is_empty():
        (folder / FOLDER).mkdir(parents=True)
    for (code,), rows in people.partition_by("_workbook", maintain_order=True, as_dict=True).items():
        sheets = [("说明", guides[code])]
        sheets += [
            (str(measure), _measure_sheet(part))
            for (measure,), part in rows.partition_by("_measure", maintain_order=True, as_dict=True).items()
        ]
        name = f"{FOLDER}/{_label(code)}.xlsx"
        write_workbook(folder / name, sheets)
        lists.workbooks.append(name)
    return lists
