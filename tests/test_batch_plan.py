"""A batch plan judges a rule in force from some date in one pass over the rows: the very rows
that judging each epoch apart and concatenating them gives (jiuye.engine.batch_plan)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import pytest

from jiuye.calculator import prior_grants_frame
from jiuye.engine import batch_plan as plans
from jiuye.engine.evaluate import run_measure
from jiuye.engine.measure import Measure, Unit
from jiuye.engine.variants import with_variants
from jiuye.facts import facts_from_data
from jiuye.facts.tables import UNITS, build_tables
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures, get_measure
from random_facts import random_facts

REGION = "450103"


def _prior_and_tables() -> tuple[pl.DataFrame, dict[Unit, pl.DataFrame]]:
    merged: dict[str, list[dict[str, object]]] = {}
    for seed in range(20):
        for key, rows in random_facts(seed, tag=f"P{seed}-").items():
            merged.setdefault(key, []).extend(rows)
    facts = facts_from_data(merged)
    return prior_grants_frame(facts), build_tables(facts)


def _plan(measure: Measure, params: ParameterSet, as_of: dt.date, columns: tuple[str, ...]) -> plans.BatchPlan:
    spec = UNITS[measure.unit]
    return plans.batch_plan(
        measure,
        params,
        as_of=as_of,
        default_region=REGION,
        columns=columns,
        location=spec.location,
        key_date=spec.key_date,
    )


def _rows(
    measure: Measure, table: pl.DataFrame, params: ParameterSet, as_of: dt.date, prior: pl.DataFrame
) -> pl.DataFrame:
    spec = UNITS[measure.unit]
    run = run_measure(
        measure,
        table,
        params=params,
        as_of=as_of,
        default_region=REGION,
        location=spec.location,
        key_date=spec.key_date,
        prior=prior,
        keep_trace=False,
    )
    return run.lazy.collect()


@pytest.mark.parametrize("as_of", [dt.date(2025, 12, 31), dt.date(2025, 7, 1)])
def test_one_pass_gives_the_rows_of_the_epochs_apart(
    as_of: dt.date, params: ParameterSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    prior, tables = _prior_and_tables()
    built = plans.batch_plan

    def apart(measure: Measure, params: ParameterSet, **key: Any) -> plans.BatchPlan:
        return dataclasses.replace(built(measure, params, **key), whole=None)

    one_pass = 0
    for measure in with_variants(all_measures()):
        table = tables[measure.unit].with_row_index("row_id")
        plan = _plan(measure, params, as_of, tuple(table.columns))
        if plan.whole is None or len(plan.epochs) == 1:
            continue
        one_pass += 1
        whole = _rows(measure, table, params, as_of, prior)
        with monkeypatch.context() as patch:
            patch.setattr(plans, "batch_plan", apart)
            split = _rows(measure, table, params, as_of, prior)
        assert whole.equals(split), measure.id
    assert one_pass >= 10  # most measures are in force from a date, with earlier events in the tables


def test_the_plan_is_built_once_per_parameters_date_and_columns(params: ParameterSet) -> None:
    measure = get_measure("gx.ui.refund")
    columns = ("employer_id", "employer_key", "employer_region")
    first = _plan(measure, params, dt.date(2025, 12, 31), columns)
    assert _plan(measure, params, dt.date(2025, 12, 31), columns) is first
    assert _plan(measure, params, dt.date(2024, 12, 31), columns) is not first
    assert _plan(measure, params, dt.date(2025, 12, 31), columns[:2]) is not first
