"""Evaluate measures over unit tables: the one code path for a single case and for batch.

Each measure becomes a set of columns on its unit's table: its variables, one boolean
column per condition (null = a needed fact is unknown), the parts of its amount, and a
status. Three-valued logic is Polars' Kleene logic: ``false & null`` is false,
``true & null`` is null.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import operator
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from jiuye.engine.amounts import amount_columns, part_columns
from jiuye.engine.applicability import jurisdiction_code, jurisdiction_condition, time_condition
from jiuye.engine.epochs import Epoch, epochs_of
from jiuye.engine.measure import AT_APPLICATION, Condition, Measure
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP, with_near_miss
from jiuye.engine.once import apply_once, one_row_per_key
from jiuye.engine.row_head import row_head, subject_column
from jiuye.params import ParameterSet, Params
from jiuye.params.model import ValueEntry

__all__ = [
    "ELIGIBLE",
    "INELIGIBLE",
    "NEEDS_FACTS",
    "MeasureRun",
    "collect_runs",
    "columns_used",
    "render_label",
    "run_measure",
    "settle",
    "subject_column",
]

ELIGIBLE, INELIGIBLE, NEEDS_FACTS = "eligible", "ineligible", "needs_facts"
_PARAM_RE = re.compile(r"\{([a-z0-9_.]+)\}")


def render_label(label: str, p: Params) -> str:
    """Fill ``{param.name}`` placeholders with the values in force (``3个月``, ``2025年12月31日``)."""
    return _PARAM_RE.sub(lambda m: p.text(m.group(1)), label)


def cond_col(key: str) -> str:
    return f"c__{key}"


def part_cols(i: int) -> tuple[str, str, str]:
    return f"p{i}__qty", f"p{i}__rate", f"p{i}__fen"


def info_col(key: str) -> str:
    return f"i__{key}"


def basis_col(variable: str) -> str:
    """The column saying which fact decided a variable (declared or derived status)."""
    return f"b__{variable}"


@dataclass
class MeasureRun:
    """The evaluated rows of one measure plus what the explanation needs.

    Rows carry an ``epoch`` column: the index in ``epochs`` of the rule that governs their event
    (see :mod:`jiuye.engine.epochs`); ``conditions`` holds each epoch's rendered labels.
    """

    measure: Measure
    lazy: pl.LazyFrame
    epochs: list[Epoch]
    conditions: list[list[tuple[Condition, str]]]  # per epoch: condition, label as in force
    jurisdiction: str = ""
    collected: pl.DataFrame | None = None

    @property
    def frame(self) -> pl.DataFrame:
        if self.collected is None:
            self.collected = self.lazy.collect()
        return self.collected

    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts (what the explanation reads; a single case's row path has no frame)."""
        return self.frame.to_dicts()

    def params_used(self, epoch: int) -> dict[str, ValueEntry]:
        return dict(self.epochs[epoch].params.used)

    def unset(self, epoch: int) -> list[str]:
        """Parameters the rule reads whose value is null: a local setting not yet made."""
        return [n for n, e in self.epochs[epoch].params.used.items() if e.value is None]


def collect_runs(runs: list[MeasureRun]) -> list[MeasureRun]:
    """Collect each measure's rows (one by one: for small tables ``pl.collect_all`` was slower)."""
    for run in runs:
        run.collected = run.lazy.collect()
    return runs


def run_measure(
    measure: Measure,
    table: pl.DataFrame | pl.LazyFrame,
    *,
    params: ParameterSet,
    as_of: dt.date,
    default_region: str | None,
    location: tuple[str, ...],
    prior: pl.DataFrame | None = None,
    keep_trace: bool = True,
    key_date: str | None = None,
) -> MeasureRun:
    with null_parameters_allowed():
        return _run_measure(measure, table, params, as_of, default_region, location, prior, keep_trace, key_date)


