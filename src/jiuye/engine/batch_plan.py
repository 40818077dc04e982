"""A measure's batch evaluation as far as the parameters and the date decide it, built once.

Everything :func:`jiuye.engine.evaluate.run_measure` builds before the rows' own steps (once-only
grants, amounts, status: :func:`~jiuye.engine.evaluate.settle`) depends only on the parameters,
the evaluation date, the default region, the unit table's columns and whether near misses are
looked for: the jurisdiction, the epochs (found by building every expression of the
declaration), each epoch's columns and labels. A :class:`BatchPlan` keeps them as recorded
``with_columns`` stages, so a call over 40,000 employers does not rebuild them each time.

One pass over the rows, no split and concatenation by epoch, when at most one epoch is judged
and the others are settled (:mod:`jiuye.engine.not_in_force`): the common shape, a rule in force
from some date and hires before it. The judged epoch's columns are then computed on every row
and, outside its span, replaced by what a settled row carries (no base, no part figure, no near
miss), which are the only columns the later steps read of it. The rows stay in input order.

The parameters are keyed by the identity of their :class:`~jiuye.params.model.Parameter` objects,
and the plan holds the parameter set so those identities stay unique while it is cached.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any, cast

import polars as pl

from jiuye.engine.amounts import part_column_names
from jiuye.engine.applicability import jurisdiction_code, jurisdiction_condition
from jiuye.engine.epochs import Epoch, epochs_of
from jiuye.engine.keyed_decisions import SUBJECT_KEY
from jiuye.engine.measure import Condition, Measure
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP, near_misses_are_off
from jiuye.engine.not_in_force import settled_rows
from jiuye.engine.row_head import row_head, subject_column
from jiuye.params import ParameterSet

__all__ = ["BatchPlan", "batch_plan", "replay"]

#: One recorded ``with_columns`` call: its positional and named expressions.
Stage = tuple[tuple[Any, ...], dict[str, Any]]

_LIMIT = 1024  # plans kept (37 measures × a few dates, regions, column sets); then start over
_lock = threading.Lock()
_plans: dict[tuple[Any, ...], BatchPlan] = {}


class _Recorder:
    """Stands in for a LazyFrame while a plan is built: keeps the columns each step adds."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []

    def with_columns(self, *exprs: Any, **named: Any) -> _Recorder:
        self.stages.append((exprs, named))
        return self


def replay(lf: pl.LazyFrame, stages: list[Stage]) -> pl.LazyFrame:
    for exprs, named in stages:
        lf = lf.with_columns(*exprs, **named)
    return lf


@dataclass
class BatchPlan:
    """``whole``: the stages over all rows (one pass), or None; then ``pieces``: per epoch, the
    stages over its rows (after the head columns), to be concatenated."""

    measure: Measure
    params: ParameterSet  # held: its parameters' identities are the key
    code: str  # the jurisdiction's region code
    epochs: list[Epoch]
    head: list[pl.Expr]
    labels: list[list[tuple[Condition, str]]]  # per epoch; copied per run (settle appends to them)
    whole: list[Stage] | None
    pieces: list[list[Stage]]


def batch_plan(
    measure: Measure,
    params: ParameterSet,
    *,
    as_of: dt.date,
    default_region: str | None,
    columns: tuple[str, ...],
    location: tuple[str, ...],
    key_date: str | None,
) -> BatchPlan:
    """The measure's batch plan for these parameters, date, region and unit columns (built once)."""
    ids = tuple(map(id, params.params.values()))
    off = near_misses_are_off()
    key = (id(measure), ids, as_of, default_region, columns, location, key_date, off)
    plan = _plans.get(key)
    if plan is not None and plan.measure is measure and plan.params is params:
        return plan
    from jiuye.engine.evaluate import null_parameters_allowed  # evaluate runs batches through here

    with null_parameters_allowed():
        plan = _build(measure, params, as_of, default_region, columns, location, key_date)
    with _lock:
        if len(_plans) >= _LIMIT:
            _plans.clear()
        _plans[key] = plan
    return plan


