"""The people-facing form of a match's tables: Chinese headers and words, money in yuan, and
identifiers masked (lists leave the system as files a caseworker passes around)."""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from jiuye.engine.provenance import Provenance
from jiuye.matching.masking import masked

__all__ = ["BUDGET_HEADERS", "DECISION_HEADERS", "SUBJECT_HEADERS", "for_people", "provenance_sheet", "yuan"]

_YUAN = pl.Decimal(18, 2)
_Frame = TypeVar("_Frame", pl.DataFrame, pl.LazyFrame)

#: Who a list row is about, first in every list (decisions, near misses).
SUBJECT_HEADERS = {
    "measure": "政策编号",
    "title": "政策名称",
    "subject_kind": "对象类型",
    "subject_id": "对象编号",
    "subject_name": "对象名称",
    "region": "地区代码",
}
DECISION_HEADERS = {
    **SUBJECT_HEADERS,
    "status": "结论",
    "amount": "应发金额（元）",
    "ceiling": "最高限额（元）",
    "fund_name": "资金渠道",
}
BUDGET_HEADERS = {
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
KIND_WORDS = {
    "person": "个人",
    "employer": "单位",
    "agency": "人力资源服务机构",
    "business": "经营主体",
    "district": "辖区",
}
_STATUS = {"eligible": "符合", "needs_facts": "待补充事实", "ineligible": "不符合"}
_MASKED = ("subject_id", "subject_name")


def yuan(column: str = "amount_fen", alias: str = "amount") -> pl.Expr:
    return (pl.col(column).cast(_YUAN) / 100).cast(_YUAN).alias(alias)


def for_people(frame: _Frame, headers: dict[str, str]) -> _Frame:
    """The columns of ``headers`` that ``frame`` has, in Chinese, with identifiers masked (lazily
    for a lazy frame, which a sink then streams)."""
    from jiuye.catalog import FUND_NAMES

    shown = frame
    columns = set(frame.collect_schema().names())
    if "fund" in columns and "fund_name" not in columns:
        shown = shown.with_columns(pl.col("fund").replace_strict(FUND_NAMES, default=pl.col("fund")).alias("fund_name"))
        columns.add("fund_name")
    if "subject_kind" in columns:
        shown = shown.with_columns(pl.col("subject_kind").replace(KIND_WORDS))
    if "status" in columns:
        shown = shown.with_columns(pl.col("status").replace(_STATUS))
    shown = shown.with_columns(masked(c) for c in _MASKED if c in columns and c in headers)
    return shown.select([pl.col(k).alias(v) for k, v in headers.items() if k in columns])


def provenance_sheet(provenance: Provenance) -> pl.DataFrame:
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
