"""One document's measures, each replayed from its cached :class:`~jiuye.engine.plans.Plan`.

The steps after the epochs (once-only grants, amounts, status) are every evaluation's own
(:func:`jiuye.engine.evaluate.settle`); only what the plan holds is not rebuilt.
``tests/test_batch_agreement.py`` holds that the two agree.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from jiuye.engine.evaluate import MeasureRun, null_parameters_allowed, settle
from jiuye.engine.measure import Condition, Measure
from jiuye.engine.plans import Plan, apply, plan_of
from jiuye.params import ParameterSet

__all__ = ["AS_BUILT", "collect_case", "run_case"]

#: A document's plans are small and already fused (:mod:`jiuye.engine.plans`): optimising each
#: costs more than it saves.
AS_BUILT = pl.QueryOptFlags.none()


def run_case(
    measure: Measure,
    table: pl.DataFrame,
    *,
    params: ParameterSet,
    params_key: tuple[int, ...],
    as_of: dt.date,
    default_region: str | None,
    location: tuple[str, ...],
    key_date: str | None,
    prior: pl.DataFrame | None,
) -> MeasureRun:
    """A measure over a document's unit table (with its ``row_id``), with the full trace."""
    plan = plan_of(
        measure,
        params,
        as_of=as_of,
        default_region=default_region,
        columns=tuple(table.columns),
        location=location,
        key_date=key_date,
        params_key=params_key,
    )
    with null_parameters_allowed():
        return _run(plan, table, as_of, prior)


def collect_case(runs: list[MeasureRun]) -> list[MeasureRun]:
    """Each measure's rows, collected as built."""
    for run in runs:
        run.collected = run.lazy.collect(optimizations=AS_BUILT)
    return runs


def _present(plan: Plan, table: pl.DataFrame, as_of: dt.date) -> list[int]:
    """The epochs the rows' event dates fall in (only those are evaluated)."""
    epochs = plan.epochs
    if len(epochs) == 1:
        return [0]
    dates = {as_of} if plan.event_column is None else {d or as_of for d in table.get_column(plan.event_column)}
    return [
        i
        for i, e in enumerate(epochs)
        if any((e.start is None or d >= e.start) and (e.end is None or d < e.end) for d in dates)
    ] or [len(epochs) - 1]


def _run(plan: Plan, table: pl.DataFrame, as_of: dt.date, prior: pl.DataFrame | None) -> MeasureRun:
    measure, epochs = plan.measure, plan.epochs
    chosen = _present(plan, table, as_of)
    pieces: list[pl.LazyFrame] = []
    labels: list[list[tuple[Condition, str]]] = [[] for _ in epochs]
    if len(chosen) == 1:
        pieces.append(apply(table.lazy(), plan.judged[chosen[0]].alone))
    else:
        lf = table.lazy().with_columns(plan.head)
        pieces += [apply(lf.filter(epochs[i].rows()), plan.judged[i].after_head) for i in chosen]
    for i in chosen:
        labels[i] = list(plan.judged[i].labels)  # a copy: the once conditions are added to it
    lf = pieces[0] if len(pieces) == 1 else pl.concat(pieces, how="vertical_relaxed")
    if len(pieces) > 1:
        lf = lf.sort("row_id")  # input order, as one table would have it
    lf = settle(measure, lf, prior, labels)
    return MeasureRun(measure, lf, epochs, labels, plan.code)
