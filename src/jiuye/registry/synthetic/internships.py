"""Internships (就业见习) at internship bases: recent graduates and young registered unemployed.

About 4% of recent graduates, and 45% of the young (or recently graduated) registered
unemployed, whom the employment service refers, take an internship of 3, 6 or 12 months at a
base near home. Half of those who finish are kept on (a labour contract the day after the
internship ends); about one in eight signs before the end.
Internships still running on the as-of date have no end date and an unknown outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from jiuye.facts.model import Internship
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.employers import Employers
from jiuye.registry.synthetic.people import People

__all__ = ["Internships", "make_internships"]

_PLANNED = {"3": 10.0, "6": 50.0, "12": 40.0}


@dataclass(frozen=True)
class Internships:
    frame: pl.DataFrame
    person: d.Ints  # row in the chunk
    base: d.Ints  # employer row
    start: d.Ints
    finish: d.Ints  # last day (planned end while running)
    hired_on: d.Ints  # contract day at the base, -1 if not (yet) kept on


def make_internships(rng: np.random.Generator, people: People, employers: Employers, *, as_of: dt.date) -> Internships:
    a = d.day_number(as_of)
    n = people.n
    age = people.age_on(people.registered_on)
    from_school = people.cohort & (people.graduation <= a - 20)
    referred = people.registered & (((age >= 16) & (age <= 24)) | people.cohort)  # by the employment service
    take = (from_school & (rng.random(n) < 0.04)) | (referred & (rng.random(n) < 0.45))
    start = np.where(
        referred, people.registered_on + rng.integers(10, 151, n), people.graduation + rng.integers(20, 301, n)
    )
    take &= start <= a
    rows = np.flatnonzero(take)
    m = len(rows)
    base = employers.internship_bases.pick(rng, people.prefecture[rows], 0.9)
    rows, base = rows[base >= 0], base[base >= 0]
    m = len(rows)
    start = start[rows]
    planned = d.choose(rng, _PLANNED, m).map({k: int(k) for k in _PLANNED}, 6).astype(np.int64)
    planned_end = d.add_months(start, planned) - 1
    early = (rng.random(m) < 0.12) & (planned > 3)
    contract_early = d.add_months(start, 1 + np.floor(rng.random(m) * (planned - 1)).astype(np.int64))
    dropped = ~early & (rng.random(m) < 0.08)
    finish = np.where(early, contract_early - 1, planned_end)
    finish = np.where(dropped, start + np.floor(rng.random(m) * (planned_end - start)).astype(np.int64), finish)
    over = finish <= a
    kept = np.where(early, True, ~dropped & (rng.random(m) < 0.5))
    contract = np.where(early, contract_early, finish + 1)
    signed = kept & over & (contract <= a)
    frame = d.to_schema(
        [
            people.ids.gather(rows).alias("person"),
            employers.ids.gather(base).alias("employer"),
            d.dates("start_date", start),
            d.ints("planned_months", planned),
            d.dates("end_date", finish, over),
            d.bools("retained", kept, over | signed),
            d.dates("contract_signed_on", contract, signed),
        ],
        registry_schema(Internship),
        m,
    )
    return Internships(frame, rows, base, start, finish, np.where(signed, contract, -1))
