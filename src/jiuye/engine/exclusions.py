"""Mutually exclusive measures: a beneficiary takes one of a group; the better one is named.

The larger amount wins, ties go to the measure declared first (catalog order). The batch
chooses over a frame (:func:`select_exclusive`); one document's few decisions are chosen in plain
Python (:func:`choose_exclusive`, a frame cost more than explaining them); tests hold that the
two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import polars as pl

__all__ = ["Competitor", "choose_exclusive", "select_exclusive"]


class Competitor(NamedTuple):
    """The columns :func:`select_exclusive` reads, for one decision."""

    measure: str
    order: int
    subject_kind: str
    subject_id: str
    exclusion_group: str | None
    status: str
    amount_fen: int | None


def choose_exclusive(decisions: Sequence[Competitor]) -> list[tuple[bool, str | None]]:
    """``select_exclusive``'s ``selected`` and ``chosen`` for each decision, in order."""
    best: dict[tuple[str, str, str], tuple[int, Competitor]] = {}  # group → competitors, the best
    for d in decisions:
        if d.exclusion_group is None or d.status != "eligible":
            continue
        key = (d.exclusion_group, d.subject_kind, d.subject_id)
        count, leader = best.get(key, (0, d))
        if (-(d.amount_fen or 0), d.order) < (-(leader.amount_fen or 0), leader.order):
            leader = d
        best[key] = (count + 1, leader)
    out: list[tuple[bool, str | None]] = []
    for d in decisions:
        found = None if d.exclusion_group is None else best.get((d.exclusion_group, d.subject_kind, d.subject_id))
        if d.status != "eligible" or found is None or found[0] < 2:
            out.append((True, None))
        else:
            out.append((d.measure == found[1].measure, found[1].measure))
    return out


def select_exclusive(decisions: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``selected`` (bool) and ``chosen`` (measure id of the group's best choice).

    Input columns: measure, order, subject_kind, subject_id, exclusion_group, status, amount_fen.
    """
    key = ["exclusion_group", "subject_kind", "subject_id"]
    competing = pl.col("exclusion_group").is_not_null() & (pl.col("status") == "eligible")
    ranked = decisions.with_columns(
        pl.when(competing).then(pl.col("amount_fen").fill_null(0)).otherwise(None).alias("_score")
    )
    best = (
        ranked.filter(competing)
        .sort(["_score", "order"], descending=[True, False])
        .group_by(key, maintain_order=True)
        .agg(pl.col("measure").first().alias("chosen"), pl.len().alias("competitors"))
    )
    return (
        ranked.join(best, on=key, how="left", nulls_equal=False)
        .with_columns(
            pl.when(competing & (pl.col("competitors") > 1))
            .then(pl.col("measure") == pl.col("chosen"))
            .otherwise(pl.lit(value=True))
            .alias("selected"),
            pl.when(competing & (pl.col("competitors") > 1)).then(pl.col("chosen")).alias("chosen"),
        )
        .drop("_score", "competitors")
    )
