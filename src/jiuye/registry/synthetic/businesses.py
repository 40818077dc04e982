"""Businesses started by people in the registry (创业): mostly individual businesses.

Guangxi counts several million individual businesses for 50 million people; here about 6%
of people of 22–60 run one, more among returning migrant workers (+12 points), veterans
(+6) and people whose unemployment registration ended without a job (+4). Three in four are
individual businesses, the rest small or micro enterprises, registered in the founder's
county, 80% in the last five years. Townships: over half of those in counties. About 85%
still operate normally; most individual businesses employ nobody else with a pension.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from jiuye.facts.model import Business
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.geography import Geography
from jiuye.registry.synthetic.identifiers import uscc_codes
from jiuye.registry.synthetic.names import business_names
from jiuye.registry.synthetic.people import People

__all__ = ["BUSINESS_SERIAL_BASE", "Businesses", "make_businesses"]

#: Business USCC serials start here, so they never meet an employer's.
BUSINESS_SERIAL_BASE = 100_000_000
_TOWNSHIP = {"county": 0.55, "district": 0.2, "central": 0.02}
_HIRES_INDIVIDUAL = {"0": 70.0, "1": 15.0, "2": 8.0, "3": 5.0, "5": 2.0}
_HIRES_ENTERPRISE = {"0": 30.0, "1": 20.0, "2": 15.0, "3": 15.0, "5": 12.0, "8": 8.0}


@dataclass(frozen=True)
class Businesses:
    frame: pl.DataFrame
    founder: d.Ints  # chunk row
    operating: d.Bools
    individual: d.Bools


def make_businesses(
    rng: np.random.Generator, people: People, geography: Geography, *, start: int, as_of: dt.date
) -> Businesses:
    """Businesses numbered from ``start + 1`` (businesses of earlier chunks come first)."""
    a = d.day_number(as_of)
    n = people.n
    age = people.age_on(a)
    drifted = people.registered & ~people.still_registered
    p = (0.06 + 0.12 * people.returning_migrant + 0.06 * people.veteran + 0.04 * drifted) * (age >= 22) * (age <= 60)
    p = np.where(people.cohort, 0.03, p)
    rows = np.flatnonzero(rng.random(n) < p)
    k = len(rows)
    individual = rng.random(k) < 0.75
    earliest = np.where(people.graduate[rows], np.maximum(people.graduation[rows], people.adult_from(18)[rows]), 0)
    recent = rng.random(k) < 0.8
    registered = np.where(
        recent, d.uniform_days(rng, a - 5 * 365, a, k), d.uniform_days(rng, a - 12 * 365, a - 5 * 365 - 1, k)
    )
    registered = np.clip(registered, np.maximum(earliest, people.adult_from(18)[rows]), a)
    county = people.county[rows]
    kind = d.Labels(geography.kind.names, geography.kind.codes[county])
    months = d.full_months(registered, np.full(k, a))
    operating = rng.random(k) < np.where(months < 24, 0.9, 0.78)
    hires = np.where(
        individual,
        d.choose(rng, _HIRES_INDIVIDUAL, k).map({x: int(x) for x in _HIRES_INDIVIDUAL}, 0),
        d.choose(rng, _HIRES_ENTERPRISE, k).map({x: int(x) for x in _HIRES_ENTERPRISE}, 0),
    ).astype(np.int64)
    codes = geography.codes[county]
    form = d.Labels(("small_micro_enterprise", "individual_business"), individual.astype(np.int64))
    frame = d.to_schema(
        [
            d.serial_ids("B", start, k, 9),
            people.ids.gather(rows).alias("founder"),
            business_names(rng, d.Labels(geography.names, county).series("county"), pl.Series(individual)),
            uscc_codes(
                "uscc",
                d.Labels(("91", "92"), individual.astype(np.int64)),
                codes,
                BUSINESS_SERIAL_BASE + start + np.arange(k),
                np.ones(k, np.bool_),
            ),
            form.series("form"),
            pl.Series("region", codes).cast(pl.String),
            d.dates("registered_on", registered),
            d.bools("township_or_below", rng.random(k) < kind.map(_TOWNSHIP, 0.2).astype(np.float64)),
            d.bools("first_in_guangxi", rng.random(k) < 0.92, d.known(rng, 0.02, k)),
            d.bools("operating_normally", operating, d.known(rng, 0.03, k)),
            d.ints("hires_with_pension_6m", hires, d.known(rng, 0.05, k)),
        ],
        registry_schema(Business),
        k,
    )
    return Businesses(frame, rows, operating, individual)
