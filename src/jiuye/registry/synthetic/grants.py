"""Grants already paid (已享受补贴), so that matching must leave some people and employers out.

* 20% of this year's hires of young people and recent graduates into enterprises already
  brought the employer the one-time expansion subsidy, four months after the hire;
* 10% of agency placements were already paid the placement subsidy;
* 5% of people in hardship without work already had the one-time living allowance;
* 30% of enterprises had the job-retention refund last year (which does not bar this year's),
  3% this year already.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jiuye.facts.model import PriorGrant
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.employers import Employers
from jiuye.registry.synthetic.jobs import Jobs
from jiuye.registry.synthetic.people import People

__all__ = ["employer_grants", "person_grants"]

_SCHEMA = registry_schema(PriorGrant)


def _grants(measure: str, person: pl.Series | None, employer: pl.Series | None, day: d.Ints) -> pl.DataFrame:
    k = len(day)
    none = pl.repeat(None, k, dtype=pl.String, eager=True)
    return d.to_schema(
        [
            pl.repeat(measure, k, dtype=pl.String, eager=True).alias("measure"),
            (none if person is None else person).alias("person"),
            (none if employer is None else employer).alias("employer"),
            d.dates("granted_on", day),
        ],
        _SCHEMA,
        k,
    )


def person_grants(
    rng: np.random.Generator,
    people: People,
    employers: Employers,
    jobs: Jobs,
    placements: pl.DataFrame,
    hardship: d.Bools,
    *,
    as_of: dt.date,
) -> pl.DataFrame:
    a = d.day_number(as_of)
    year_start = d.day_number(dt.date(as_of.year, 1, 1))
    m = len(jobs.person)
    young = ((jobs.hire - people.birth[jobs.person]) < 25 * 365) | people.cohort[jobs.person]
    hired = (jobs.hire >= year_start) & employers.kind.is_("enterprise")[jobs.employer] & young
    paid = np.flatnonzero(hired & (jobs.hire + 120 <= a) & (rng.random(m) < 0.2))
    expansion = _grants(
        "gx.expansion",
        people.ids.gather(jobs.person[paid]),
        employers.ids.gather(jobs.employer[paid]),
        jobs.hire[paid] + 120,
    )
    placed_on = placements.get_column("placed_on").to_physical().to_numpy().astype(np.int64)
    chosen = np.flatnonzero((placed_on + 100 <= a) & (rng.random(len(placements)) < 0.1))
    placement = _grants("gx.hrservice", placements.get_column("person").gather(chosen), None, placed_on[chosen] + 100)
    needy = np.flatnonzero(hardship & ~jobs.employed & (rng.random(people.n) < 0.05))
    living = _grants("xxq.temp.living", people.ids.gather(needy), None, d.uniform_days(rng, year_start, a, len(needy)))
    return pl.concat([expansion, placement, living])


def employer_grants(rng: np.random.Generator, employers: Employers, *, as_of: dt.date) -> pl.DataFrame:
    n = len(employers.staff)
    enterprise = employers.kind.is_("enterprise")
    last_year = np.flatnonzero(enterprise & (rng.random(n) < 0.3))
    this_year = np.flatnonzero(enterprise & (rng.random(n) < 0.03))
    last_start = d.day_number(dt.date(as_of.year - 1, 3, 1))
    this_start = d.day_number(dt.date(as_of.year, 3, 1))
    a = d.day_number(as_of)
    return pl.concat(
        [
            _grants(
                "gx.ui.refund",
                None,
                employers.ids.gather(rows),
                d.uniform_days(rng, first, min(first + 270, a), len(rows)),
            )
            for rows, first in ((last_year, last_start), (this_year, this_start))
            if first <= a
        ]
    )
