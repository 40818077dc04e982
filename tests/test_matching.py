"""Proactive matching over a registry: same decisions as the batch engine, budget = decisions."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.calculator import prior_grants_frame
from jiuye.engine.provenance import rules_for
from jiuye.facts import Facts, facts_from_data
from jiuye.facts.tables import build_tables, registry_from_facts
from jiuye.matching import match_registry
from jiuye.matching.budget import budget_summary, budget_totals
from jiuye.matching.output import OutputExistsError, write_match
from jiuye.params import ParameterSet
from jiuye.policies.registry import get_measure
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
    return _registry(facts_from_data(_facts()))


def _registry(facts: Facts) -> dict[str, pl.LazyFrame]:
    """The facts as a registry, with their prior grants (which ``registry_from_facts`` leaves out)."""
    return {**registry_from_facts(facts), "prior_grants": prior_grants_frame(facts).lazy()}


def test_match_keeps_every_decision_that_is_not_ineligible_and_the_near_misses(
    registry: dict[str, pl.LazyFrame], params: ParameterSet
) -> None:
    facts = facts_from_data(_facts())
    # The registry carries the facts' prior grants: so does the batch run here (a grant already
    # received decides whether a row is a near miss, not only its status).
    rows = evaluate_batch(
        build_tables(facts), as_of=AS_OF, region="450000", params=params, prior=prior_grants_frame(facts)
    )
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
        "eligible.csv",
        "eligible",
        "near_misses.csv",
        "near_misses.xlsx",
        "summary.json",
        "provenance.json",
    }
    assert float(summary["total_amount"]) > 0
    with pytest.raises(OutputExistsError, match="已存在"):
        write_match(result, registry, out)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("磁盘已满")

    failed = tmp_path / "failed"
    monkeypatch.setattr("jiuye.matching.xlsx_stream._write_sheet", broken)
    with pytest.raises(OSError):
        write_match(result, registry, failed)
    assert not failed.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "失败时不得留下临时目录或部分结果"


def test_a_list_too_long_for_excel_is_capped_and_said_so(
    registry: dict[str, pl.LazyFrame], params: ParameterSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jiuye.matching.output as output

    monkeypatch.setattr(output, "NEAR_MISS_EXCEL_MAX_ROWS", 1)
    result = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    summary = write_match(result, registry, tmp_path / "big", excel_cap=1)
    lists = summary["excel_lists"]
    assert lists["written"] == 1 and lists["cap"] == 1 and lists["rows"] == summary["eligible_decisions"] > 1
    assert "上限 1 行" in summary["excel_list"] and "eligible.csv" in summary["excel_list"]
    assert "--excel-region" in summary["excel_list"]
    written = sorted(p.name for p in (tmp_path / "big").iterdir())
    assert "jiuye near-misses" in summary["near_miss_list"]
    assert written == [
        "budget.csv",
        "budget.parquet",
        "budget.xlsx",
        "decisions.parquet",
        "eligible",
        "eligible.csv",
        "near_misses.csv",
        "provenance.json",
        "summary.json",
    ]
    assert len(lists["workbooks"]) == 1
    # the whole list is in eligible.csv, nothing dropped
    assert pl.read_csv(tmp_path / "big" / "eligible.csv").height == summary["eligible_decisions"]


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
    result = match_registry(_registry(facts), as_of=AS_OF, region="450000", params=params, keep_ineligible=True)
    targets = result.decisions.filter(pl.col("measure") == "xxq.targets")
    assert targets.height == 1
    assert targets["status"].item() == "eligible"


def _money_facts() -> dict[str, list[object]]:
    """An expansion subsidy (1500 due), two HR placements (最高1000 each, amount unset) and a tax
    deduction whose limit (7500) is settled at the tax payable (5000)."""
    return {
        "employers": [
            {"id": "E1", "kind": "enterprise", "region": "450103", "tax_category": "service", "tax_payable": "5000"},
            {"id": "HR", "kind": "enterprise", "region": "450103", "hr_service_agency": True},
        ],
        "persons": [
            {"id": "Y", "birth_date": "2003-05-01", "unemployment_registered_on": "2025-01-10",
             "unemployment_registration_ended_on": "2025-03-01"},
            {"id": "R1", "rural_labour": True},
            {"id": "R2", "rural_labour": True},
            {"id": "V", "veteran_self_employed": True},
        ],
        "employments": [
            {"person": "Y", "employer": "E1", "hire_date": "2025-03-01", "labour_contract": True,
             "months_paid_ui": 10, "months_paid_injury": 10, "months_paid_pension": 10},
            {"person": "V", "employer": "E1", "hire_date": "2025-03-01", "contract_months": 36,
             "months_paid_pension": 10, "months_paid_medical": 10, "months_paid_ui": 10},
        ],
        "placements": [
            {"agency": "HR", "person": "R1", "employer": "E1", "placed_on": "2025-09-01", "contract_months": 12,
             "months_paid_pension": 3},
            {"agency": "HR", "person": "R2", "employer": "E1", "placed_on": "2025-10-01", "contract_months": 12,
             "months_paid_pension": 3},
        ],
    }  # fmt: skip


def test_budgets_sum_amounts_due_only_and_ceilings_in_their_own_column(params: ParameterSet) -> None:
    measures = [get_measure(m) for m in ("gx.expansion", "gx.hrservice", "xxq.tax.hire")]
    result = match_registry(
        _registry(facts_from_data(_money_facts())), as_of=AS_OF, region="450103", params=params, measures=measures
    )
    decided = {r["measure"]: (r["amount_fen"], r["ceiling_fen"]) for r in result.decisions.iter_rows(named=True)}
    assert decided == {
        "gx.expansion": (150_000, None),  # 1500 due, no ceiling
        "gx.hrservice": (None, 200_000),  # 2 × 最高1000: no amount due until the bureau sets it
        "xxq.tax.hire": (500_000, 750_000),  # min(9000 ÷ 12 × 10 = 7500, tax payable 5000) = 5000
    }
    budget = budget_summary(result)
    per_measure = budget.group_by("measure").agg(pl.col("amount_fen").sum(), pl.col("ceiling_fen").sum())
    by_measure = {r["measure"]: (r["amount_fen"], r["ceiling_fen"]) for r in per_measure.iter_rows(named=True)}
    assert by_measure == {
        "gx.expansion": (150_000, 0),
        "gx.hrservice": (0, 200_000),  # the ceilings (September, October), in their own column only
        "xxq.tax.hire": (500_000, 0),  # settled: its limit is not budgeted at all
    }
    totals = budget_totals(budget)
    assert totals["amount_fen"].sum() == 150_000 + 500_000
    assert totals["ceiling_fen"].sum() == 200_000


def test_match_outputs_carry_provenance(
    registry: dict[str, pl.LazyFrame], params: ParameterSet, tmp_path: Path
) -> None:
    result = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    summary = write_match(result, registry, tmp_path / "out", registry_hash="f" * 64)
    record = json.loads((tmp_path / "out" / "provenance.json").read_text("utf-8"))
    assert record["registry_hash"] == "f" * 64 and record["as_of"] == "2025-12-31"
    assert summary["provenance"]["rule_set_hash"] == record["rule_set_hash"]
    assert set(record["rules"]) == {m.id for m in result.measures}
    expansion = record["rules"]["gx.expansion"]
    # One value per span of event dates: the one known on the evaluation date (a later document
    # restating a value for the same events replaces the earlier publication).
    amount = params["gx.expansion.amount_per_person"]
    governing = {amount.entry_at(e.since, known_by=AS_OF) for e in amount.entries} - {None}
    assert expansion["parameter_dates"]["gx.expansion.amount_per_person"] == sorted(
        {e.since.isoformat() for e in governing if e is not None}
    )
    decisions = pl.read_parquet(tmp_path / "out" / "decisions.parquet")
    by_measure = decisions.group_by("measure").agg(pl.col("rule_hash").unique())
    for row in by_measure.iter_rows(named=True):
        assert row["rule_hash"] == [record["rules"][row["measure"]]["rule_hash"]]
    sheet = pl.read_excel(tmp_path / "out" / "budget.xlsx", sheet_name="依据与版本")
    assert sheet.height == len(result.measures) and "规则与参数哈希" in sheet.columns
    # The same registry and parameters give the same hashes; another amount, another rule hash.
    again = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    assert {m: r.rule_hash for m, r in again.rules.items()} == {m: r["rule_hash"] for m, r in record["rules"].items()}
    # The same rule hashes without the data (what a Spark run records).
    alone = {r.measure: r.rule_hash for r in rules_for(result.measures, params, AS_OF)}
    assert alone == {m: r["rule_hash"] for m, r in record["rules"].items()}
    raised = params.with_value("gx.expansion.amount_per_person", dt.date(2025, 9, 1), Decimal(2000), note="测试")
    other = match_registry(registry, as_of=AS_OF, region="450000", params=raised)
    assert other.rules["gx.expansion"].rule_hash != expansion["rule_hash"]
    assert other.rules["gx.ui.refund"].rule_hash == record["rules"]["gx.ui.refund"]["rule_hash"]