@contextlib.contextmanager
def null_parameters_allowed() -> Iterator[None]:
    """A parameter not yet in force, or left unset locally, is None: comparing with it yields
    null, which is exactly "unknown" in the three-valued conditions, so Polars need not warn."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Comparisons with None", category=UserWarning)
        yield


def _ordered(measure: Measure) -> list[Condition]:
    """Time conditions (policy period, application window) before the substantive ones."""
    return [c for c in measure.conditions if c.timing] + [c for c in measure.conditions if not c.timing]


def _judged(condition: Condition, p: Params) -> pl.Expr:
    """A condition that reads a parameter with no known value cannot be judged: unknown, not
    false (before any basis is published, a missing list reads as empty and would fail every
    membership test, e.g. "申请单位为企业" for an enterprise)."""
    read = Params(p.source, p.as_of, event=p.event)
    test = condition.test(read)
    p.used.update(read.used)
    p.missing |= read.missing
    return pl.lit(None, dtype=pl.Boolean) if read.missing else test


def _judge(
    measure: Measure, lf: pl.LazyFrame, epoch: Epoch, jurisdiction: Condition, event: str, *, keep_trace: bool
) -> tuple[pl.LazyFrame, list[tuple[Condition, str]]]:
    """One epoch's rows: variables, every condition in order, the parts of the amount, info."""
    p = epoch.params
    conditions = [jurisdiction, time_condition(measure, epoch, event), *_ordered(measure)]
    for variable in measure.variables:
        lf = lf.with_columns(variable.expr(p).alias(variable.name))
        if keep_trace and variable.basis is not None:
            lf = lf.with_columns(variable.basis(p).alias(basis_col(variable.name)))
    lf = lf.with_columns([_judged(c, p).alias(cond_col(c.key)) for c in conditions])
    base = functools.reduce(operator.and_, [pl.col(cond_col(c.key)) for c in conditions])
    lf = part_columns(measure, p, lf)  # amounts due and ceilings: jiuye.engine.amounts
    for info in measure.info:
        lf = lf.with_columns(info.value(p).alias(info_col(info.key)))
    lf = lf.with_columns(base.alias("_base"))
    lf = with_near_miss(lf, conditions, p, in_force=epoch.in_force)  # 差一点: exactly one condition false
    return lf, [(c, render_label(c.label, p)) for c in conditions]


def _present(epochs: list[Epoch], table: pl.LazyFrame) -> list[int]:
    """The epochs a small table's event dates fall in (so a single case builds only those)."""
    dates = table.select(pl.col("event_date").unique()).collect().to_series().to_list()
    return [
        i
        for i, e in enumerate(epochs)
        if any((e.start is None or d >= e.start) and (e.end is None or d < e.end) for d in dates)
    ] or [len(epochs) - 1]


def _run_measure(
    measure: Measure,
    table: pl.DataFrame | pl.LazyFrame,
    params: ParameterSet,
    as_of: dt.date,
    default_region: str | None,
    location: tuple[str, ...],
    prior: pl.DataFrame | None,
    keep_trace: bool,
    key_date: str | None,
) -> MeasureRun:
    small = isinstance(table, pl.DataFrame)
    lf = table.lazy() if isinstance(table, pl.DataFrame) else table
    columns = table.columns if isinstance(table, pl.DataFrame) else lf.collect_schema().names()
    if not keep_trace:
        return _run_batch(measure, lf, params, as_of, default_region, location, prior, key_date, columns, small)
    row = row_head(measure, columns, as_of=as_of, default_region=default_region, location=location, key_date=key_date)
    lf = lf.with_columns(row.columns)
    event = row.event_label
    # Where an entity is, is not a matter of time: the jurisdiction in force at the evaluation date.
    code = jurisdiction_code(params, measure, as_of)
    jurisdiction = jurisdiction_condition(measure, code)
    epochs = epochs_of(measure, params, as_of)
    chosen = _present(epochs, lf) if small and len(epochs) > 1 else list(range(len(epochs)))
    pieces: list[pl.LazyFrame] = []
    labels: list[list[tuple[Condition, str]]] = [[] for _ in epochs]
    for i in chosen:
        piece = lf if len(chosen) == 1 else lf.filter(epochs[i].rows())
        judged, labels[i] = _judge(measure, piece, epochs[i], jurisdiction, event, keep_trace=True)
        pieces.append(judged.with_columns(pl.lit(i, dtype=pl.UInt8).alias("epoch")))
    lf = pieces[0] if len(pieces) == 1 else pl.concat(pieces, how="vertical_relaxed")
    ranked = measure.once is not None and not one_row_per_key(measure)
    if len(pieces) > 1 and "row_id" in columns and (small or ranked):
        lf = lf.sort("row_id")  # input order: lines read in order, ties in a once-ranking break as in one table
    lf = settle(measure, lf, prior, labels)
    return MeasureRun(measure, lf, epochs, labels, code)


