"""Once-only grants: a key (person, employer...) receives a measure once (per period).

Two conditions join a measure with a ``once``: no prior grant on record, and the first
qualifying row in this batch. A row that fails only these is no near miss (a grant already
received is nothing to follow up).
"""

from __future__ import annotations

import polars as pl

from jiuye.engine.measure import Condition, Measure
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP
from jiuye.params import Params

__all__ = ["apply_once", "once_conditions", "one_row_per_key", "prior_counts", "unique_id_unit"]


def apply_once(
    measure: Measure,
    lf: pl.LazyFrame,
    base: pl.Expr,
    prior: pl.DataFrame | None,
    labels: list[list[tuple[Condition, str]]],
) -> tuple[pl.LazyFrame, pl.Expr]:
    """The once conditions on every row (after the epochs), their labels, and the base with them."""
    from jiuye.engine.evaluate import cond_col  # evaluate imports this module

    once = measure.once
    assert once is not None
    lf = prior_counts(measure, prior, lf)  # after the epochs: ``per_year_of`` may be a variable
    if one_row_per_key(measure):
        first = pl.lit(value=True)  # one row per key: nothing in the batch can repeat it
    else:
        lf, first = _first_passing(lf, measure, base)
    lf = lf.with_columns(
        (pl.col("prior_grants") == 0).alias(cond_col("not_granted_before")),
        pl.when(base.fill_null(value=False)).then(first).otherwise(pl.lit(value=True)).alias(cond_col("once")),
    ).drop(_WINNER, strict=False)
    for rendered in labels:
        if rendered:
            rendered += [(c, c.label) for c in once_conditions(measure)]
    base = base & pl.col(cond_col("not_granted_before")) & pl.col(cond_col("once"))
    received = ~(pl.col(cond_col("not_granted_before")) & pl.col(cond_col("once"))).fill_null(value=True)
    lf = lf.with_columns(  # a grant already received is nothing to follow up
        pl.when(received).then(None).otherwise(pl.col(c)).alias(c) for c in (NEAR_MISS, NEAR_MISS_GAP)
    )
    return lf, base


def once_conditions(measure: Measure) -> tuple[Condition, Condition]:
    """The two conditions a once-only grant adds to every epoch's labels (after the others)."""
    found = _CONDITIONS.get(id(measure))
    if found is not None and found[0] is measure:
        return found[1]
    once = measure.once
    assert once is not None
    made = (
        Condition("not_granted_before", f"此前未享受过本项补贴（{once.label}）", once.cite, _noop),
        Condition("once", f"本批数据中未重复享受（{once.label}）", once.cite, _noop),
    )
    _CONDITIONS[id(measure)] = (measure, made)
    return made


_CONDITIONS: dict[int, tuple[Measure, tuple[Condition, Condition]]] = {}  # by measure, made once


def _first_passing(measure_lf: pl.LazyFrame, measure: Measure, base: pl.Expr) -> tuple[pl.LazyFrame, pl.Expr]:
    """Whether a row is its key's first qualifying row (by ``once.order``, ties in frame order).

    Only rows that pass every other condition are ranked: a row that does not pass is never
    asked (its ``once`` is true), so ranking all rows, by text ids, did work nobody read. The
    rows passing are few; their winners are joined back by frame position. Null, as a rank of a
    null order is, where the order is unknown."""
    once = measure.once
    assert once is not None
    pos, order, winner = "_once_pos", "_once_order", _WINNER
    keys = [pl.col(k).alias(f"_once_k{i}") for i, k in enumerate(once.keys)]
    if once.per_year_of:
        keys.append(pl.col(once.per_year_of).dt.year().alias(f"_once_k{len(keys)}"))
    names = [f"_once_k{i}" for i in range(len(keys))]
    lf = measure_lf.with_row_index(pos)
    winners = (
        lf.filter(base.fill_null(value=False) & pl.col(once.order).is_not_null())
        .select(*keys, pl.col(once.order).alias(order), pos)
        .sort(order, pos)
        .unique(subset=names, keep="first")
        .select(pos, pl.lit(value=True).alias(winner))
    )
    # The flag alone is joined back and set beside the rows: a join of the rows themselves would
    # gather every column (text ids, regions) of every row to attach one boolean.
    flag = lf.select(pos).join(winners, on=pos, how="left", maintain_order="left").select(winner)
    lf = pl.concat([lf.drop(pos), flag], how="horizontal")
    first = pl.when(pl.col(once.order).is_null()).then(None).otherwise(pl.col(winner).fill_null(value=False))
    return lf, first


def prior_counts(measure: Measure, prior: pl.DataFrame | None, frame: pl.LazyFrame) -> pl.LazyFrame:
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
    # The counts alone are joined to the keys and set beside the rows (see _first_passing).
    found = frame.select(group).join(counts, on=group, how="left", nulls_equal=False, maintain_order="left")
    return pl.concat([frame, found.select(pl.col("prior_grants").fill_null(0))], how="horizontal")


def one_row_per_key(measure: Measure) -> bool:
    once = measure.once
    return once is not None and f"{measure.unit.value}_id" in once.keys and unique_id_unit(measure.unit.value)


def unique_id_unit(unit: str) -> bool:
    """Whether every row of this unit's table has its own id (see ``_UNIQUE_ID_UNITS``)."""
    return unit in _UNIQUE_ID_UNITS


_WINNER = "_once_first"


def _noop(p: Params) -> pl.Expr:
    return pl.lit(value=True)


#: Units whose own id is unique in every input: the facts loader and the registry reader both
#: reject duplicate person, employer and business ids.
_UNIQUE_ID_UNITS = ("person", "employer", "business")
