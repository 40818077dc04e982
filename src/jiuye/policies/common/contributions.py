"""Monthly social-insurance contributions from a contribution base and rates (缴费基数 × 费率).

A subsidy that pays back contributions needs them in yuan. Where the facts give the monthly
contribution itself, that wins; otherwise it is the base times the rate: the employer's declared
rate first, then the rate the documents set (a parameter of the measure, cited or a named
assumption). Unknown stays unknown, so the engine names the fact it needs.
"""

from __future__ import annotations

import functools
import operator

import polars as pl

from jiuye.money import PPM, mul_ratio
from jiuye.params import Params

__all__ = ["BASE", "employer_monthly", "injury_rate", "personal_monthly", "rate_or_param", "saving"]

col = pl.col

#: The worker's monthly contribution base (fen), on the employment row.
BASE = "employment_contribution_base"


def rate_or_param(fact: str, p: Params, param: str | None) -> pl.Expr:
    """The employer's declared rate (ppm), else the parameter's (null when neither is known)."""
    if param is None:
        return col(fact)
    return pl.coalesce(col(fact), p.lit(param))


def injury_rate(p: Params, reduction: str | None) -> pl.Expr:
    """The injury rate the employer pays: declared, else the industry base rate less the reduction."""
    base = col("employer_injury_base_rate")
    reduced = base if reduction is None else mul_ratio(base, pl.lit(PPM, dtype=pl.Int64) - p.lit(reduction), PPM)
    return pl.coalesce(col("employer_injury_rate"), reduced)


def employer_monthly(declared: str, rate: pl.Expr) -> pl.Expr:
    """One insurance, employer part, per month: the declared amount, else base × rate."""
    return pl.coalesce(col(declared), mul_ratio(col(BASE), rate, PPM))


def personal_monthly(declared: str, rates: list[pl.Expr]) -> pl.Expr:
    """The worker's own contributions per month: declared, else base × the sum of the worker's rates."""
    total = functools.reduce(operator.add, rates)
    return pl.coalesce(col(declared), mul_ratio(col(BASE), total, PPM))


def saving(base: pl.Expr, before: pl.Expr, after: pl.Expr) -> pl.Expr:
    """What a lower rate saves per month: base × (old rate − new rate), never below zero."""
    return mul_ratio(base, (before - after).clip(lower_bound=0), PPM)
