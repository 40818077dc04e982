"""Near misses in words: the failed condition's label and its gap ("缴费差1个月", "年龄超出1岁").

Words are put on rows only after the rows are chosen (decisions kept, a caseworker's list), from
a small catalogue of every condition that can be a near miss, joined in: the batch columns stay a
key and an integer.

>>> from jiuye.policies.registry import get_measure
>>> near_miss_text(get_measure("gx.expansion"), "contributions", 1)
'缴费差1个月'
>>> near_miss_text(get_measure("gx.expansion"), "labour_contract", None)
'仅此一项条件不符合'

A list of decisions gets its words from the catalogue, a whole column at a time
(:func:`describe_near_misses`); one document's rows from :class:`GapWords`, the same words in
plain Python (a frame per near miss cost more than the rest of its explanation). Tests hold that
the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from jiuye.engine.evaluate import render_label
from jiuye.engine.gap import Gap, GapUnit, format_gap, gap_number
from jiuye.engine.measure import Measure
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP, near_miss_candidates
from jiuye.params import Params

__all__ = [
    "CATALOG_SCHEMA",
    "ONLY_THIS",
    "GapWords",
    "describe_near_misses",
    "gap_words",
    "near_miss_catalog",
    "near_miss_text",
]

CATALOG_SCHEMA = {
    "measure": pl.String,
    NEAR_MISS: pl.String,
    "near_miss_condition": pl.String,  # the condition's label at the as-of date
    "gap_unit": pl.String,
    "_over": pl.String,  # the gap's words, split at {}: before, after (positive gap)
    "_over_end": pl.String,
    "_under": pl.String,  # the other side of a range (negative gap)
    "_under_end": pl.String,
}
#: The words for a near miss without a distance (the condition's label is its own column).
ONLY_THIS = "仅此一项条件不符合"


def _split(template: str) -> tuple[str | None, str | None]:
    if not template:
        return None, None
    before, _, after = template.partition("{}")
    return before, after


def near_miss_catalog(measures: Iterable[Measure], p: Params) -> pl.DataFrame:
    """Every condition that can be a measure's near miss, with its label and its gap's words."""
    rows = []
    for measure in measures:
        for c in near_miss_candidates(measure.conditions):
            over, over_end = _split(c.gap.text) if c.gap else (None, None)
            under, under_end = _split(c.gap.text_negative) if c.gap else (None, None)
            unit = c.gap.unit.value if c.gap else None
            rows.append((measure.id, c.key, render_label(c.label, p), unit, over, over_end, under, under_end))
    return pl.DataFrame(rows, schema=CATALOG_SCHEMA, orient="row")


def _number(gap: pl.Expr) -> pl.Expr:
    unit = pl.col("gap_unit")
    return (
        pl.when(unit == GapUnit.ppm.value)
        .then(gap_number(gap, GapUnit.ppm))
        .when(unit == GapUnit.fen.value)
        .then(gap_number(gap, GapUnit.fen))
        .otherwise(gap_number(gap, GapUnit.items))
    )


def describe_near_misses(frame: pl.DataFrame, catalog: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (with measure, near_miss, near_miss_gap) plus ``near_miss_condition`` and
    ``near_miss_text``, in the same order; rows that are no near miss get nulls."""
    gap = pl.col(NEAR_MISS_GAP)
    number = _number(gap)
    text = (
        pl.when(pl.col(NEAR_MISS).is_null())
        .then(None)
        .when((gap > 0) & pl.col("_over").is_not_null())
        .then(pl.concat_str(pl.col("_over"), number, pl.col("_over_end")))
        .when((gap < 0) & pl.col("_under").is_not_null())
        .then(pl.concat_str(pl.col("_under"), number, pl.col("_under_end")))
        .otherwise(pl.lit(ONLY_THIS))
    )
    joined = frame.join(catalog, on=["measure", NEAR_MISS], how="left", maintain_order="left")
    return joined.with_columns(text.alias("near_miss_text")).drop(
        "gap_unit", "_over", "_over_end", "_under", "_under_end"
    )


@dataclass(frozen=True)
class GapWords:
    """A condition's gap in words, split at its number: before, after (None: no words that side)."""

    unit: GapUnit
    over: tuple[str, str] | None  # a positive gap
    under: tuple[str, str] | None  # a negative one, the other side of a range

    @classmethod
    def of(cls, gap: Gap | None) -> GapWords:
        if gap is None:
            return cls(GapUnit.items, None, None)
        return cls(gap.unit, _words(gap.text), _words(gap.text_negative))

    def text(self, gap: int | None) -> str:
        words = None if gap is None else self.over if gap > 0 else self.under if gap < 0 else None
        if words is None:
            return ONLY_THIS
        return f"{words[0]}{format_gap(gap or 0, self.unit)}{words[1]}"


def _words(template: str) -> tuple[str, str] | None:
    before, after = _split(template)
    return None if before is None else (before, after or "")


def gap_words(measure: Measure) -> dict[str, GapWords]:
    """The words of every condition that can be a measure's near miss."""
    return {c.key: GapWords.of(c.gap) for c in near_miss_candidates(measure.conditions)}


def near_miss_text(measure: Measure, key: str, gap: int | None) -> str:
    """The words for one near miss (what the single-case calculator shows; they read no parameter)."""
    found = gap_words(measure).get(key)
    return found.text(gap) if found else ONLY_THIS
