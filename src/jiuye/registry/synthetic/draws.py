"""Seeded draws and column builders shared by the generator's modules.

Dates are handled as day numbers (days since 1970-01-01, numpy ``int64``) until a column is
built; money is drawn in integer fen and becomes an exact ``Decimal(18, 2)`` yuan column only
at the end, so no float ever touches an amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = [
    "Floats",
    "Ints",
    "Labels",
    "add_months",
    "bools",
    "choose",
    "combine",
    "constant",
    "dates",
    "day_number",
    "enriched",
    "full_months",
    "ints",
    "known",
    "ratios",
    "rng_for",
    "serial_ids",
    "strings",
    "systematic",
    "to_schema",
    "uniform_days",
    "wan",
    "year_of",
    "yuan",
]

T = TypeVar("T")
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
_EPOCH = dt.date(1970, 1, 1)


def rng_for(seed: int, *stream: int) -> np.random.Generator:
    """An independent generator per (seed, stream...): chunks and tables never share draws."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))


def day_number(day: dt.date) -> int:
    return (day - _EPOCH).days


def serial_ids(prefix: str, start: int, n: int, width: int) -> pl.Series:
    """``P000000001``, ``P000000002``...: entity numbers ``start + 1 … start + n``."""
    numbers = pl.Series("id", np.arange(start + 1, start + n + 1, dtype=np.int64))
    return (prefix + numbers.cast(pl.String).str.zfill(width)).alias("id")


def systematic(rng: np.random.Generator, p: float | npt.NDArray[Any], group: Ints) -> Bools:
    """Yes/no draws with probability ``p`` per row, spread evenly over each group (county).

    Systematic sampling in a random order within each group: every row keeps its probability,
    but a group whose probabilities add up to 2.6 gets 2 or 3 cases, never 0 or 6. Rare
    situations thus show up in every county large enough to expect one, which independent
    draws would leave to chance.
    """
    n = len(group)
    prob = np.broadcast_to(np.asarray(p, dtype=np.float64), (n,))
    order = np.argsort((group.astype(np.int64) << 32) | rng.integers(0, 2**32, n, dtype=np.int64))
    g, q = group[order], prob[order]
    total = np.cumsum(q)
    first = np.r_[True, g[1:] != g[:-1]]
    offset = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    before = np.where(offset > 0, total[offset - 1], 0.0)
    start = rng.random(n)[offset]  # one random start per group
    upto = total - before + start
    chosen = np.floor(upto) > np.floor(upto - q)
    out = np.zeros(n, dtype=np.bool_)
    out[order] = chosen
    return out


def known(rng: np.random.Generator, unknown_share: float, n: int) -> Bools:
    """Which rows carry a value: registries leave a few facts blank (the engine says "needs facts")."""
    return rng.random(n) >= unknown_share


@dataclass(frozen=True)
class Labels:
    """A column of labels from a short vocabulary, kept as integer codes (fast to draw, compare
    and turn into a Polars column; numpy string arrays are slow to convert)."""

    names: tuple[str, ...]
    codes: Ints

    def __len__(self) -> int:
        return len(self.codes)

    def code(self, name: str) -> int:
        return self.names.index(name)

    def is_(self, name: str) -> Bools:
        return self.codes == self.code(name) if name in self.names else np.zeros(len(self.codes), dtype=np.bool_)

    def isin(self, names: Sequence[str]) -> Bools:
        wanted = np.array([n in names for n in self.names], dtype=np.bool_)
        return wanted[self.codes]

    def map(self, mapping: Mapping[str, T], default: T) -> npt.NDArray[Any]:
        return np.array([mapping.get(name, default) for name in self.names])[self.codes]

    def relabel(self, mapping: Mapping[str, str]) -> Labels:
        """Each label replaced (``C13`` → ``C``), codes recomputed over the new vocabulary."""
        new = tuple(dict.fromkeys(mapping.get(n, n) for n in self.names))
        lookup = np.array([new.index(mapping.get(n, n)) for n in self.names], dtype=np.int64)
        return Labels(new, lookup[self.codes])

    def assign(self, rows: Bools, name: str) -> Labels:
        names = self.names if name in self.names else (*self.names, name)
        return Labels(names, np.where(rows, names.index(name), self.codes))

    def series(self, column: str, valid: Bools | None = None) -> pl.Series:
        out = pl.Series(column, list(self.names), dtype=pl.String).gather(self.codes)
        return _with_nulls(out, valid)


def choose(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> Labels:
    """Draw ``n`` labels with the given relative weights."""
    p = np.array(list(weights.values()), dtype=np.float64)
    return Labels(tuple(weights), rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int64))


def constant(name: str, n: int) -> Labels:
    return Labels((name,), np.zeros(n, dtype=np.int64))


def combine(parts: Sequence[tuple[Bools, Labels]], n: int, default: str = "") -> Labels:
    """Labels taken, row by row, from the first part whose mask is true; ``default`` elsewhere."""
    names = tuple(dict.fromkeys([default, *(name for _, labels in parts for name in labels.names)]))
    codes = np.zeros(n, dtype=np.int64)
    for mask, labels in reversed(parts):
        lookup = np.array([names.index(name) for name in labels.names], dtype=np.int64)
        codes = np.where(mask, lookup[labels.codes], codes)
    return Labels(names, codes)


