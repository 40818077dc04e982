"""The files ``jiuye match`` writes: the whole decisions in Parquet, the caseworker lists split by
region and measure, capped, written in constant memory, and masked."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest

from jiuye.facts import facts_from_data
from jiuye.identifiers import redact
from jiuye.matching import MatchResult, match_registry
from jiuye.matching.eligible_lists import write_eligible_lists
from jiuye.matching.masking import redacted
from jiuye.matching.output import write_match
from jiuye.params import ParameterSet
from test_matching import _facts, _registry

AS_OF = dt.date(2025, 12, 31)
ID = "450103199001011236"  # shaped like a citizen ID number: masked in every list


@pytest.fixture(scope="module")
def registry() -> dict[str, pl.LazyFrame]:
    return _registry(facts_from_data(_facts(40)))


@pytest.fixture(scope="module")
def result(registry: dict[str, pl.LazyFrame], params: ParameterSet) -> MatchResult:
    return match_registry(registry, as_of=AS_OF, region="450000", params=params)


def _listing(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    """Eligible decisions (measure, subject id, region) as decisions.parquet holds them."""
    return pl.DataFrame(
        {
            "measure": [m for m, _, _ in rows],
            "title": [f"{m} 的名称" for m, _, _ in rows],
            "subject_kind": ["person"] * len(rows),
            "subject_id": [s for _, s, _ in rows],
            "subject_name": [f"姓名{s[-2:]}" for _, s, _ in rows],
            "region": [r for _, _, r in rows],
            "status": ["eligible"] * len(rows),
            "amount": pl.Series([Decimal("1000.50")] * len(rows), dtype=pl.Decimal(18, 2)),
            "ceiling": pl.Series([None] * len(rows), dtype=pl.Decimal(18, 2)),
            "fund": ["employment_fund"] * len(rows),
        }
    )


def _sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


LISTING = [  # in the match's order: measure, then beneficiary
    ("gx.expansion", "P01", "450103"),
    ("gx.expansion", ID, "450205"),
    ("gx.expansion", "P03", "450102"),
    ("gx.ui.refund", "P04", "450205"),
    ("gx.ui.refund", "P05", "450103"),
]


def test_a_workbook_per_city_and_a_sheet_per_measure(tmp_path: Path) -> None:
    lists = write_eligible_lists(_listing(LISTING), tmp_path, run_region="450000")
    assert lists.workbooks == ["eligible/450100南宁市.xlsx", "eligible/450200柳州市.xlsx"]
    assert (lists.rows, lists.written, lists.first_left_out) == (5, 5, None)
    nanning = _sheets(tmp_path / lists.workbooks[0])
    assert list(nanning) == ["说明", "gx.expansion", "gx.ui.refund"]
    assert nanning["gx.expansion"] == [
        ("地区代码", "对象编号", "对象名称", "应发金额（元）"),
        ("450102", "P03", "姓名03", 1000.5),  # by county, then in the match's order
        ("450103", "P01", "姓名01", 1000.5),
    ]
    guide = nanning["说明"]
    assert guide[0][:2] == ("工作表（政策编号）", "政策名称") and [r[0] for r in guide[1:]] == [
        "gx.expansion",
        "gx.ui.refund",
    ]
    assert [r[-1] for r in guide[1:]] == ["全部写入", "全部写入"]
    liuzhou = _sheets(tmp_path / lists.workbooks[1])
    assert liuzhou["gx.expansion"][1][1] == redact(ID) != ID  # an ID number is masked
    # a city's match: a workbook per county
    city = write_eligible_lists(_listing(LISTING[:1] + LISTING[2:3]), tmp_path / "city", run_region="450100")
    assert city.workbooks == ["eligible/450102南宁市兴宁区.xlsx", "eligible/450103南宁市青秀区.xlsx"]


def test_the_cap_writes_the_first_rows_by_region_and_says_where_the_rest_are(tmp_path: Path) -> None:
    lists = write_eligible_lists(_listing(LISTING), tmp_path, run_region="450000", cap=3)
    assert (lists.rows, lists.written, lists.first_left_out) == (5, 3, "450205")
    assert lists.workbooks == ["eligible/450100南宁市.xlsx"]
    guide = _sheets(tmp_path / lists.workbooks[0])["说明"]
    assert [(r[4], r[5], r[7]) for r in guide[1:]] == [(2, 2, 3), (1, 1, 3)]  # rows, written, cap
    note = lists.note()
    assert "上限 3 行" in note and "450205" in note and "2 行见 eligible.csv" in note
    partial = write_eligible_lists(_listing(LISTING), tmp_path / "partial", run_region="450000", cap=1)
    row = _sheets(tmp_path / "partial" / partial.workbooks[0])["说明"][1]
    assert row[5] == 1 and row[-1] == "只写入前 1 行（已达 Excel 名单上限），全部 2 行见 eligible.csv"


def test_workbooks_are_written_in_constant_memory(
    result: MatchResult, registry: dict[str, pl.LazyFrame], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlsxwriter  # type: ignore[import-untyped]

    options: list[dict[str, Any]] = []
    opened = xlsxwriter.Workbook.__init__

    def spy(self: Any, filename: Any, settings: dict[str, Any] | None = None) -> None:
        options.append(dict(settings or {}))
        opened(self, filename, settings)

    def held_in_memory(*args: object, **kwargs: object) -> None:
        raise AssertionError("DataFrame.write_excel holds the whole sheet in memory")

    monkeypatch.setattr(xlsxwriter.Workbook, "__init__", spy)
    monkeypatch.setattr(pl.DataFrame, "write_excel", held_in_memory)
    summary = write_match(result, registry, tmp_path / "out")
    books = {"budget.xlsx", "near_misses.xlsx"} | set(summary["excel_lists"]["workbooks"])
    assert len(options) == len(books) > 2
    assert all(o["constant_memory"] and not o.get("in_memory") for o in options)


def test_the_parquet_decisions_are_the_decisions_in_memory(
    result: MatchResult, registry: dict[str, pl.LazyFrame], tmp_path: Path
) -> None:
    summary = write_match(result, registry, tmp_path / "out")
    written = pl.read_parquet(tmp_path / "out" / "decisions.parquet")
    assert result.near_misses is not None
    assert written.height == result.decisions.height + result.near_misses.height > 0
    same = ["measure", "subject_kind", "subject_id", "region", "status", "fund", "selected", "chosen"]
    same += ["near_miss", "near_miss_gap"]
    for part, frame in ((written.head(result.decisions.height), result.decisions),
                        (written.tail(result.near_misses.height), result.near_misses)):  # fmt: skip
        assert part.select(same).equals(frame.select(same))
        in_fen = (pl.col("amount") * 100).cast(pl.Int64)
        assert part.select(in_fen).to_series().equals(frame.get_column("amount_fen"), check_names=False)
    # eligible.csv is the whole list, whatever went to Excel
    listed = pl.read_csv(tmp_path / "out" / "eligible.csv", infer_schema=False)
    payable = written.filter((pl.col("status") == "eligible") & pl.col("selected"))
    assert listed.height == payable.height == summary["eligible_decisions"] == summary["excel_lists"]["rows"]
    assert listed["对象编号"].to_list() == [redact(v) for v in payable["subject_id"].to_list()]
    timings = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))["timings"]
    assert {"evaluate", "decide", "write", "total"} <= set(timings)


def test_masking_a_column_is_redact_on_each_value() -> None:
    values = pl.Series(["P000000001", ID, f"{ID} 的雇主", "110105491231002", None, "电话 13812345678"])
    assert redacted(values).to_list() == [None if v is None else redact(v) for v in values.to_list()]
    plain = pl.Series(["P1", "E2"])
    assert redacted(plain) is plain  # nothing to mask: the column as it is
