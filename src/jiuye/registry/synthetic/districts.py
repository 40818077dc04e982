"""Yearly employment indicators of every county (辖区指标), for last year and the as-of year.

Guangxi adds roughly 400,000 urban jobs and moves about as many rural workers into work each
year; a county's share follows its population, −15% to +35% from year to year. Counties mostly
meet their targets: registered urban unemployment between 2.0% and 3.5% (3% above,
up to 4.2%); labour disputes handled online in real time 90–99% (3% at 80–89%).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jiuye.facts.model import DistrictIndicators
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.geography import Geography

__all__ = ["make_districts"]

_YEARLY_URBAN_JOBS = 400_000
_YEARLY_RURAL_TRANSFER = 400_000


def _mostly(rng: np.random.Generator, k: int, usual: tuple[int, int], off: tuple[int, int]) -> d.Ints:
    """Whole tenths of a percent (or percents) in ``usual`` for 97% of counties, ``off`` for the rest."""
    return np.where(rng.random(k) < 0.97, rng.integers(usual[0], usual[1] + 1, k), rng.integers(off[0], off[1] + 1, k))


def make_districts(rng: np.random.Generator, geography: Geography, *, as_of: dt.date) -> pl.DataFrame:
    years = np.array([as_of.year - 1, as_of.year], dtype=np.int64)
    county = np.repeat(np.arange(geography.size), len(years))
    year = np.tile(years, geography.size)
    k = len(county)
    share = geography.population[county]
    return d.to_schema(
        [
            pl.Series("region", geography.codes[county]).cast(pl.String),
            d.ints("year", year),
            d.ints("urban_new_jobs", np.round(share * _YEARLY_URBAN_JOBS * rng.uniform(0.85, 1.35, k))),
            d.ints("rural_labour_transfer", np.round(share * _YEARLY_RURAL_TRANSFER * rng.uniform(0.85, 1.35, k))),
            d.ratios("registered_unemployment_rate", _mostly(rng, k, (20, 35), (36, 42)) * 1_000),
            d.ratios("online_arbitration_rate", _mostly(rng, k, (90, 99), (80, 89)) * 10_000),
        ],
        registry_schema(DistrictIndicators),
        k,
    )
