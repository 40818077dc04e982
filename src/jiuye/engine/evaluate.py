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
from dataclasses import dataclass, field

import polars as pl

from jiuye.engine.measure import Condition, Measure, cite
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP, with_near_miss
from jiuye.money import PPM, mul_ratio
from jiuye.params import ParameterSet, Params
from jiuye.params.model import ValueEntry
from jiuye.regions import region_in, region_name

__all__ = [
    "ELIGIBLE",
    "INELIGIBLE",
    "NEEDS_FACTS",
    "MeasureRun",
    "collect_runs",
    "columns_used",
    "render_label",
    "run_measure",
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


@dataclass
class MeasureRun:
    """The evaluated rows of one measure plus what the explanation needs."""

    measure: Measure
    lazy: pl.LazyFrame
    conditions: list[tuple[Condition, str]]  # condition, label rendered at the as-of date
    params_used: dict[str, ValueEntry]
    not_in_force: list[str] = field(default_factory=list)  # params with no value yet
    unset: list[str] = field(default_factory=list)  # params whose value is null (local setting)
    jurisdiction: str = ""
    collected: pl.DataFrame | None = None

    @property
    def frame(self) -> pl.DataFrame:
        if self.collected is None:
            self.collected = self.lazy.collect()
        return self.collected


def collect_runs(runs: list[MeasureRun]) -> list[MeasureRun]:
    """Collect each measure's rows (one by one: for small tables ``pl.collect_all`` was slower)."""
    for run in runs:
        run.collected = run.lazy.collect()
    return runs


def _jurisdiction_condition(measure: Measure, code: str) -> Condition:
    source = measure.sources[0]
    return Condition(
        "jurisdiction",
        f"所在地属于{region_name(code)}（本政策适用范围）",
        cite(source.document, source.clause),
        lambda p: region_in(pl.col("region"), code),
    )


def _location(unit_columns: list[str], location: tuple[str, ...], default_region: str | None) -> pl.Expr:
    present = [pl.col(c) for c in location if c in unit_columns]
    return pl.coalesce([*present, pl.lit(default_region, dtype=pl.String)])


def _prior_counts(measure: Measure, prior: pl.DataFrame | None, frame: pl.LazyFrame) -> pl.LazyFrame:
    """Join how many times each once-key already received this measure (from prior grants)."""
    once = measure.once
    assert once is not None
    keys = [k for k in once.keys if k in ("person_id", "employer_id")]
    if prior is None or prior.is_empty() or not keys:
        return frame.with_columns(pl.lit(0, dtype=pl.UInt32).alias("prior_grants"))
    grants = prior.lazy().filter(pl.col("measure") == measure.id)
    rename = {"person": "person_id", "employer": "employer_id"}
    grants = grants.rename(rename)
    group = list(keys)
    if once.per_year_of:
        grants = grants.with_columns(pl.col("granted_on").dt.year().alias("_year"))
        frame = frame.with_columns(pl.col(once.per_year_of).dt.year().alias("_year"))
        group.append("_year")
    counts = grants.group_by(group).agg(pl.len().alias("prior_grants"))
    joined = frame.join(counts, on=group, how="left", nulls_equal=False, maintain_order="left")
    return joined.with_columns(pl.col("prior_grants").fill_null(0))


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
        return _run_measure(measure, table, params.at(as_of), default_region, location, prior, keep_trace, key_date)


@contextlib.contextmanager
def null_parameters_allowed() -> Iterator[None]:
    """A parameter not yet in force, or left unset locally, is None: comparing with it yields
    null, which is exactly "unknown" in the three-valued conditions, so Polars need not warn."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Comparisons with None", category=UserWarning)
        yield


def _run_measure(
    measure: Measure,
    table: pl.DataFrame | pl.LazyFrame,
    p: Params,
    default_region: str | None,
    location: tuple[str, ...],
    prior: pl.DataFrame | None,
    keep_trace: bool,
    key_date: str | None,
) -> MeasureRun:
    lf = table.lazy() if isinstance(table, pl.DataFrame) else table
    columns = lf.collect_schema().names()
    lf = lf.with_columns(
        _location(columns, location, default_region).alias("region"),
        pl.col(subject_column(measure, columns)).cast(pl.String).alias("subject_id"),
        # The month a grant belongs to in a budget: the row's event, else the as-of date.
        (pl.coalesce(pl.col(key_date), pl.lit(p.as_of)) if key_date else pl.lit(p.as_of)).alias("event_date"),
    )

    code = str(p[f"common.jurisdiction.{measure.jurisdiction}"])
    conditions = [_jurisdiction_condition(measure, code), *measure.conditions]
    for variable in measure.variables:
        lf = lf.with_columns(variable.expr(p).alias(variable.name))
    lf = lf.with_columns([c.test(p).alias(cond_col(c.key)) for c in conditions])
    base = functools.reduce(operator.and_, [pl.col(cond_col(c.key)) for c in conditions])

    if measure.once is not None:
        once = measure.once
        lf = _prior_counts(measure, prior, lf)
        if f"{measure.unit.value}_id" in once.keys and measure.unit.value in _UNIQUE_ID_UNITS:
            first = pl.lit(value=True)  # one row per key: nothing in the batch can repeat it
        else:
            partition = [pl.col(k) for k in once.keys] + [base.alias("_b")]
            if once.per_year_of:
                partition.append(pl.col(once.per_year_of).dt.year().alias("_y"))
            first = pl.col(once.order).rank("ordinal").over(partition) == 1
        lf = lf.with_columns(
            (pl.col("prior_grants") == 0).alias(cond_col("not_granted_before")),
            pl.when(base.fill_null(value=False)).then(first).otherwise(pl.lit(value=True)).alias(cond_col("once")),
        )
        conditions += [
            Condition("not_granted_before", f"此前未享受过本项补贴（{once.label}）", once.cite, _noop),
            Condition("once", f"本批数据中未重复享受（{once.label}）", once.cite, _noop),
        ]
        base = base & pl.col(cond_col("not_granted_before")) & pl.col(cond_col("once"))

    amount = pl.lit(None, dtype=pl.Int64)
    if measure.parts:
        subtotals = []
        for i, part in enumerate(measure.parts):
            q, r, f = part_cols(i)
            sub = mul_ratio(pl.col(q), pl.col(r), PPM) if part.ratio else pl.col(q) * pl.col(r)
            lf = lf.with_columns(
                part.quantity(p).cast(pl.Int64).alias(q), part.rate(p).cast(pl.Int64).alias(r)
            ).with_columns(sub.alias(f))
            subtotals.append(pl.col(f))
        amount = functools.reduce(operator.add, subtotals)

    for info in measure.info:
        lf = lf.with_columns(info.value(p).alias(info_col(info.key)))

    eligible = base.fill_null(value=False)
    unknown = base.is_null()
    if measure.parts:
        unknown = unknown | (eligible & amount.is_null())
        eligible = eligible & amount.is_not_null()
    status = (
        pl.when(eligible).then(pl.lit(ELIGIBLE)).when(unknown).then(pl.lit(NEEDS_FACTS)).otherwise(pl.lit(INELIGIBLE))
    )
    lf = lf.with_columns(
        status.alias("status"),
        pl.when(eligible).then(amount).otherwise(None).cast(pl.Int64).alias("amount_fen"),
    )
    not_in_force = sorted(p.missing)
    if not_in_force:
        lf = lf.with_columns(pl.lit(INELIGIBLE).alias("status"), pl.lit(None, dtype=pl.Int64).alias("amount_fen"))
    lf = with_near_miss(lf, conditions, p, in_force=not not_in_force)  # 差一点: exactly one condition false
    if not keep_trace:
        lf = lf.select(_BATCH_COLUMNS)
    rendered = [(c, render_label(c.label, p)) for c in conditions]
    unset = [n for n, e in p.used.items() if e.value is None]
    return MeasureRun(measure, lf, rendered, dict(p.used), not_in_force, unset, code)


def _noop(p: Params) -> pl.Expr:
    return pl.lit(value=True)


#: Units whose own id is unique in every input: the facts loader and the registry reader both
#: reject duplicate person, employer and business ids.
_UNIQUE_ID_UNITS = ("person", "employer", "business")

_BATCH_COLUMNS = ["row_id", "subject_id", "region", "event_date", "status", "amount_fen", NEAR_MISS, NEAR_MISS_GAP]


def columns_used(measure: Measure, params: ParameterSet, as_of: dt.date, available: list[str]) -> list[str]:
    """The unit-table columns a measure reads (so a registry scan can read only those)."""
    p = params.at(as_of)
    with null_parameters_allowed():
        exprs = [
            *(c.test(p) for c in measure.conditions),
            *(v.expr(p) for v in measure.variables),
            *(x for part in measure.parts for x in (part.quantity(p), part.rate(p))),
            *(i.value(p) for i in measure.info),
        ]
    names = {name for e in exprs for name in e.meta.root_names()}
    if measure.once:
        names |= {*measure.once.keys, measure.once.order}
        names |= {measure.once.per_year_of} if measure.once.per_year_of else set()
    names |= {f"{measure.beneficiary}_id", f"{measure.beneficiary}_region"}
    return [c for c in available if c in names]


def subject_column(measure: Measure, columns: list[str]) -> str:
    """Who receives: ``<beneficiary>_id``, or the region for district-level measures."""
    key = f"{measure.beneficiary}_id"
    return key if key in columns else f"{measure.beneficiary}_region"
