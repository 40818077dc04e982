"""What a measure's evaluation builds from the parameters and the date alone, built once.

For one small document most of a measure's cost used to be building it: the jurisdiction, the
epochs of its event axis (found by building every expression of the declaration), and per epoch
its variables, conditions, parts, near miss and rendered labels. None of that depends on the
rows, only on the parameters, the evaluation date, the default region and the unit table's
columns. A :class:`Plan` keeps it, keyed on those; a warm single case replays it over the rows
(:mod:`jiuye.engine.single`).

The parameters are keyed by the identity of their :class:`~jiuye.params.model.Parameter`
objects (every ``load_parameters()`` shares the bundled ones; a local setting or a what-if makes
a new one, hence a new plan), and the plan holds the parameter set so those identities stay
unique while it is cached.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any, cast

import polars as pl

from jiuye.engine import plan_store
from jiuye.engine.applicability import jurisdiction_code, jurisdiction_condition
from jiuye.engine.epochs import Epoch, epochs_of
from jiuye.engine.evaluate import _judge, null_parameters_allowed
from jiuye.engine.measure import Condition, Measure
from jiuye.engine.row_head import row_head
from jiuye.params import ParameterSet

__all__ = ["Judged", "Plan", "Stage", "apply", "parameters_key", "plan_of"]

#: One recorded ``with_columns`` call: its positional and named expressions.
Stage = tuple[tuple[Any, ...], dict[str, Any]]

_LIMIT = 4096  # plans kept (37 measures × a few dates, regions and parameter sets); then start over
_lock = threading.Lock()
_plans: dict[tuple[Any, ...], Plan] = {}


class _Recorder:
    """Stands in for a LazyFrame while a measure's epoch is judged: keeps the columns it adds."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []

    def with_columns(self, *exprs: Any, **named: Any) -> _Recorder:
        self.stages.append((exprs, named))
        return self


@dataclass
class Judged:
    """One epoch of a plan: the columns it adds, in order (with the rows' head columns when it is
    the only epoch present, ``alone``; after them, ``after_head``), and its labelled conditions."""

    alone: list[Stage]
    after_head: list[Stage]
    labels: list[tuple[Condition, str]]


def apply(lf: pl.LazyFrame, stages: list[Stage]) -> pl.LazyFrame:
    for exprs, named in stages:
        lf = lf.with_columns(*exprs, **named)
    return lf


@dataclass
class Plan:
    measure: Measure
    params: ParameterSet  # held: its parameters' identities are the key
    code: str  # the jurisdiction's region code
    epochs: list[Epoch]
    head: list[pl.Expr]  # region, subject_id and event_date of each row
    event_column: str | None  # the column dating the event (None: the evaluation date)
    judged: list[Judged]
    memo: dict[str, Any] = field(default_factory=dict)  # what the explanation derives once
    programs: dict[Any, Any] = field(default_factory=dict)  # its row programs (jiuye.engine.row_case)
    stored: str | None = None  # its key in the plan store (jiuye.engine.plan_store), once kept


def _fused(stages: list[Stage]) -> list[Stage]:
    """The same columns in as few ``with_columns`` as their dependencies allow: a stage joins the
    one before when it reads none of its outputs (each node of a plan costs more, on a handful of
    rows, than the expressions in it)."""
    out: list[tuple[list[pl.Expr], set[str]]] = []
    for exprs, named in stages:
        group = [*_flat(exprs), *((v if isinstance(v, pl.Expr) else pl.lit(v)).alias(k) for k, v in named.items())]
        reads = {name for e in group for name in e.meta.root_names()}
        writes = {e.meta.output_name() for e in group}
        if out and not (reads | writes) & out[-1][1]:
            out[-1][0].extend(group)
            out[-1][1].update(writes)
        else:
            out.append((group, writes))
    return [(tuple(group), {}) for group, _ in out]


def _flat(exprs: tuple[Any, ...]) -> list[pl.Expr]:
    out: list[pl.Expr] = []
    for e in exprs:
        out.extend(_flat(tuple(e)) if isinstance(e, list | tuple) else [e])
    return out


def parameters_key(params: ParameterSet) -> tuple[int, ...]:
    return tuple(map(id, params.params.values()))


def plan_of(
    measure: Measure,
    params: ParameterSet,
    *,
    as_of: dt.date,
    default_region: str | None,
    columns: tuple[str, ...],
    location: tuple[str, ...],
    key_date: str | None,
    params_key: tuple[int, ...] | None = None,
) -> Plan:
    """The measure's plan for these parameters, date, region and unit columns (built once)."""
    ids = params_key or parameters_key(params)
    parts = (as_of, default_region, columns, location, key_date)
    key = (id(measure), ids, *parts)
    plan = _plans.get(key)
    if plan is not None and plan.measure is measure:
        return plan
    stored = plan_store.plan_key(measure, params, ids, parts) if plan_store.directory() else None
    plan = plan_store.load(stored, measure, params) if stored else None
    if plan is None:
        plan = _build(measure, params, as_of, default_region, columns, location, key_date)
        if stored:
            plan.stored = stored
            plan_store.save(stored, plan)
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
) -> Plan:
    row = row_head(
        measure, list(columns), as_of=as_of, default_region=default_region, location=location, key_date=key_date
    )
    head, event_column, event = row.columns, row.event_column, row.event_label
    code = jurisdiction_code(params, measure, as_of)
    jurisdiction = jurisdiction_condition(measure, code)
    epochs = epochs_of(measure, params, as_of)
    judged = []
    with null_parameters_allowed():
        for i, epoch in enumerate(epochs):
            recorder = _Recorder()
            _, labels = _judge(measure, cast(pl.LazyFrame, recorder), epoch, jurisdiction, event, keep_trace=True)
            stages = [*recorder.stages, ((pl.lit(i, dtype=pl.UInt8).alias("epoch"),), {})]
            judged.append(Judged(_fused([((*head,), {}), *stages]), _fused(stages), labels))
    return Plan(measure, params, code, epochs, head, event_column, judged)
