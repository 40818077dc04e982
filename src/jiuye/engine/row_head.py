"""The columns every measure's rows start with: where the row is, who receives, and the date of
the event that selects the governing rule (:mod:`jiuye.engine.epochs`). Batch and the single
case's cached plans (:mod:`jiuye.engine.plans`) both take them from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from jiuye.engine.measure import AT_APPLICATION, Measure
from jiuye.facts.tables import column_label

__all__ = ["RowHead", "row_head", "subject_column"]


def _location(unit_columns: list[str], location: tuple[str, ...], default_region: str | None) -> pl.Expr:
    present = [pl.col(c) for c in location if c in unit_columns]
    return pl.coalesce([*present, pl.lit(default_region, dtype=pl.String)])


@dataclass(frozen=True)
class RowHead:
    """The columns every measure's rows start with (region, subject_id, event_date), the column
    dating the event (None: the evaluation date) and its label for the explanation."""

    columns: list[pl.Expr]
    event_column: str | None
    event_label: str


def row_head(
    measure: Measure,
    columns: list[str],
    *,
    as_of: dt.date,
    default_region: str | None,
    location: tuple[str, ...],
    key_date: str | None,
) -> RowHead:
    key = measure.event or key_date
    event_column = key if key and key != AT_APPLICATION and key in columns else None
    # The event that selects the governing rule, and dates a grant in a budget; the evaluation
    # date when the row has none (an enterprise's application, say).
    event_date = pl.coalesce(pl.col(event_column), pl.lit(as_of)) if event_column else pl.lit(as_of)
    head = [
        _location(columns, location, default_region).alias("region"),
        pl.col(subject_column(measure, columns)).cast(pl.String).alias("subject_id"),
        event_date.alias("event_date"),
    ]
    label = column_label(event_column) if event_column else "申请（评估）日期"
    return RowHead(head, event_column, label)


def subject_column(measure: Measure, columns: list[str]) -> str:
    """Who receives: ``<beneficiary>_id``, or the region for district-level measures."""
    key = f"{measure.beneficiary}_id"
    return key if key in columns else f"{measure.beneficiary}_region"
