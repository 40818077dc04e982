"""Cached plans (jiuye.engine.plans): a warm single case answers exactly as a cold one, and a plan
is reused only for the same parameters, date, region and unit columns."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import polars as pl
import pytest

from jiuye.calculator import calculate
from jiuye.engine import plans
from jiuye.facts import facts_from_data
from jiuye.facts.tables import UNITS
from jiuye.params import load_parameters
from jiuye.policies.registry import get_measure
from jiuye.report_json import report_json
from random_facts import random_facts

AS_OF = dt.date(2025, 12, 31)


def _plan(params: object, *, as_of: dt.date = AS_OF, region: str | None = "450103") -> plans.Plan:
    measure = get_measure("gx.expansion")
    spec = UNITS[measure.unit]
    return plans.plan_of(
        measure,
        params,  # type: ignore[arg-type]
        as_of=as_of,
        default_region=region,
        columns=("row_id", "employment_hire_date", "employer_id", "employer_region"),
        location=spec.location,
        key_date=spec.key_date,
    )


@pytest.mark.parametrize("seed", range(12))
def test_warm_report_equals_cold(seed: int) -> None:
    facts = facts_from_data(random_facts(seed, tag=f"W{seed}-"))
    params = load_parameters()
    plans._plans.clear()
    cold = report_json(calculate(facts, as_of=AS_OF, region="450103", params=params))
    for other in range(3):  # other documents explain with the same plans first
        calculate(facts_from_data(random_facts(100 + other)), as_of=AS_OF, region="450103", params=params)
    warm = report_json(calculate(facts, as_of=AS_OF, region="450103", params=params))
    assert warm == cold


def test_plan_is_shared_by_equal_inputs_only() -> None:
    params = load_parameters()
    first = _plan(params)
    assert _plan(load_parameters()) is first  # every load shares the bundled parameters
    assert _plan(params, as_of=dt.date(2025, 6, 30)) is not first
    assert _plan(params, region="450102") is not first
    local = params.overridden("gx.expansion.amount_per_person", 2000, note="本地设定")
    assert _plan(local) is not first


def test_fused_stages_keep_every_dependency() -> None:
    a = pl.col("x").alias("a")
    b = (pl.col("a") + 1).alias("b")
    c = (pl.col("x") * 2).alias("c")
    again = (pl.col("x") - 1).alias("c")  # replaces c: may join b's stage, not c's
    d = (pl.col("c") * 10).alias("d")  # reads the new c
    stages: list[plans.Stage] = [((a,), {}), ((c,), {}), ((b,), {}), ((again,), {}), ((d,), {})]
    fused = plans._fused(stages)
    assert [[e.meta.output_name() for e in exprs] for exprs, _ in fused] == [["a", "c"], ["b", "c"], ["d"]]
    frame = pl.DataFrame({"x": [1, 2]})
    stepwise = frame
    for exprs, named in stages:
        stepwise = stepwise.with_columns(*exprs, **named)
    once = frame
    for exprs, named in fused:
        once = once.with_columns(*exprs, **named)
    assert once.equals(stepwise)


def test_threads_sharing_cold_plans_answer_as_one_thread() -> None:
    """The case service evaluates on several threads: plans built and explained concurrently."""
    params = load_parameters()
    docs = [facts_from_data(random_facts(seed, tag=f"T{seed}-")) for seed in range(8)]
    plans._plans.clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(
            pool.map(lambda f: report_json(calculate(f, as_of=AS_OF, region="450103", params=params)), docs)
        )
    plans._plans.clear()
    alone = [report_json(calculate(f, as_of=AS_OF, region="450103", params=params)) for f in docs]
    assert together == alone
