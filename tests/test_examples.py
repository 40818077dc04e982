"""The bundled examples: each evaluates, and together they show every measure eligible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from catalog_ids import CATALOG_IDS
from jiuye.calculator import calculate
from jiuye.facts import load_facts
from jiuye.params import ParameterSet

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_evaluates(path: Path, params: ParameterSet) -> None:
    facts = load_facts(path)
    assert facts.as_of and facts.region, "示例应写明 as_of 与 region"
    report = calculate(facts, as_of=facts.as_of, region=None, params=params)
    assert report.decisions
    if path.stem in CATALOG_IDS:
        statuses = {d.status for d in report.decisions if d.measure == path.stem}
        assert "eligible" in statuses, f"示例 {path.name} 应使 {path.stem} 符合条件"


def test_examples_cover_every_measure(params: ParameterSet) -> None:
    covered: set[str] = set()
    for path in EXAMPLES:
        facts = load_facts(path)
        report = calculate(facts, as_of=facts.as_of or dt.date(2025, 12, 31), region=None, params=params)
        covered |= {d.measure for d in report.decisions if d.status == "eligible"}
    assert set(CATALOG_IDS) <= covered, sorted(set(CATALOG_IDS) - covered)
