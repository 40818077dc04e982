"""A single case on plain dict rows: each measure's cached plan replayed by row programs.

For one document Polars' fixed cost per plan and per expression is most of the time (issue 13,
item 2). Here the unit tables are dict rows (:mod:`jiuye.facts.row_tables`), a plan's stages
(:class:`~jiuye.engine.plans.Judged`) are compiled once into a row program per input schema and
kept on the plan, and the steps after the epochs run in Python (:mod:`jiuye.engine.row_settle`).
The rows are those the Polars path (:mod:`jiuye.engine.single`) collects, column for column; a
measure whose expressions the compiler does not know runs through Polars instead (logged once).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from jiuye.engine import plan_store
from jiuye.engine.amounts import due_col
from jiuye.engine.epochs import Epoch
from jiuye.engine.evaluate import MeasureRun, cond_col, null_parameters_allowed
from jiuye.engine.measure import Condition, Measure
from jiuye.engine.plans import Plan, Stage
from jiuye.engine.row_programs import compile_stages
from jiuye.engine.row_settle import PriorGrant, settle_rows
from jiuye.engine.rowexpr import RowProgram, Unsupported

__all__ = ["RowRun", "fallbacks", "run_rows"]

Row = dict[str, Any]
Schema = dict[str, pl.DataType]
_log = logging.getLogger(__name__)
_lock = threading.Lock()
_fallen: dict[str, str] = {}  # measure id → why it runs through Polars (logged once)


class RowRun(MeasureRun):
    """A measure's evaluated rows as dicts; the Polars frame is built only if someone asks (and
    a frame assigned to ``collected`` replaces the rows, as it would a Polars run's)."""

    def __init__(
        self,
        measure: Measure,
        rows: list[Row],
        schema: Schema,
        epochs: list[Epoch],
        conditions: list[list[tuple[Condition, str]]],
        jurisdiction: str,
    ) -> None:
        self.measure, self.epochs, self.conditions, self.jurisdiction = measure, epochs, conditions, jurisdiction
        self._rows, self.schema = rows, schema
        self._frame: pl.DataFrame | None = None

    @property
    def collected(self) -> pl.DataFrame | None:
        return self._frame

    @collected.setter
    def collected(self, frame: pl.DataFrame | None) -> None:
        if frame is not None:
            self._rows, self.schema = frame.to_dicts(), dict(frame.schema)
        self._frame = frame

    def rows(self) -> list[Row]:
        return self._rows

    @property
    def frame(self) -> pl.DataFrame:
        if self._frame is None:
            self._frame = pl.DataFrame(self._rows, schema=self.schema, orient="row")
        return self._frame

    def __getattr__(self, name: str) -> Any:
        if name == "lazy":  # a dataclass field of MeasureRun, built here only if read
            return self.frame.lazy()
        raise AttributeError(name)


def fallbacks() -> dict[str, str]:
    """The measures that ran through Polars since the process started, and why."""
    return dict(_fallen)


def fall_back(measure: Measure, why: Exception) -> None:
    if measure.id not in _fallen:
        with _lock:
            _fallen[measure.id] = f"{type(why).__name__}: {why}"
        _log.warning("single case: %s runs through Polars (%s)", measure.id, why)


def _kept(plan: Plan, key: tuple[Any, ...], sources: tuple[Schema, ...], build: Callable[[], Any]) -> Any:
    """What the plan keeps under ``key`` for these input schemas, built once. Stable keys (no
    object ids) so that a plan kept on disk (:mod:`jiuye.engine.plan_store`) brings them along;
    the schemas themselves are checked, by identity, then (after loading) by value."""
    found = plan.programs.get(key)
    if found is not None:
        kept, value = found
        if all(a is b for a, b in zip(kept, sources, strict=True)):
            return value
        if kept == sources:  # the same dtypes in other objects: remember these
            plan.programs[key] = (sources, value)
            return value
    value = build()
    plan.programs[key] = (sources, value)
    plan.programs["changed"] = True
    return value


def _program(plan: Plan, key: tuple[Any, ...], stages: Sequence[Stage], schema: Schema) -> RowProgram:
    """The stages' row program for this input schema, compiled once and kept on the plan."""

    def build() -> RowProgram:
        if any(named for _, named in stages):
            raise Unsupported("named expressions in a plan stage")
        with null_parameters_allowed():
            return compile_stages([list(exprs) for exprs, _ in stages], schema)

    return _kept(plan, ("program", *key), (schema,), build)  # type: ignore[no-any-return]


def _in(epoch: Epoch, day: dt.date | None) -> bool:
    """``Epoch.rows()`` on one row: its event date in ``[start, end)`` (an unknown date in none)."""
    if day is None:
        return False
    return (epoch.start is None or day >= epoch.start) and (epoch.end is None or day < epoch.end)


def _present(plan: Plan, rows: list[Row], as_of: dt.date) -> list[int]:
    """The epochs the rows' event dates fall in (as :func:`jiuye.engine.single._present`)."""
    epochs = plan.epochs
    if len(epochs) == 1:
        return [0]
    column = plan.event_column
    dates = {as_of} if column is None else {row[column] or as_of for row in rows}
    return [i for i, e in enumerate(epochs) if any(_in(e, d) for d in dates)] or [len(epochs) - 1]


def _relaxed(plan: Plan, chosen: tuple[int, ...], schemas: list[Schema]) -> Schema:
    """The schema of the epochs' pieces concatenated as ``vertical_relaxed`` (supertypes)."""

    def build() -> Schema:
        return dict(pl.concat([pl.DataFrame(schema=s) for s in schemas], how="vertical_relaxed").schema)

    return _kept(plan, ("concat", chosen), tuple(schemas), build)  # type: ignore[no-any-return]