def _run_batch(
    measure: Measure,
    lf: pl.LazyFrame,
    params: ParameterSet,
    as_of: dt.date,
    default_region: str | None,
    location: tuple[str, ...],
    prior: pl.DataFrame | None,
    key_date: str | None,
    columns: list[str],
    small: bool,
) -> MeasureRun:
    """The batch's rows from the measure's cached :class:`~jiuye.engine.batch_plan.BatchPlan`: no
    trace, every epoch (in one pass where the plan has one), then the rows' own steps."""
    from jiuye.engine.batch_plan import batch_plan, replay  # it builds epochs with ``_judge``

    plan = batch_plan(
        measure,
        params,
        as_of=as_of,
        default_region=default_region,
        columns=tuple(columns),
        location=location,
        key_date=key_date,
    )
    if plan.whole is not None:
        lf = replay(lf, plan.whole)  # in input order
    else:
        head = lf.with_columns(plan.head)
        pieces = [replay(head.filter(e.rows()), stages) for e, stages in zip(plan.epochs, plan.pieces, strict=True)]
        lf = pl.concat(pieces, how="diagonal_relaxed")
        ranked = measure.once is not None and not one_row_per_key(measure)
        if "row_id" in columns and (small or ranked):
            lf = lf.sort("row_id")  # input order: ties in a once-ranking break as in one table
    labels = [list(rendered) for rendered in plan.labels]  # a copy: the once conditions join them
    lf = settle(measure, lf, prior, labels).select(_BATCH_COLUMNS)
    return MeasureRun(measure, lf, plan.epochs, labels, plan.code)


def settle(
    measure: Measure, lf: pl.LazyFrame, prior: pl.DataFrame | None, labels: list[list[tuple[Condition, str]]]
) -> pl.LazyFrame:
    """The steps after the epochs, shared by every path (batch, and the single case's replayed
    plans in :mod:`jiuye.engine.single`): once-only grants, the amount, the status."""
    base = pl.col("_base")
    if measure.once is not None:
        lf, base = apply_once(measure, lf, base, prior, labels)
    money = amount_columns(measure, lf, base)  # after the epochs: a shared due (a pool) spans them
    lf, amount = money.lf, money.due
    eligible = base.fill_null(value=False)
    unknown = base.is_null()
    if measure.parts:  # a ceiling qualifies a row without an amount due (see jiuye.engine.amounts)
        unknown = unknown | (eligible & money.known.not_())
        eligible = eligible & money.known
    status = (
        pl.when(eligible).then(pl.lit(ELIGIBLE)).when(unknown).then(pl.lit(NEEDS_FACTS)).otherwise(pl.lit(INELIGIBLE))
    )
    return lf.with_columns(
        status.alias("status"),
        pl.when(eligible).then(amount).otherwise(None).cast(pl.Int64).alias("amount_fen"),
        pl.when(eligible).then(money.ceiling).otherwise(None).cast(pl.Int64).alias("ceiling_fen"),
    )


_BATCH_COLUMNS = [
    "row_id",
    "subject_id",
    "subject_key",
    "region",
    "event_date",
    "status",
    "amount_fen",
    "ceiling_fen",
    NEAR_MISS,
    NEAR_MISS_GAP,
]


def columns_used(
    measure: Measure, params: ParameterSet, as_of: dt.date, available: list[str], key_date: str | None = None
) -> list[str]:
    """The unit-table columns a measure reads (so a registry scan can read only those)."""
    names: set[str] = set()
    for epoch in epochs_of(measure, params, as_of):
        p = epoch.params
        with null_parameters_allowed():
            exprs = [
                *(c.test(p) for c in measure.conditions),
                *(v.expr(p) for v in measure.variables),
                *(v.basis(p) for v in measure.variables if v.basis is not None),
                *(x for part in measure.parts for x in (part.quantity(p), part.rate(p))),
                *(part.due(p) for part in measure.parts if part.due is not None),
                *(i.value(p) for i in measure.info),
            ]
        names |= {name for e in exprs for name in e.meta.root_names()}
    names |= {key for part in measure.parts for key in part.due_pool}
    names |= {measure.event or key_date} - {None, AT_APPLICATION}  # type: ignore[arg-type]
    if measure.once:
        names |= {*measure.once.keys, measure.once.order}
        names |= {measure.once.per_year_of} if measure.once.per_year_of else set()
    names |= {f"{measure.beneficiary}_id", f"{measure.beneficiary}_region", f"{measure.beneficiary}_key"}
    return [c for c in available if c in names]
