"""Batch and single evaluation agree: the same rows, the same status and amount, per measure."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.calculator import calculate, prior_grants_frame
from jiuye.facts import facts_from_data
from jiuye.facts.tables import build_tables
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures
from random_facts import random_facts

SEEDS = range(12)
AS_OF = [dt.date(2025, 12, 31), dt.date(2026, 3, 1), dt.date(2025, 7, 1)]


def _merge(docs: list[dict[str, list[dict[str, object]]]]) -> dict[str, list[dict[str, object]]]:
    merged: dict[str, list[dict[str, object]]] = {}
    for doc in docs:
        for key, rows in doc.items():
            merged.setdefault(key, []).extend(rows)
    return merged


@pytest.mark.parametrize("as_of", AS_OF)
def test_batch_equals_single_per_document(as_of: dt.date, params: ParameterSet) -> None:
    docs = [random_facts(seed, tag=f"D{seed}-") for seed in SEEDS]
    single: dict[tuple[str, str], tuple[str, int | None, int | None, bool]] = {}
    for doc in docs:
        report = calculate(facts_from_data(doc), as_of=as_of, region="450103", params=params)
        for d in report.decisions:
            single[(d.measure, d.subject_id)] = (d.status, d.amount_fen, d.ceiling_fen, d.selected)
    merged = facts_from_data(_merge(docs))
    rows = evaluate_batch(
        build_tables(merged), as_of=as_of, region="450103", params=params, prior=prior_grants_frame(merged)
    )
    decided = decide_batch(rows, all_measures())
    batch = {
        (r["measure"], r["subject_id"]): (r["status"], r["amount_fen"], r["ceiling_fen"], r["selected"])
        for r in decided.iter_rows(named=True)
    }
    assert batch.keys() == single.keys()
    mismatches = {k: (single[k], batch[k]) for k in single if single[k] != batch[k]}
    assert not mismatches, list(mismatches.items())[:5]
    statuses = {v[0] for v in single.values()}
    assert {"ineligible", "needs_facts"} <= statuses, "随机数据应覆盖多种结论"
    if as_of == AS_OF[0]:
        assert "eligible" in statuses


@pytest.mark.parametrize("as_of", [*AS_OF, dt.date(2024, 6, 30), dt.date(2027, 1, 1)])
def test_batch_runs_on_many_random_documents(as_of: dt.date, params: ParameterSet) -> None:
    """Regression: mixed integer literal types once made Polars panic on some rows."""
    merged = facts_from_data(_merge([random_facts(seed, tag=f"R{seed}-") for seed in range(300)]))
    rows = evaluate_batch(
        build_tables(merged), as_of=as_of, region="450103", params=params, prior=prior_grants_frame(merged)
    )
    decided = decide_batch(rows, all_measures())
    assert rows.height > 1000
    assert decided.filter(pl.col("amount_fen") < 0).is_empty()
    assert set(decided["status"].unique()) <= {"eligible", "ineligible", "needs_facts"}
