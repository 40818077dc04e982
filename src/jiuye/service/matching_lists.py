"""The lists of a finished matching run, read page by page from its output files: the budget
(budget.parquet), the eligible list and the near-miss list (decisions.parquet), in the order
``jiuye match`` writes them. Persons' names are shown as surname and asterisks, ID-shaped
text masked: a list leaves the service (page or Excel) only masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from jiuye.catalog import FUND_NAMES
from jiuye.delivery import Form, delivery_of
from jiuye.engine.evaluate import ELIGIBLE
from jiuye.identifiers import redact

__all__ = [
    "KIND_LABELS",
    "ListPage",
    "budget_page",
    "eligible_measures",
    "eligible_page",
    "near_miss_page",
    "summary",
]

KIND_LABELS = {"person": "个人", "employer": "单位", "agency": "人力资源服务机构", "business": "经营主体",
               "district": "辖区"}  # fmt: skip


@dataclass(frozen=True)
class ListPage:
    total: int
    rows: list[dict[str, Any]]


def _masked_name(kind: str | None, name: str | None) -> str:
    """A person's name keeps its first character (the surname); an organisation's is public."""
    if not name:
        return ""
    if kind == "person":
        return name[0] + "*" * (len(name) - 1)
    return redact(name)


def _page(frame: pl.LazyFrame, offset: int, limit: int | None) -> ListPage:
    total = int(frame.select(pl.len()).collect().item())
    chosen = frame.slice(offset, limit) if limit is not None else frame.slice(offset)
    return ListPage(total, chosen.collect().to_dicts())


def summary(out: Path) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads((out / "summary.json").read_text("utf-8"))
    return data


def budget_page(out: Path, *, offset: int = 0, limit: int | None = None) -> ListPage:
    """Budget lines by measure, fund, region and month (amounts in yuan, Decimal)."""
    return _page(pl.scan_parquet(out / "budget.parquet"), offset, limit)


def _decisions(out: Path) -> pl.LazyFrame:
    return pl.scan_parquet(out / "decisions.parquet")


def _shown(page: ListPage) -> ListPage:
    rows = []
    for row in page.rows:
        kind = row.get("subject_kind")
        rows.append({
            **row,
            "subject_id": redact(str(row.get("subject_id") or "")),
            "subject_name": _masked_name(kind, row.get("subject_name")),
            "kind_label": KIND_LABELS.get(str(kind), str(kind)),
            "fund_name": FUND_NAMES.get(str(row.get("fund")), row.get("fund") or ""),
        })  # fmt: skip
    return ListPage(page.total, rows)


def eligible_page(out: Path, *, measure: str | None = None, offset: int = 0, limit: int | None = None) -> ListPage:
    """Eligible, selected decisions (those a case may be opened for), by measure, region, subject."""
    frame = _decisions(out).with_row_index("row_no").filter((pl.col("status") == ELIGIBLE) & pl.col("selected"))
    if measure:
        frame = frame.filter(pl.col("measure") == measure)
    page = _page(frame.sort("measure", "region", "subject_id"), offset, limit)
    shown = _shown(page)
    for raw, row in zip(page.rows, shown.rows, strict=True):
        row["claimable"] = _claimable(str(raw["measure"])) and raw["subject_kind"] in ("person", "employer", "agency")
    return shown


def near_miss_page(out: Path, *, offset: int = 0, limit: int | None = None) -> ListPage:
    """Decisions missing by one condition (差一点), closest first within each measure and condition."""
    frame = (
        _decisions(out)
        .filter(pl.col("near_miss").is_not_null())
        .with_columns(pl.col("near_miss_gap").abs().alias("_distance"))
        .sort(["measure", "near_miss", "_distance", "region", "subject_id"], nulls_last=True)
    )
    return _shown(_page(frame, offset, limit))


def _claimable(measure: str) -> bool:
    return delivery_of(measure).form is not Form.NOT_CLAIMABLE


def eligible_measures(out: Path, *, claimable: bool = False) -> list[tuple[str, str, int]]:
    """(measure, title, eligible count) of the measures with eligible, selected decisions; with
    ``claimable``, only those whose matches may become cases (a person's or an employer's claim)."""
    eligible = (pl.col("status") == ELIGIBLE) & pl.col("selected")
    if claimable:
        eligible &= pl.col("subject_kind").is_in(["person", "employer", "agency"])
    counts = _decisions(out).filter(eligible).group_by("measure", "title").agg(pl.len().alias("n")).sort("measure")
    rows = counts.collect().iter_rows(named=True)
    return [(r["measure"], r["title"], int(r["n"])) for r in rows if not claimable or _claimable(r["measure"])]
