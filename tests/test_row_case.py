"""The single case on dict rows (jiuye.engine.row_case) answers exactly as on Polars frames.

The Polars path (``engine="polars"``) is the oracle: the same unit tables, the same rows of
every measure (columns in the same order, the same values, the same dtypes), byte-identical
reports, over random documents at two dates (before and after parameters change), the bundled
examples, documents with prior grants of every once-only measure, and shared due pools.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from jiuye.calculator import calculate, evaluate
from jiuye.engine import plans, row_case
from jiuye.engine.row_case import RowRun, fallbacks
from jiuye.facts import facts_from_data, load_facts, row_tables
from jiuye.facts.model import Facts
from jiuye.facts.row_tables import unit_schema
from jiuye.facts.tables import UNITS, build_tables
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures
from jiuye.report_json import report_json
from random_facts import random_facts

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
#: As in test_batch_agreement: 2025-07-01 is before, 2025-12-31 after several values change
#: (e.g. the ``since: 2025-08-01`` entries of the bundled parameters).
AS_OF = [dt.date(2025, 7, 1), dt.date(2025, 12, 31)]
SEEDS = range(200)
CHUNKS = [SEEDS[i : i + 25] for i in range(0, len(SEEDS), 25)]


@pytest.fixture(autouse=True)
def _compiled_at_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every plan on rows from its first use (in service a plan's first use runs on Polars)."""
    monkeypatch.setattr(row_case, "COMPILE_AT", 1)


def _items(rows: list[dict[str, Any]]) -> list[list[tuple[str, Any]]]:
    return [list(row.items()) for row in rows]


def _assert_same(facts: Facts, as_of: dt.date, params: ParameterSet, region: str | None = "450103") -> None:
    """Rows, dtypes and report of the row path equal the Polars path's."""
    oracle, _, _ = evaluate(facts, as_of=as_of, region=region, params=params, engine="polars")
    runs, _, _ = evaluate(facts, as_of=as_of, region=region, params=params, engine="rows")
    assert [r.measure.id for r in runs] == [r.measure.id for r in oracle]
    for want, got in zip(oracle, runs, strict=True):
        assert isinstance(got, RowRun), got.measure.id
        assert _items(got.rows()) == _items(want.frame.to_dicts()), got.measure.id
        assert got.schema == dict(want.frame.schema), got.measure.id
    polars = report_json(calculate(facts, as_of=as_of, region=region, params=params, engine="polars"))
    rows = report_json(calculate(facts, as_of=as_of, region=region, params=params, engine="rows"))
    assert rows == polars


def test_unit_rows_equal_build_tables() -> None:
    docs = [facts_from_data(random_facts(seed, tag=f"D{seed}-")) for seed in SEEDS]
    for facts in [*docs, *map(load_facts, EXAMPLES)]:
        frames = build_tables(facts, list(UNITS))
        rows = row_tables.row_tables(facts, list(UNITS))
        for unit in UNITS:
            table = frames[unit].with_row_index("row_id")
            assert dict(table.schema) == unit_schema(unit)
            assert _items(rows[unit]) == _items(table.to_dicts()), unit


@pytest.mark.parametrize("as_of", AS_OF)
@pytest.mark.parametrize("chunk", range(len(CHUNKS)))
def test_random_documents(chunk: int, as_of: dt.date, params: ParameterSet) -> None:
    for seed in CHUNKS[chunk]:
        _assert_same(facts_from_data(random_facts(seed, tag=f"D{seed}-")), as_of, params)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples(path: Path, params: ParameterSet) -> None:
    facts = load_facts(path)
    for as_of in {facts.as_of or AS_OF[1], *AS_OF}:
        _assert_same(facts, as_of, params, region=None)


def _with_prior_grants(seed: int) -> dict[str, Any]:
    """A random document with grants already received of every once-only measure: by its persons
    and employers (or neither), in the years its applications fall in."""
    doc = random_facts(seed, tag=f"G{seed}-")
    r = random.Random(seed)
    persons = [p["id"] for p in doc["persons"]] + [None]
    employers = [e["id"] for e in doc["employers"]] + [None]
    once = [m.id for m in all_measures() if m.once is not None]
    doc["prior_grants"] = [
        {
            "measure": r.choice(once),
            "person": r.choice(persons),
            "employer": r.choice(employers),
            "granted_on": dt.date(2024, 1, 1) + dt.timedelta(days=r.randint(0, 900)),
        }
        for _ in range(r.randint(1, 8))
    ]
    return doc


@pytest.mark.parametrize("as_of", AS_OF)
def test_prior_grants(as_of: dt.date, params: ParameterSet) -> None:
    for seed in range(60):
        _assert_same(facts_from_data(_with_prior_grants(seed)), as_of, params)


