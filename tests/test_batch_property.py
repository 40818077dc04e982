"""Property: for random entities, batch evaluation equals the single-entity calculator, for every
measure (status, amount and the exclusive choice), at any date."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.calculator import calculate, prior_grants_frame
from jiuye.facts import facts_from_data
from jiuye.facts.tables import build_tables
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures
from random_facts import random_facts

DATES = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 6, 30))
SEEDS = st.lists(st.integers(min_value=0, max_value=2**31), min_size=1, max_size=6, unique=True)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seeds=SEEDS, as_of=DATES)
def test_batch_equals_single_entity_calculator(seeds: list[int], as_of: dt.date, params: ParameterSet) -> None:
    docs = [random_facts(seed, tag=f"H{i}-") for i, seed in enumerate(seeds)]
    single = {}
    for doc in docs:
        for d in calculate(facts_from_data(doc), as_of=as_of, region="450103", params=params).decisions:
            single[(d.measure, d.subject_id)] = (d.status, d.amount_fen, d.ceiling_fen, d.selected)
    merged_doc: dict[str, list[object]] = {}
    for doc in docs:
        for key, rows in doc.items():
            merged_doc.setdefault(key, []).extend(rows)
    merged = facts_from_data(merged_doc)
    rows = evaluate_batch(
        build_tables(merged), as_of=as_of, region="450103", params=params, prior=prior_grants_frame(merged)
    )
    batch = {
        (r["measure"], r["subject_id"]): (r["status"], r["amount_fen"], r["ceiling_fen"], r["selected"])
        for r in decide_batch(rows, all_measures()).iter_rows(named=True)
    }
    assert batch == single
