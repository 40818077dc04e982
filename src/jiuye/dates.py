"""Dates the way the documents count them: whole years of age, whole months, Chinese display.

>>> import datetime as dt
>>> cn_date(dt.date(2025, 12, 31))
'2025年12月31日'
"""

from __future__ import annotations

import datetime as dt

import polars as pl

__all__ = ["age_on", "cn_date", "full_months", "month_index", "parse_iso_date"]


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def parse_iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def age_on(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Age in whole years on a date (a birthday on 29 February counts from 1 March in common years)."""
    had_birthday = (on.dt.month() > birth.dt.month()) | (
        (on.dt.month() == birth.dt.month()) & (on.dt.day() >= birth.dt.day())
    )
    return (on.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32)) - pl.when(had_birthday).then(0).otherwise(1)


def month_index(d: pl.Expr) -> pl.Expr:
    """Months since year 0, so that month arithmetic is plain integer arithmetic."""
    return d.dt.year().cast(pl.Int32) * 12 + d.dt.month().cast(pl.Int32) - 1


def full_months(start: pl.Expr, end_inclusive: pl.Expr) -> pl.Expr:
    """Whole months from ``start`` through ``end_inclusive`` (1 Mar → 31 May is 3 months)."""
    after = end_inclusive.dt.offset_by("1d")
    months = month_index(after) - month_index(start)
    return (months - pl.when(after.dt.day() < start.dt.day()).then(1).otherwise(0)).clip(lower_bound=0)
