"""Write a match to disk all at once: into a temporary folder, renamed into place at the end, so
a failed run leaves no partial output behind."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from jiuye.engine.evaluate import ELIGIBLE
from jiuye.engine.near_miss_text import describe_near_misses, near_miss_catalog
from jiuye.engine.provenance import Provenance, provenance_of
from jiuye.errors import JiuyeError
from jiuye.matching.budget import budget_summary, budget_totals
from jiuye.matching.near_misses import NEAR_MISS_HEADERS, near_miss_list
from jiuye.matching.run import MatchResult
from jiuye.money import fen_to_decimal

__all__ = [
    "EXCEL_MAX_ROWS",
    "NEAR_MISS_EXCEL_MAX_ROWS",
    "OutputExistsError",
    "near_miss_sheet",
    "write_match",
    "write_near_misses",
]

#: Excel's own limit is 1,048,576 rows; a caseworker list beyond that needs a filter.
EXCEL_MAX_ROWS = 1_000_000
#: The 差一点 list goes to a workbook up to this size: it is a follow-up list, read row by row,
#: and a workbook of 720,000 rows doubled the time ``jiuye match`` took to write its outputs at
#: 1M persons (docs/near-misses.md). A longer list is in near_misses.csv whole, and
#: ``jiuye near-misses`` cuts it by measure, region or condition into a workbook.
NEAR_MISS_EXCEL_MAX_ROWS = 100_000
_YUAN = pl.Decimal(18, 2)

_DECISION_HEADERS = {
    "measure": "政策编号",
    "title": "政策名称",
    "subject_kind": "对象类型",
    "subject_id": "对象编号",
    "subject_name": "对象名称",
    "region": "地区代码",
    "status": "结论",
    "amount": "应发金额（元）",
    "ceiling": "最高限额（元）",
    "fund_name": "资金渠道",
}
_BUDGET_HEADERS = {
    "measure": "政策编号",
    "title": "政策名称",
    "fund_name": "资金渠道",
    "region": "地区代码",
    "month": "月份",
    "beneficiaries": "受益对象数",
    "items": "人次/项数",
    "amount": "应发金额（元）",
    "ceiling": "待核定项目最高限额合计（元）",
}
_KIND = {"person": "个人", "employer": "单位", "agency": "人力资源服务机构", "business": "经营主体", "district": "辖区"}
_STATUS = {"eligible": "符合", "needs_facts": "待补充事实", "ineligible": "不符合"}


class OutputExistsError(JiuyeError):
    code = "OUTPUT_EXISTS"


def _yuan(column: str = "amount_fen", alias: str = "amount") -> pl.Expr:
    return (pl.col(column).cast(_YUAN) / 100).cast(_YUAN).alias(alias)


def _names(registry: Mapping[str, pl.LazyFrame]) -> pl.DataFrame:
    frames = []
    for source, kind in (("persons", "person"), ("employers", "employer"), ("businesses", "business")):
        if source in registry:
            frames.append(
                registry[source]
                .select(pl.col("id").alias("subject_id"), pl.col("name").alias("subject_name"))
                .with_columns(pl.lit(kind).alias("_kind"))
                .collect()
            )
    if not frames:
        return pl.DataFrame(schema={"subject_id": pl.String, "subject_name": pl.String, "_kind": pl.String})
    return pl.concat(frames)


def _near_miss_catalog(result: MatchResult) -> pl.DataFrame:
    if result.near_miss_conditions is not None:
        return result.near_miss_conditions
    from jiuye.params import load_parameters

    return near_miss_catalog(result.measures, load_parameters().at(result.as_of))


def _described(decisions: pl.DataFrame, catalog: pl.DataFrame) -> pl.DataFrame:
    """Near-miss words on the decisions that have a near miss (a join only where there are some)."""
    if decisions.get_column("near_miss").null_count() == decisions.height:
        return decisions.with_columns(
            pl.lit(None, dtype=pl.String).alias("near_miss_condition"),
            pl.lit(None, dtype=pl.String).alias("near_miss_text"),
        )
    return describe_near_misses(decisions, catalog)


def _decisions(result: MatchResult, registry: Mapping[str, pl.LazyFrame]) -> pl.DataFrame:
    titles = pl.DataFrame(
        {
            "measure": [m.id for m in result.measures],
            "title": [m.title for m in result.measures],
            "rule_hash": [result.rules[m.id].rule_hash if m.id in result.rules else None for m in result.measures],
        },
        schema_overrides={"rule_hash": pl.String},
    )
    names = _names(registry)
    kinds = pl.col("subject_kind").replace({"agency": "employer"})
    catalog = _near_miss_catalog(result)
    frames = [result.decisions, *([result.near_misses] if result.near_misses is not None else [])]
    described = pl.concat([_described(f, catalog) for f in frames], how="diagonal_relaxed")
    return (
        described.with_columns(kinds.alias("_kind"))
        .join(names, on=["_kind", "subject_id"], how="left", maintain_order="left")
        .join(titles, on="measure", how="left", maintain_order="left")
        .with_columns(_yuan(), _yuan("ceiling_fen", "ceiling"))
        .select(
            "measure",
            "title",
            "subject_kind",
            "subject_id",
            "subject_name",
            "region",
            "status",
            "amount",
            "ceiling",
            "fund",
            "selected",
            "chosen",
            "rule_hash",
            "near_miss",
            "near_miss_condition",
            "near_miss_gap",
            "near_miss_text",
        )
    )  # in the match's order: measures as in the catalog, then by beneficiary


def _for_people(frame: pl.DataFrame, headers: dict[str, str]) -> pl.DataFrame:
    from jiuye.catalog import FUND_NAMES

    shown = frame
    if "fund" in shown.columns and "fund_name" not in shown.columns:
        shown = shown.with_columns(pl.col("fund").replace_strict(FUND_NAMES, default=pl.col("fund")).alias("fund_name"))
    if "subject_kind" in shown.columns:
        shown = shown.with_columns(pl.col("subject_kind").replace(_KIND))
    if "status" in shown.columns:
        shown = shown.with_columns(pl.col("status").replace(_STATUS))
    return shown.select([pl.col(k).alias(v) for k, v in headers.items() if k in shown.columns])


def _provenance_sheet(provenance: Provenance) -> pl.DataFrame:
    """One row per measure: its rule hash and the dates of the parameter values it used."""
    rows = sorted(provenance.rules.values(), key=lambda r: r.measure)
    return pl.DataFrame(
        {
            "政策编号": [r.measure for r in rows],
            "规则与参数哈希": [r.rule_hash for r in rows],
            "所用参数及生效日期": [
                "；".join(f"{n}={'、'.join(d) or '尚无取值'}" for n, d in r.parameter_dates.items()) for r in rows
            ],
            "引擎版本": [provenance.engine_version] * len(rows),
            "台账哈希": [provenance.input_hash or ""] * len(rows),
            "评估日期": [provenance.as_of.isoformat()] * len(rows),
            "地区": [provenance.region or ""] * len(rows),
        }
    )


def _write_budget_workbook(budget: pl.DataFrame, provenance: Provenance, path: Path) -> None:
    import xlsxwriter  # type: ignore[import-untyped]  # one workbook, two sheets

    with xlsxwriter.Workbook(path) as workbook:
        _for_people(budget, _BUDGET_HEADERS).write_excel(workbook, worksheet="预算汇总")
        _provenance_sheet(provenance).write_excel(workbook, worksheet="依据与版本")


def near_miss_sheet(near: pl.DataFrame) -> pl.DataFrame:
    """A near-miss list (:func:`jiuye.matching.near_misses.near_miss_list`) with Chinese headers."""
    return _for_people(near, NEAR_MISS_HEADERS)


def write_near_misses(near: pl.DataFrame, path: Path) -> None:
    """Write a near-miss list as CSV (UTF-8 with BOM, for Excel) or, for ``.xlsx``, a workbook."""
    if path.suffix.lower() == ".xlsx":
        if near.height > EXCEL_MAX_ROWS:
            msg = (
                f"差一点名单有 {near.height} 行，超过 Excel 上限（{EXCEL_MAX_ROWS} 行）；"
                "提示：改写为 .csv，或按政策、地区筛选"
            )
            raise JiuyeError(msg)
        near_miss_sheet(near).write_excel(path, worksheet="差一点名单")
    else:
        near_miss_sheet(near).write_csv(path, include_bom=True)


def write_match(
    result: MatchResult,
    registry: Mapping[str, pl.LazyFrame],
    out: Path,
    *,
    overwrite: bool = False,
    excel_filter: pl.Expr | None = None,
    extra: dict[str, Any] | None = None,
    registry_hash: str | None = None,
) -> dict[str, Any]:
    """Write decisions, budget, a caseworker list and the near-miss list (差一点名单, CSV always,
    Excel when it fits); return the summary (also summary.json).

    ``provenance.json`` (and the budget workbook's 依据与版本 sheet) record the engine version,
    each measure's rule hash and parameter dates, and ``registry_hash``, the input files' hash;
    every decision row carries its measure's rule hash."""
    provenance = provenance_of(
        result.rules.values(), input_kind="registry", input_hash=registry_hash, as_of=result.as_of, region=result.region
    )
    if out.exists() and not overwrite:
        msg = f"输出目录 {out} 已存在；提示：换一个目录，或加 --overwrite 覆盖"
        raise OutputExistsError(msg)
    decisions = _decisions(result, registry)
    in_fen = budget_summary(result)
    budget = in_fen.with_columns(_yuan(), _yuan("ceiling_fen", "ceiling")).drop("amount_fen", "ceiling_fen")
    totals = budget_totals(in_fen)
    listing = decisions.filter((pl.col("status") == ELIGIBLE) & pl.col("selected"))
    if excel_filter is not None:
        listing = listing.filter(excel_filter)
    # A province-wide list does not fit in a workbook: the run still writes everything else
    # (the Parquet decisions hold the whole list) and says how to get a list that fits.
    excel_note = None
    if listing.height > EXCEL_MAX_ROWS:
        excel_note = (
            f"符合条件的名单有 {listing.height} 行，超过 Excel 上限（{EXCEL_MAX_ROWS} 行），未导出 eligible.xlsx；"
            "提示：用 --excel-region 或 --excel-measure 筛选后再导出（decisions.parquet 含全部名单）"
        )
    near = near_miss_list(decisions)
    near_note = None
    if near.height > NEAR_MISS_EXCEL_MAX_ROWS:
        near_note = (
            f"差一点名单有 {near.height} 行，多于 {NEAR_MISS_EXCEL_MAX_ROWS} 行，未导出 near_misses.xlsx；"
            "提示：near_misses.csv 含全部名单，或用 jiuye near-misses 结果目录 --measure 政策 --out 名单.xlsx 筛选导出"
        )
    payable = decisions.filter((pl.col("status") == ELIGIBLE) & pl.col("selected"))
    summary = {
        "as_of": result.as_of.isoformat(),
        "region": result.region,
        "decisions": {
            row["measure"] + "|" + row["status"]: row["decisions"] for row in result.counts.iter_rows(named=True)
        },
        "eligible_decisions": payable.height,
        "total_amount": str(
            fen_to_decimal(
                int(
                    result.decisions.filter((pl.col("status") == ELIGIBLE) & pl.col("selected"))["amount_fen"].sum()
                    or 0
                )
            )
        ),
        "by_fund": {
            (row["fund_name"] or row["fund"]): str(fen_to_decimal(int(row["amount_fen"] or 0)))
            for row in totals.iter_rows(named=True)
        },
        # ceilings of grants whose amount the bureau has still to set: not money due, never in the totals
        "total_ceiling_unsettled": str(fen_to_decimal(int(in_fen["ceiling_fen"].sum() or 0))),
        "excel_list": excel_note or "eligible.xlsx",
        "provenance": {
            "engine_version": provenance.engine_version,
            "rule_set_hash": provenance.rule_set_hash,
            "registry_hash": registry_hash,
        },
        "near_misses": near.height,
        "near_miss_list": near_note or "near_misses.xlsx",
        **(extra or {}),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        decisions.write_parquet(staging / "decisions.parquet")
        budget.write_parquet(staging / "budget.parquet")
        _for_people(budget, _BUDGET_HEADERS).write_csv(staging / "budget.csv", include_bom=True)
        _write_budget_workbook(budget, provenance, staging / "budget.xlsx")
        if excel_note is None:
            listing = listing.sort("measure", "region", "subject_id")  # a caseworker reads it county by county
            _for_people(listing, _DECISION_HEADERS).write_excel(staging / "eligible.xlsx", worksheet="符合条件名单")
        write_near_misses(near, staging / "near_misses.csv")
        if near_note is None:
            write_near_misses(near, staging / "near_misses.xlsx")
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
