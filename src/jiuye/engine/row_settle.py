"""The steps after the epochs (:func:`jiuye.engine.evaluate.settle`) on a single case's dict rows.

Once-only grants (:mod:`jiuye.engine.once`), the amount (:mod:`jiuye.engine.amounts`) and the
status, step for step as Polars does them there, in Kleene logic (``None`` is unknown): the
prior grants counted per key, the first qualifying row per key by the declared order (ties in
row order), a shared due (``due_pool``) drawn in event order. The columns are added in the
order, and with the values, the Polars path gives (``tests/test_row_case.py`` compares them).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from jiuye.engine.amounts import due_col, has_ceiling
from jiuye.engine.evaluate import ELIGIBLE, INELIGIBLE, NEEDS_FACTS, cond_col
from jiuye.engine.measure import Condition, Measure
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP
from jiuye.engine.once import once_conditions, one_row_per_key

__all__ = ["PriorGrant", "settle_rows"]

Row = dict[str, Any]
#: A grant already received: measure, person, employer, date (as in ``prior_grants_frame``).
PriorGrant = tuple[str, str | None, str | None, dt.date]


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _year(value: dt.date | None) -> int | None:
    return None if value is None else value.year


def _prior_counts(measure: Measure, rows: list[Row], prior: list[PriorGrant]) -> None:
    """``prior_grants``: how often the row's once-keys already received the measure."""
    once = measure.once
    assert once is not None
    keys = [k for k in once.keys if k in ("person_id", "employer_id")]
    if not prior or not keys:
        for row in rows:
            row["prior_grants"] = 0
        return
    per_year = once.per_year_of
    counts: Counter[tuple[Any, ...]] = Counter()
    for grant_measure, person, employer, granted_on in prior:
        if grant_measure == measure.id:
            values = {"person_id": person, "employer_id": employer}
            counts[(*(values[k] for k in keys), *((granted_on.year,) if per_year else ()))] += 1
    for row in rows:
        if per_year:
            row["_year"] = _year(row[per_year])
        key = (*(row[k] for k in keys), *((row["_year"],) if per_year else ()))
        row["prior_grants"] = 0 if None in key else counts.get(key, 0)  # a null key joins nothing


def _first(measure: Measure, rows: list[Row]) -> list[bool | None]:
    """Whether each row is its key's first qualifying row (by ``once.order``, ties in row order);
    null where the order is unknown."""
    once = measure.once
    assert once is not None
    if one_row_per_key(measure):
        return [True] * len(rows)
    order, year = once.order, once.per_year_of
    candidates = [
        (row[order], pos, (*(row[k] for k in once.keys), *((_year(row[year]),) if year else ())))
        for pos, row in enumerate(rows)
        if row["_base"] is True and row[order] is not None
    ]
    winners: dict[tuple[Any, ...], int] = {}
    for _, pos, key in sorted(candidates, key=lambda c: (c[0], c[1])):
        winners.setdefault(key, pos)
    won = set(winners.values())
    return [None if row[order] is None else pos in won for pos, row in enumerate(rows)]


def _once(
    measure: Measure, rows: list[Row], prior: list[PriorGrant], labels: list[list[tuple[Condition, str]]]
) -> list[bool | None]:
    """The once conditions on every row and their labels; returns each row's base with them."""
    _prior_counts(measure, rows, prior)
    first = _first(measure, rows)
    bases = []
    for row, is_first in zip(rows, first, strict=True):
        base = row["_base"]
        before = row[cond_col("not_granted_before")] = row["prior_grants"] == 0
        again = row[cond_col("once")] = is_first if base is True else True
        both = _and(before, again)
        if not (True if both is None else both):  # a grant already received is no near miss
            row[NEAR_MISS] = row[NEAR_MISS_GAP] = None
        bases.append(_and(_and(base, before), again))
    extra = [(c, c.label) for c in once_conditions(measure)]
    for rendered in labels:
        if rendered:
            rendered += extra
    return bases


def _pool_before(rows: list[Row], keys: tuple[str, ...], drawn: list[int]) -> list[int]:
    """What the rows before each one (same pool, by event date then row) drew from the pool."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["event_date"], rows[i]["row_id"]))
    totals: dict[tuple[Any, ...], int] = {}
    before = [0] * len(rows)
    for i in order:
        key = tuple(rows[i][k] for k in keys)
        before[i] = totals.get(key, 0)
        totals[key] = before[i] + drawn[i]
    return before


def _dues(measure: Measure, rows: list[Row], bases: list[bool | None]) -> list[list[int | None]]:
    """Each part's amount due per row (a ceiling part's due column added as in ``amount_columns``)."""
    dues: list[list[int | None]] = []
    for i, part in enumerate(measure.parts):
        fen = f"p{i}__fen"
        if not part.ceiling:
            dues.append([row[fen] for row in rows])
            continue
        if part.due is None:
            dues.append([None] * len(rows))
            continue
        facts = [row[f"p{i}__duefact"] for row in rows]
        ceilings = [row[fen] for row in rows]
        if part.due_pool:
            drawn = [c if b is True and c is not None else 0 for b, c in zip(bases, ceilings, strict=True)]
            before = _pool_before(rows, part.due_pool, drawn)
            lefts = [None if f is None else max(f - b, 0) for f, b in zip(facts, before, strict=True)]
            column = [None if f is None else _min(left, c) for f, left, c in zip(facts, lefts, ceilings, strict=True)]
        else:
            column = [None if f is None else max(_least(f, c), 0) for f, c in zip(facts, ceilings, strict=True)]
        for row, value in zip(rows, column, strict=True):
            row[due_col(i)] = value
        dues.append(column)
    return dues


def _least(known: int, other: int | None) -> int:
    return known if other is None else min(known, other)


def _min(a: int | None, b: int | None) -> int | None:
    """``min_horizontal``: the smaller, skipping an unknown one."""
    if a is None:
        return b
    return a if b is None else min(a, b)


def settle_rows(
    measure: Measure, rows: list[Row], prior: list[PriorGrant], labels: list[list[tuple[Condition, str]]]
) -> None:
    """Once-only grants, the amount and the status of each row, added in place."""
    bases: list[bool | None] = [row["_base"] for row in rows]
    if measure.once is not None:
        bases = _once(measure, rows, prior, labels)
    parts = measure.parts
    dues = _dues(measure, rows, bases) if parts else []
    ceiling_part = has_ceiling(measure)
    for j, (row, base) in enumerate(zip(rows, bases, strict=True)):
        eligible = base is True
        unknown = base is None
        due: int | None = None
        ceiling: int | None = None
        if parts:
            total: int | None = 0
            due = 0
            for i, column in enumerate(dues):
                total = _add(total, row[f"p{i}__fen"])
                due = _add(due, column[j])
            ceiling = total if ceiling_part else None
            known = total is not None
            unknown = unknown or (eligible and not known)
            eligible = eligible and known
        row["status"] = ELIGIBLE if eligible else NEEDS_FACTS if unknown else INELIGIBLE
        row["amount_fen"] = due if eligible else None
        row["ceiling_fen"] = ceiling if eligible else None