def _build(
    measure: Measure,
    params: ParameterSet,
    as_of: dt.date,
    default_region: str | None,
    columns: tuple[str, ...],
    location: tuple[str, ...],
    key_date: str | None,
) -> BatchPlan:
    from jiuye.engine.evaluate import _judge

    row = row_head(
        measure, list(columns), as_of=as_of, default_region=default_region, location=location, key_date=key_date
    )
    head = [*row.columns, _subject_key(measure, columns)]
    code = jurisdiction_code(params, measure, as_of)
    jurisdiction = jurisdiction_condition(measure, code)
    epochs = epochs_of(measure, params, as_of)
    labels: list[list[tuple[Condition, str]]] = []
    pieces: list[list[Stage]] = []
    judged: list[int] = []
    for i, epoch in enumerate(epochs):
        recorder = _Recorder()
        lf = cast(pl.LazyFrame, recorder)
        _, rendered = _judge(measure, lf, epoch, jurisdiction, row.event_label, keep_trace=False)
        labels.append(rendered)
        stages = None if epoch.in_force else _settled(measure)  # the batch keeps no trace: settle, not judge
        if stages is None:
            judged.append(i)
        number = pl.lit(i, dtype=pl.UInt8).alias("epoch")
        pieces.append([*(recorder.stages if stages is None else stages), ((number,), {})])
    if row.event_column is None:  # every row's event is the evaluation date: one epoch governs them all
        present = next((i for i, e in enumerate(epochs) if _holds(e, as_of)), len(epochs) - 1)
        whole: list[Stage] | None = [((*head,), {}), *pieces[present]]
    else:
        whole = _one_pass(measure, epochs, head, pieces, judged) if len(judged) <= 1 else None
    return BatchPlan(measure, params, code, epochs, head, labels, whole, pieces)


def _subject_key(measure: Measure, columns: tuple[str, ...]) -> pl.Expr:
    """The beneficiary's integer key where its unit table has one beside its id (see
    :mod:`jiuye.facts.tables`), else null: decisions group rows by it."""
    key = f"{measure.beneficiary}_key"
    if subject_column(measure, list(columns)) == f"{measure.beneficiary}_id" and key in columns:
        return pl.col(key).cast(pl.UInt32).alias(SUBJECT_KEY)
    return pl.lit(None, dtype=pl.UInt32).alias(SUBJECT_KEY)


def _holds(epoch: Epoch, day: dt.date) -> bool:
    return (epoch.start is None or day >= epoch.start) and (epoch.end is None or day < epoch.end)


def _settled(measure: Measure) -> list[Stage] | None:
    recorder = _Recorder()
    return recorder.stages if settled_rows(measure, cast(pl.LazyFrame, recorder)) is not None else None


def _one_pass(
    measure: Measure, epochs: list[Epoch], head: list[pl.Expr], pieces: list[list[Stage]], judged: list[int]
) -> list[Stage]:
    """All rows through the one judged epoch's stages (or the settled ones when none is judged),
    then, outside its span, the columns a settled row carries."""
    if len(epochs) == 1:
        return [((*head,), {}), *pieces[0]]
    chosen = judged[0] if judged else 0
    inside = epochs[chosen].rows()
    epoch = pl.lit(chosen, dtype=pl.UInt8)
    for i, e in enumerate(epochs):
        if i != chosen:
            epoch = pl.when(e.rows()).then(pl.lit(i, dtype=pl.UInt8)).otherwise(epoch)
    settled = [
        (pl.col("_base") & inside).alias("_base"),
        *(pl.when(inside).then(pl.col(c)).alias(c) for c in part_column_names(measure)),
        *(pl.when(inside).then(pl.col(c)).alias(c) for c in (NEAR_MISS, NEAR_MISS_GAP)),
        epoch.alias("epoch"),
    ]
    return [((*head,), {}), *pieces[chosen][:-1], ((*settled,), {})]
