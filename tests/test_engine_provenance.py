"""Provenance: the same inputs give the same hashes; a changed rule value or fact changes them."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from jiuye.calculator import Report, calculate
from jiuye.engine.provenance import ENGINE_VERSION, digest, facts_hash, files_hash, rule_provenance
from jiuye.facts import facts_from_data
from jiuye.params import ValueEntry, load_parameters
from jiuye.policies.registry import get_measure, module_of
from jiuye.report_json import report_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = yaml.safe_load((ROOT / "examples" / "gx.expansion.yaml").read_text("utf-8"))
AS_OF = dt.date(2025, 12, 31)
MEASURES = [get_measure("gx.expansion"), get_measure("gx.ui.refund")]


def _report(data: dict[str, Any], **kwargs: Any) -> Report:
    return calculate(facts_from_data(data), as_of=AS_OF, region="450103", measures=MEASURES, **kwargs)


def _rule(report: Report, measure: str) -> str:
    assert report.provenance is not None
    return report.provenance.rules[measure].rule_hash


def test_the_same_facts_give_the_same_hashes() -> None:
    first, second = _report(EXAMPLE), _report(yaml.safe_load(yaml.safe_dump(EXAMPLE, allow_unicode=True)))
    assert first.provenance is not None and second.provenance is not None
    assert first.provenance.to_json() == second.provenance.to_json()
    assert first.provenance.engine_version == ENGINE_VERSION
    assert len(first.provenance.input_hash) == 64


def test_a_changed_fact_changes_the_facts_hash_only() -> None:
    changed = {**EXAMPLE, "employments": [{**EXAMPLE["employments"][0], "hire_date": dt.date(2025, 3, 2)}]}
    before, after = _report(EXAMPLE), _report(changed)
    assert before.provenance is not None and after.provenance is not None
    assert before.provenance.input_hash != after.provenance.input_hash
    assert _rule(before, "gx.expansion") == _rule(after, "gx.expansion")


def test_a_changed_parameter_changes_that_measures_rule_hash() -> None:
    params = load_parameters()
    raised = params.with_value("gx.expansion.amount_per_person", dt.date(2025, 9, 1), Decimal(2000), note="测试")
    before, after = _report(EXAMPLE, params=params), _report(EXAMPLE, params=raised)
    assert _rule(before, "gx.expansion") != _rule(after, "gx.expansion")
    assert _rule(before, "gx.ui.refund") == _rule(after, "gx.ui.refund")
    assert before.provenance is not None and after.provenance is not None
    assert before.provenance.rule_set_hash != after.provenance.rule_set_hash
    # One value per epoch of the event axis: hires before 1 September keep the old amount.
    dates = after.provenance.rules["gx.expansion"].parameter_dates["gx.expansion.amount_per_person"]
    earlier = before.provenance.rules["gx.expansion"].parameter_dates["gx.expansion.amount_per_person"]
    assert dates == [*earlier, "2025-09-01"] and len(earlier) == 1


def test_the_rule_hash_covers_the_rule_modules_bytes() -> None:
    used = {"x": ValueEntry(dt.date(2025, 1, 1), Decimal("0.6"), None, assumption="测试")}
    rule = rule_provenance("gx.expansion", [used], ["y"])
    path = Path(importlib.import_module(module_of("gx.expansion") or "").__file__ or "")
    assert rule.source_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert rule.parameter_dates == {"x": ["2025-01-01"], "y": []}
    assert rule_provenance("gx.intern", [used], ["y"]).rule_hash != rule.rule_hash
    later = {"x": ValueEntry(dt.date(2025, 9, 1), Decimal("0.9"), None, assumption="测试")}
    two = rule_provenance("gx.expansion", [later, used])
    assert two.parameter_dates == {"x": ["2025-01-01", "2025-09-01"]}
    assert two.rule_hash == rule_provenance("gx.expansion", [used, later]).rule_hash


def test_json_carries_provenance_on_the_report_and_on_every_decision() -> None:
    report = _report(EXAMPLE)
    data = report_json(report)
    assert data["provenance"]["facts_hash"] == facts_hash(facts_from_data(EXAMPLE))
    assert data["provenance"]["engine_version"] == ENGINE_VERSION
    for decision in data["decisions"]:
        p = decision["provenance"]
        assert p["rule_hash"] == _rule(report, decision["measure"])
        assert p["facts_hash"] == data["provenance"]["facts_hash"]
        assert p["parameter_dates"] and all(p["parameter_dates"].values())


def test_the_jurisdiction_a_measure_applied_in_is_part_of_its_rule_hash() -> None:
    params = load_parameters()
    elsewhere = params.overridden("common.jurisdiction.gx", "440000", note="测试：改为广东")
    assert _rule(_report(EXAMPLE, params=params), "gx.expansion") != _rule(
        _report(EXAMPLE, params=elsewhere), "gx.expansion"
    )


def test_digest_is_independent_of_key_order_and_exact_for_decimals() -> None:
    assert digest({"a": Decimal("0.9"), "b": [1]}) == digest({"b": [1], "a": Decimal("0.9")})
    assert digest({"a": Decimal("0.9")}) != digest({"a": Decimal("0.5")})


def test_files_hash_follows_bytes_and_names(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text("id\nP1\n", "utf-8")
    (tmp_path / "employers.csv").write_text("id\nE1\n", "utf-8")
    files = sorted(tmp_path.iterdir())
    first = files_hash(files, tmp_path)
    assert files_hash(list(reversed(files)), tmp_path) == first
    (tmp_path / "persons.csv").write_text("id\nP2\n", "utf-8")
    assert files_hash(files, tmp_path) != first
    (tmp_path / "persons.csv").write_text("id\nP1\n", "utf-8")
    (tmp_path / "persons.csv").rename(tmp_path / "人员.csv")
    assert files_hash(sorted(tmp_path.iterdir()), tmp_path) != first
