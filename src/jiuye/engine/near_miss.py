"""Near misses (差一点): rows that fail a measure by exactly one condition, every other one true.

Two columns join a measure's rows: ``near_miss``, the key of the one failed condition, and
``near_miss_gap``, how far it is in the unit its :class:`~jiuye.engine.gap.Gap` declares (null
when the condition declares none, or when the gap does not measure why it failed). A row with
an unknown condition is no near miss: "all other conditions true" must be known.

Conditions no follow-up can change are never the near miss: the jurisdiction, and the once-only
checks (a grant already received). A row failing only those is not flagged. A measure with a
single other condition has no near misses (failing it by one condition is just failing it), and
neither has a measure not in force.

The work is a count of false condition columns and one pick, on columns the evaluation already
made; :func:`near_misses_off` leaves the two columns null (what a run cost before them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

import polars as pl

from jiuye.engine.gap import Gap
from jiuye.engine.measure import Condition
from jiuye.params import Params

__all__ = [
    "NEAR_MISS",
    "NEAR_MISS_GAP",
    "NOT_NEAR_MISS",
    "NO_DISTANCE",
    "closest_near_miss",
    "gap_expr",
    "near_miss_candidates",
    "near_misses_are_off",
    "near_misses_off",
    "with_near_miss",
]

NEAR_MISS, NEAR_MISS_GAP = "near_miss", "near_miss_gap"
#: Conditions that are never "nearly" met: where the entity is, and grants already received.
#: Nor is time: the law in force for the event (``in_force``) and the policy period (timing conditions).
NOT_NEAR_MISS = frozenset({"jurisdiction", "in_force", "not_granted_before", "once"})

_off: ContextVar[bool] = ContextVar("near_misses_off", default=False)


@contextlib.contextmanager
def near_misses_off() -> Iterator[None]:
    """Evaluate without near misses (their columns null): to measure what they cost."""
    token = _off.set(True)
    try:
        yield
    finally:
        _off.reset(token)


def near_misses_are_off() -> bool:
    """Whether near misses are not looked for here (inside :func:`near_misses_off`)."""
    return _off.get()


def _none() -> list[pl.Expr]:
    return [pl.lit(None, dtype=pl.String).alias(NEAR_MISS), pl.lit(None, dtype=pl.Int64).alias(NEAR_MISS_GAP)]


def gap_expr(gap: Gap, p: Params) -> pl.Expr:
    """The gap where it measures the failure: non-zero, of a sign the gap has words for."""
    amount = gap.amount(p).cast(pl.Int64)
    valid = (amount != 0) if gap.text_negative else (amount > 0)
    return pl.when(valid).then(amount).otherwise(None)


def near_miss_candidates(conditions: Sequence[Condition]) -> list[Condition]:
    """The conditions that can be a measure's near miss (none when only one could)."""
    candidates = [c for c in conditions if c.key not in NOT_NEAR_MISS and not c.timing]
    return candidates if len(candidates) > 1 else []


def with_near_miss(lf: pl.LazyFrame, conditions: Sequence[Condition], p: Params, *, in_force: bool) -> pl.LazyFrame:
    """Add ``near_miss`` and ``near_miss_gap`` to a measure's rows (condition columns made)."""
    from jiuye.engine.evaluate import cond_col  # evaluate imports this module

    candidates = near_miss_candidates(conditions)
    if _off.get() or not in_force or not candidates:
        return lf.with_columns(_none())
    # One integer per row, bit i set when condition i is false, null when any is unknown: the row
    # fails by exactly one candidate when that integer is the candidate's bit alone, so a single
    # pass and one lookup name it (no string is built or compared per row).
    bits = pl.UInt64 if len(conditions) > 31 else pl.UInt32
    bit = {c.key: 1 << i for i, c in enumerate(conditions)}
    failed = pl.sum_horizontal(
        [(~pl.col(cond_col(c.key))).cast(bits) * bit[c.key] for c in conditions], ignore_nulls=False
    )
    near = failed.replace_strict({bit[c.key]: c.key for c in candidates}, default=None, return_dtype=pl.String)
    gaps = [pl.when(failed == bit[c.key]).then(gap_expr(c.gap, p)) for c in candidates if c.gap is not None]
    gap = pl.coalesce(gaps) if gaps else pl.lit(None, dtype=pl.Int64)
    return lf.with_columns(near.alias(NEAR_MISS), gap.cast(pl.Int64).alias(NEAR_MISS_GAP))


def closest_near_miss() -> list[pl.Expr]:
    """Aggregations of a group of rows (one beneficiary's hires...) to its closest near miss:
    the smallest gap in its own unit, a near miss without a distance after those with one."""
    rank = pl.when(pl.col(NEAR_MISS).is_not_null()).then(pl.col(NEAR_MISS_GAP).abs().fill_null(NO_DISTANCE))
    first = rank.arg_min()  # null when no row is a near miss; ties: the first row
    return [pl.col(c).get(first).alias(c) for c in (NEAR_MISS, NEAR_MISS_GAP)]


NO_DISTANCE = 2**62  # a near miss whose gap is not measured: after every measured one