def _widened(plan: Plan, key: tuple[Any, ...], schema: Schema, target: Schema) -> list[str]:
    """The columns of a piece whose values the concatenation widens (an integer to a float, say)."""

    def build() -> list[str]:
        widened = []
        for name, dtype in schema.items():
            wanted = target[name]
            if dtype == wanted or dtype == pl.Null() or (dtype.is_integer() and wanted.is_integer()):
                continue
            if not (wanted.is_float() and (dtype.is_integer() or dtype.is_float())):
                raise Unsupported(f"column {name} widened from {dtype} to {wanted}")
            widened.append(name)
        return widened

    return _kept(plan, ("widened", *key), (schema, target), build)  # type: ignore[no-any-return]


def _cast(plan: Plan, key: tuple[Any, ...], rows: list[Row], schema: Schema, target: Schema) -> None:
    for name in _widened(plan, key, schema, target):
        for row in rows:
            if row[name] is not None:
                row[name] = float(row[name])


def _judged(plan: Plan, table: list[Row], schema: Schema, as_of: dt.date) -> tuple[list[Row], Schema, list[int]]:
    """The rows of the epochs present, judged, in input order, and their schema."""
    chosen = _present(plan, table, as_of)
    if len(chosen) == 1:
        program = _program(plan, ("alone", chosen[0]), plan.judged[chosen[0]].alone, schema)
        rows = [dict(row) for row in table]
        program(rows)
        return rows, program.schema, chosen
    head = _program(plan, ("head",), [((*plan.head,), {})], schema)
    headed = [dict(row) for row in table]
    head(headed)
    pieces: list[tuple[list[Row], Schema]] = []
    for i in chosen:
        epoch = plan.epochs[i]
        piece = [dict(row) for row in headed if _in(epoch, row["event_date"])]
        program = _program(plan, ("after_head", i), plan.judged[i].after_head, head.schema)
        program(piece)
        pieces.append((piece, program.schema))
    target = _relaxed(plan, tuple(chosen), [s for _, s in pieces])
    rows = []
    for i, (piece, piece_schema) in zip(chosen, pieces, strict=True):
        _cast(plan, (tuple(chosen), i), piece, piece_schema, target)
        rows += piece
    rows.sort(key=lambda row: row["row_id"])  # input order, as one table would have it
    return rows, target, chosen


def _settled_schema(measure: Measure, schema: Schema, prior: list[PriorGrant]) -> Schema:
    """The schema after :func:`settle_rows`: the columns settle adds, in order, with their dtypes."""
    added: Schema = {}
    once = measure.once
    if once is not None:
        keys = [k for k in once.keys if k in ("person_id", "employer_id")]
        if prior and keys and once.per_year_of:
            added["_year"] = pl.Int32()
        added |= {"prior_grants": pl.UInt32(), cond_col("not_granted_before"): pl.Boolean()}
        added[cond_col("once")] = pl.Boolean()
    for i, part in enumerate(measure.parts):
        if part.ceiling and part.due is not None:
            added[due_col(i)] = pl.Int64()
    added |= {"status": pl.String(), "amount_fen": pl.Int64(), "ceiling_fen": pl.Int64()}
    return {**schema, **added}


def _keep(plan: Plan) -> None:
    """The plan kept on disk again with its new programs, without what the explanation has
    derived since it was built (memos hold functions made then, which a stored plan cannot)."""
    programs = dict(plan.programs)
    programs.pop("uses", None)
    epochs = [dataclasses.replace(epoch, memo={}) for epoch in plan.epochs]
    plan_store.save(plan.stored or "", dataclasses.replace(plan, epochs=epochs, memo={}, programs=programs))


def run_rows(plan: Plan, table: list[Row], schema: Schema, as_of: dt.date, prior: list[PriorGrant]) -> RowRun:
    """A measure's plan over a document's unit rows (with ``row_id``), with the full trace;
    raises :class:`Unsupported` when a stage cannot be compiled (then run it through Polars)."""
    rows, judged_schema, chosen = _judged(plan, table, schema, as_of)
    settled = _kept(
        plan,
        ("settled", tuple(chosen), bool(prior)),
        (judged_schema,),
        lambda: _settled_schema(plan.measure, judged_schema, prior),
    )
    if plan.programs.pop("changed", False) and plan.stored:
        _keep(plan)
    labels: list[list[tuple[Condition, str]]] = [[] for _ in plan.epochs]
    for i in chosen:
        labels[i] = list(plan.judged[i].labels)  # a copy: the once conditions are added to it
    settle_rows(plan.measure, rows, prior, labels)
    return RowRun(plan.measure, rows, settled, plan.epochs, labels, plan.code)


#: A plan's row programs are compiled at its ``COMPILE_AT``-th use; before, Polars runs it. A
#: one-shot evaluation (``jiuye eval``: each plan used once) then pays no compiler on top of
#: building its plans; a warm process (the case service, a run of cases) compiles each plan once.
#: A plan kept on disk (:mod:`jiuye.engine.plan_store`) is compiled at once: its programs are
#: kept with it, and later processes load them compiled.
COMPILE_AT = 2


def guarded(plan: Plan, attempt: Callable[[], MeasureRun], polars: Callable[[], MeasureRun]) -> MeasureRun:
    """The row path, or Polars for a plan still cold or a measure whose expressions the compiler
    does not know."""
    measure = plan.measure
    if measure.id in _fallen:
        return polars()
    uses = plan.programs["uses"] = plan.programs.get("uses", 0) + 1
    if uses < COMPILE_AT and plan.stored is None:
        return polars()
    try:
        return attempt()
    except Unsupported as why:
        fall_back(measure, why)
        return polars()