def uniform_days(rng: np.random.Generator, low: Ints | int, high: Ints | int, n: int) -> Ints:
    """A day drawn uniformly from ``[low, high]`` (inclusive; ``high < low`` gives ``low``)."""
    low_a = np.broadcast_to(np.asarray(low, dtype=np.int64), (n,))
    span = np.maximum(np.broadcast_to(np.asarray(high, dtype=np.int64), (n,)) - low_a, 0) + 1
    return np.asarray(low_a + np.floor(rng.random(n) * span), dtype=np.int64)


def enriched(p: float, population: float, expected: float, cap: float = 0.5) -> float:
    """The rate of a rare situation, raised so that about ``expected`` cases occur among ``population``.

    Small demo registries would otherwise contain no new postdoctoral station or no doctorate
    hire at all; from about a million persons on, the realistic rate ``p`` applies unchanged.
    """
    if population <= 0:
        return p
    return max(p, min(cap, expected / population))


def _month_number(days: Ints) -> Ints:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _day_of_month(days: Ints) -> Ints:
    month_start = days.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return days - month_start + 1


def year_of(days: Ints) -> Ints:
    return _month_number(days) // 12 + 1970


def full_months(start: Ints, end_inclusive: Ints) -> Ints:
    """Whole months from ``start`` through ``end_inclusive`` (as :func:`jiuye.dates.full_months`)."""
    after = end_inclusive + 1
    months = _month_number(after) - _month_number(start)
    months -= (_day_of_month(after) < _day_of_month(start)).astype(np.int64)
    return np.asarray(np.maximum(months, 0), dtype=np.int64)


def add_months(days: Ints, months: Ints | int) -> Ints:
    """The same day ``months`` later (clamped to the month's last day: 31 Jan + 1 month = 28/29 Feb)."""
    target = _month_number(days) + np.asarray(months, dtype=np.int64)
    start = target.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    length = (target + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - start
    return np.asarray(start + np.minimum(_day_of_month(days), length) - 1, dtype=np.int64)


def _with_nulls(series: pl.Series, valid: Bools | None) -> pl.Series:
    if valid is None or bool(valid.all()):
        return series
    frame = pl.DataFrame([series.alias("value"), pl.Series("valid", valid)])
    return frame.select(pl.when(pl.col("valid")).then(pl.col("value"))).to_series().alias(series.name)


def dates(name: str, days: Ints, valid: Bools | None = None) -> pl.Series:
    return _with_nulls(pl.Series(name, days.astype(np.int32)).cast(pl.Date), valid)


def ints(name: str, values: npt.NDArray[np.integer], valid: Bools | None = None) -> pl.Series:
    return _with_nulls(pl.Series(name, values.astype(np.int64)), valid)


def bools(name: str, values: Bools, valid: Bools | None = None) -> pl.Series:
    return _with_nulls(pl.Series(name, values.astype(np.bool_)), valid)


def strings(name: str, values: pl.Series | npt.NDArray[np.str_], valid: Bools | None = None) -> pl.Series:
    return _with_nulls(pl.Series(name, values, dtype=pl.String), valid)


def _decimal(name: str, units: Ints, scale: int, precision: int, valid: Bools | None) -> pl.Series:
    """Integer minor units → exact decimal (``12345`` fen → ``123.45``): integer arithmetic only."""
    dtype = pl.Decimal(precision, scale)
    exact = (pl.Series(name, units.astype(np.int64)).cast(pl.Decimal(38, scale)) / 10**scale).cast(dtype)
    return _with_nulls(exact, valid)


def yuan(name: str, fen: Ints, valid: Bools | None = None) -> pl.Series:
    """Money in fen → ``Decimal(18, 2)`` yuan."""
    return _decimal(name, fen, 2, 18, valid)


def wan(name: str, yuan_amount: Ints, valid: Bools | None = None) -> pl.Series:
    """Whole yuan → ``Decimal(18, 4)`` 万元 (4 places keep every yuan exact)."""
    return _decimal(name, yuan_amount, 4, 18, valid)


def ratios(name: str, ppm: Ints, valid: Bools | None = None) -> pl.Series:
    """Parts per million → ``Decimal(9, 6)`` ratio."""
    return _decimal(name, ppm, 6, 9, valid)


def to_schema(columns: Sequence[pl.Series], schema: Mapping[str, pl.DataType], height: int) -> pl.DataFrame:
    """Exactly the registry columns, in order; a column the generator leaves out is all null."""
    given = {s.name: s for s in columns}
    unknown = sorted(set(given) - set(schema))
    if unknown:
        msg = f"生成器产生了登记表中不存在的列：{'、'.join(unknown)}"
        raise ValueError(msg)
    out = [
        given[name].cast(dtype) if name in given else pl.repeat(None, height, dtype=dtype, eager=True).alias(name)
        for name, dtype in schema.items()
    ]
    return pl.DataFrame(out, height=height)