@pytest.mark.parametrize("tax", [None, "0", "1500", "5000", "12000", "30000"])
def test_shared_due_pool(tax: str | None, params: ParameterSet) -> None:
    """The enterprise's tax payable drawn on by its hires in event order (xxq.tax.hire)."""
    doc = yaml.safe_load((ROOT / "examples" / "xxq.tax.hire.yaml").read_text("utf-8"))
    doc["employers"][0]["tax_payable"] = tax
    doc["employers"].append({**doc["employers"][0], "id": "E2", "tax_payable": "2000"})
    hires = doc["employments"]
    doc["employments"] = [
        *hires,
        {**hires[0], "hire_date": dt.date(2025, 3, 1)},  # an earlier hire draws first
        {**hires[1], "employer": "E2"},
        {**hires[1], "hire_date": hires[0]["hire_date"]},  # same day: row order
    ]
    facts = facts_from_data(doc)
    for as_of in AS_OF:
        _assert_same(facts, as_of, params, region=None)
    report = calculate(facts, as_of=AS_OF[1], region=None, params=params)
    (first,) = [d for d in report.decisions if d.measure == "xxq.tax.hire" and d.subject_id == "E1"]
    assert first.ceiling_fen is not None
    expected = None if tax is None else min(int(tax) * 100, first.ceiling_fen)  # the pool, up to the ceilings
    assert first.amount_fen == expected


def test_row_frame_is_the_polars_frame(params: ParameterSet) -> None:
    """What still reads ``run.frame`` (batch-style consumers) gets the Polars path's frame."""
    facts = facts_from_data(_with_prior_grants(7))
    oracle, _, _ = evaluate(facts, as_of=AS_OF[1], region="450103", params=params, engine="polars")
    runs, _, _ = evaluate(facts, as_of=AS_OF[1], region="450103", params=params)
    for want, got in zip(oracle, runs, strict=True):
        assert got.frame.equals(want.frame), got.measure.id
        assert got.lazy.collect().equals(want.frame)


def test_no_measure_falls_back_to_polars(params: ParameterSet) -> None:
    """Every measure's stages and every derived column of the unit rows compile to row programs
    (a fallback to Polars is logged and listed here)."""
    for seed in range(20):
        for as_of in AS_OF:
            evaluate(facts_from_data(random_facts(seed)), as_of=as_of, region="450103", params=params)
    for path in EXAMPLES:
        facts = load_facts(path)
        evaluate(facts, as_of=facts.as_of or AS_OF[1], region=None, params=params)
    assert fallbacks() == {}
    assert row_tables.fallbacks() == {}


def test_empty_document(params: ParameterSet) -> None:
    runs, _, _ = evaluate(facts_from_data({}), as_of=AS_OF[1], region="450103", params=params)
    assert runs == []


def test_a_plan_is_compiled_at_its_second_use(params: ParameterSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-shot evaluation pays no compiler: each plan's first use runs on Polars, the next on rows."""
    monkeypatch.setattr(row_case, "COMPILE_AT", 2)
    facts = facts_from_data(random_facts(3))
    as_of = dt.date(2025, 11, 30)  # a date no other test builds plans for
    first, _, _ = evaluate(facts, as_of=as_of, region="450103", params=params)
    second, _, _ = evaluate(facts, as_of=as_of, region="450103", params=params)
    assert first and not any(isinstance(run, RowRun) for run in first)
    assert all(isinstance(run, RowRun) for run in second)
    assert [_items(a.rows()) for a in first] == [_items(b.rows()) for b in second]


def test_programs_kept_with_stored_plans(
    tmp_path: Path, params: ParameterSet, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With the plan store on, a plan's row programs are compiled at its first use and kept with
    it: a new process evaluates on rows at once, compiling nothing, with the same rows."""
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(row_case, "COMPILE_AT", 2)
    plans._plans.clear()
    facts = facts_from_data(_with_prior_grants(11))
    first, _, _ = evaluate(facts, as_of=AS_OF[0], region="450103", params=params)
    assert first and all(isinstance(run, RowRun) for run in first)
    plans._plans.clear()  # as a new process: plans and their programs come from the store

    def store_said() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "jiuye.engine.plan_store"]

    assert store_said() == []  # every plan kept
    monkeypatch.setattr(
        row_case, "compile_stages", lambda *a: pytest.fail(f"a program was compiled, not loaded: {store_said()}")
    )
    again, _, _ = evaluate(facts, as_of=AS_OF[0], region="450103", params=params)
    assert all(isinstance(run, RowRun) for run in again)
    assert [_items(a.rows()) for a in again] == [_items(b.rows()) for b in first]
    plans._plans.clear()
