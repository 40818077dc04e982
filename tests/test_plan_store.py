"""Plans kept on disk (jiuye.engine.plan_store): a report from stored plans is the report from
fresh ones, and a plan is never taken for other code, parameters, dates or columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiuye.calculator import calculate, with_overrides
from jiuye.engine import plan_store, plans
from jiuye.facts import facts_from_data
from jiuye.params import load_parameters
from jiuye.policies.registry import get_measure
from jiuye.report_json import report_json
from random_facts import random_facts

DATES = (dt.date(2025, 3, 31), dt.date(2025, 12, 31))


def _reports(seeds: range) -> list[str]:
    out = []
    for seed in seeds:
        facts = facts_from_data(random_facts(seed, tag=f"S{seed}-"))
        out += [report_json(calculate(facts, as_of=d, region="450103")) for d in DATES]
    return out


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(tmp_path))
    plans._plans.clear()
    yield tmp_path
    plans._plans.clear()


def test_reports_from_stored_plans_are_the_reports_from_fresh_ones(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _reports(range(12))  # builds, and keeps each plan
    kept = list(store.rglob("*.pkl"))
    assert len(kept) > 30
    plans._plans.clear()  # as a new process: every plan comes from the store
    monkeypatch.setattr(plans, "_build", lambda *a, **k: pytest.fail("a plan was built, not loaded"))
    assert _reports(range(12)) == built
    monkeypatch.undo()  # no store, the real builder: the reports the calculator always gave
    plans._plans.clear()
    assert plan_store.directory() is None
    assert _reports(range(12)) == built


def _key(**change: object) -> str:
    measure = get_measure("gx.expansion")
    params = change.pop("params", load_parameters())
    parts = (dt.date(2025, 12, 31), "450103", ("row_id", "employment_hire_date"), ("employer",), None)
    for i, name in enumerate(("as_of", "region", "columns")):
        if name in change:
            parts = (*parts[:i], change[name], *parts[i + 1 :])
    return plan_store.plan_key(measure, params, plans.parameters_key(params), parts)  # type: ignore[arg-type]


def test_the_key_changes_with_parameters_date_region_columns_and_code(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _key()
    assert base == _key()
    what_if = with_overrides(load_parameters(), {"gx.expansion.amount_per_person": 2000}, "假设")
    others = {
        _key(params=what_if),
        _key(as_of=dt.date(2025, 12, 30)),
        _key(region="450102"),
        _key(columns=("row_id",)),
    }
    assert base not in others and len(others) == 4
    monkeypatch.setattr(plan_store, "code_digest", lambda: "other code")
    assert _key() != base


def test_an_entry_that_cannot_be_read_is_rebuilt(store: Path) -> None:
    built = _reports(range(2))
    for path in store.rglob("*.pkl"):
        path.write_bytes(b"not a pickle")
    plans._plans.clear()
    assert _reports(range(2)) == built


def test_off_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIUYE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    plans._plans.clear()
    _reports(range(1))
    assert plan_store.directory() is None and not any(tmp_path.rglob("*.pkl"))


def test_a_function_not_kept_says_so() -> None:
    with pytest.raises(RuntimeError, match="JIUYE_CACHE_DIR="):
        plan_store.GONE()


def test_entries_of_other_code_are_removed(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _reports(range(1))
    (old,) = [p for p in (store / "plans").iterdir() if p.is_dir()]
    monkeypatch.setattr(plan_store, "code_digest", lambda: "f" * 64)
    plans._plans.clear()
    _reports(range(1))
    assert [p.name for p in (store / "plans").iterdir() if p.is_dir()] == ["f" * 16]
    assert not old.exists()


def test_remembered_builds_once_per_code(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"a": len(calls)}

    assert plan_store.remembered("test", ("x", 1), build) == {"a": 1}
    assert plan_store.remembered("test", ("x", 1), build) == {"a": 1}  # from disk
    assert plan_store.remembered("test", ("x", 2), build) == {"a": 2}
    monkeypatch.setattr(plan_store, "code_digest", lambda: "e" * 64)
    assert plan_store.remembered("test", ("x", 1), build) == {"a": 3}
    monkeypatch.setenv("JIUYE_CACHE_DIR", "")
    assert plan_store.remembered("test", ("x", 1), build) == {"a": 4}
