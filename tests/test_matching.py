"""Proactive matching over a registry: same decisions as the batch engine, budget = decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.facts import facts_from_data
from jiuye.facts.tables import build_tables, registry_from_facts
from jiuye.matching import match_registry
from jiuye.matching.budget import budget_summary
from jiuye.matching.output import OutputExistsError, write_match
from jiuye.params import ParameterSet
from random_facts import random_facts

AS_OF = dt.date(2025, 12, 31)


def _facts(n: int = 120) -> dict[str, list[object]]:
    merged: dict[str, list[object]] = {}
    for seed in range(n):
        for key, rows in random_facts(seed, tag=f"M{seed}-").items():
            merged.setdefault(key, []).extend(rows)
    return merged


@pytest.fixture(scope="module")
def registry() -> dict[str, pl.LazyFrame]:
    return registry_from_facts(facts_from_data(_facts()))


def test_match_keeps_every_decision_that_is_not_ineligible_and_the_near_misses(
    registry: dict[str, pl.LazyFrame], params: ParameterSet
) -> None:
    facts = facts_from_data(_facts())
    # The registry built from these facts carries no prior grants: neither does the batch run here
    # (a grant already received decides whether a row is a near miss, not only its status).
    rows = evaluate_batch(build_tables(facts), as_of=AS_OF, region="450000", params=params)
    expected = decide_batch(rows.filter(pl.col("region").str.starts_with("45")))
    result = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    key = ["measure", "subject_id", "status", "amount_fen", "selected", "region", "near_miss", "near_miss_gap"]
    want = expected.filter(pl.col("status") != "ineligible").select(key).sort(key)
    got = result.decisions.select(key).sort(key)
    assert got.equals(want)
    assert result.near_misses is not None
    near = expected.filter(pl.col("near_miss").is_not_null()).select(key).sort(key)
    assert result.near_misses.select(key).sort(key).equals(near)
    assert near["status"].unique().to_list() == ["ineligible"]
    by_status = ["measure", "status"]
    counted = result.counts.select(*by_status, pl.col("decisions").cast(pl.UInt32)).sort(by_status)
    assert counted.equals(expected.group_by(by_status).agg(pl.len().alias("decisions")).sort(by_status))


def test_budget_totals_equal_the_decisions(registry: dict[str, pl.LazyFrame], params: ParameterSet) -> None:
    result = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    budget = budget_summary(result)
    payable = result.decisions.filter((pl.col("status") == "eligible") & pl.col("selected") & pl.col("pays_money"))
    assert budget["amount_fen"].sum() == payable["amount_fen"].sum()
    assert budget["amount_fen"].sum() > 0
    assert set(budget["fund"].unique()) <= {"ui_fund", "employment_fund", "fiscal", "tax", "loan"}
    per_measure = budget.group_by("measure").agg(pl.col("amount_fen").sum()).sort("measure")
    from_decisions = payable.group_by("measure").agg(pl.col("amount_fen").sum()).sort("measure")
    assert per_measure.equals(from_decisions)


def test_region_limits_the_entities(registry: dict[str, pl.LazyFrame], params: ParameterSet) -> None:
    city = match_registry(registry, as_of=AS_OF, region="450100", params=params)
    assert city.decisions["region"].str.starts_with("4501").all()
    whole = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    assert city.decisions.height < whole.decisions.height


def test_outputs_are_written_all_or_nothing(
    registry: dict[str, pl.LazyFrame], params: ParameterSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    out = tmp_path / "out"
    summary = write_match(result, registry, out)
    assert {p.name for p in out.iterdir()} == {
        "decisions.parquet",
        "budget.parquet",
        "budget.csv",
        "budget.xlsx",
        "eligible.xlsx",
        "near_misses.csv",
        "near_misses.xlsx",
        "summary.json",
    }
    assert float(summary["total_amount"]) > 0
    with pytest.raises(OutputExistsError, match="已存在"):
        write_match(result, registry, out)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("磁盘已满")

    failed = tmp_path / "failed"
    monkeypatch.setattr(pl.DataFrame, "write_excel", broken)
    with pytest.raises(OSError):
        write_match(result, registry, failed)
    assert not failed.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "失败时不得留下临时目录或部分结果"


def test_a_list_too_long_for_excel_is_left_out_and_said_so(
    registry: dict[str, pl.LazyFrame], params: ParameterSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jiuye.matching.output as output

    monkeypatch.setattr(output, "EXCEL_MAX_ROWS", 1)
    monkeypatch.setattr(output, "NEAR_MISS_EXCEL_MAX_ROWS", 1)
    result = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    summary = write_match(result, registry, tmp_path / "big")
    assert "超过 Excel 上限" in summary["excel_list"]
    assert "--excel-region" in summary["excel_list"]
    written = sorted(p.name for p in (tmp_path / "big").iterdir())
    assert "jiuye near-misses" in summary["near_miss_list"]
    assert written == [
        "budget.csv",
        "budget.parquet",
        "budget.xlsx",
        "decisions.parquet",
        "near_misses.csv",
        "summary.json",
    ]


def test_district_rows_of_several_years_make_one_decision(params: ParameterSet) -> None:
    facts = facts_from_data(
        {
            "districts": [
                {"region": "450103", "year": 2024, "urban_new_jobs": 3000},
                {
                    "region": "450103",
                    "year": 2025,
                    "urban_new_jobs": 3600,
                    "rural_labour_transfer": 4100,
                    "registered_unemployment_rate": "0.03",
                    "online_arbitration_rate": "0.95",
                },
            ]
        }
    )
    result = match_registry(
        registry_from_facts(facts), as_of=AS_OF, region="450000", params=params, keep_ineligible=True
    )
    targets = result.decisions.filter(pl.col("measure") == "xxq.targets")
    assert targets.height == 1
    assert targets["status"].item() == "eligible"
