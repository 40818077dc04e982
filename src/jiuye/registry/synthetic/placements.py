"""Placements by commercial HR service agencies (职业介绍): some recent hires came through one.

About 4% of hires into enterprises in the last two calendar years were arranged by an agency
in the worker's prefecture, three times as often for rural labour (labour-export agencies).
The placement repeats the hire: the same day, contract and pension months.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jiuye.facts.model import Placement
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.employers import Employers
from jiuye.registry.synthetic.jobs import Jobs
from jiuye.registry.synthetic.people import People

__all__ = ["make_placements"]


def make_placements(
    rng: np.random.Generator, people: People, employers: Employers, jobs: Jobs, *, as_of: dt.date
) -> pl.DataFrame:
    recent_from = d.day_number(dt.date(as_of.year - 1, 1, 1))
    m = len(jobs.person)
    rural = people.rural[jobs.person]
    eligible = (jobs.hire >= recent_from) & employers.kind.is_("enterprise")[jobs.employer]
    chosen = np.flatnonzero(eligible & (rng.random(m) < 0.04 + 0.08 * rural))
    agency = employers.agencies.pick(rng, people.prefecture[jobs.person[chosen]], 0.95)
    chosen, agency = chosen[agency >= 0], agency[agency >= 0]
    spells = jobs.frame[chosen]
    return d.to_schema(
        [
            employers.ids.gather(agency).alias("agency"),
            spells.get_column("person"),
            spells.get_column("employer"),
            spells.get_column("hire_date").alias("placed_on"),
            spells.get_column("contract_months"),
            spells.get_column("months_paid_pension"),
            spells.get_column("contract_type"),
        ],
        registry_schema(Placement),
        len(chosen),
    )
