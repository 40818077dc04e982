"""The persons table, once jobs and businesses say who works.

ID numbers carry the birth date and sex (GB 11643) and, for 88% of people, their home
county as the address code (the others were born in another county). Facts about work and
unemployment follow from the spells: currently employed (insured work, a running business, or
— for some of those without either — farming and informal work), unemployment-insurance months
(the spells' months plus, for some older people, earlier history), an involuntary job loss
for six in ten of those whose job ended, job seeking and benefit receipt among the registered.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jiuye.facts.model import Person
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.businesses import Businesses
from jiuye.registry.synthetic.geography import Geography
from jiuye.registry.synthetic.identifiers import IdSequences, id_numbers
from jiuye.registry.synthetic.jobs import Jobs
from jiuye.registry.synthetic.names import person_names, phone_numbers
from jiuye.registry.synthetic.people import People
from jiuye.registry.synthetic.statuses import declared_statuses

__all__ = ["make_persons"]

_DISCIPLINES = {"natural_sciences": 55.0, "social_sciences": 45.0}
_UNKNOWN = 0.02


def make_persons(
    rng: np.random.Generator,
    people: People,
    geography: Geography,
    jobs: Jobs,
    businesses: Businesses,
    sequences: IdSequences,
    *,
    as_of: dt.date,
) -> tuple[pl.DataFrame, d.Bools]:
    """The persons table and who lives in hardship (for the grants already paid)."""
    a = d.day_number(as_of)
    p = people
    n = p.n
    age = p.age_on(a)
    runs_business = np.zeros(n, np.bool_)
    runs_business[businesses.founder[businesses.operating]] = True
    founder = np.zeros(n, np.bool_)
    founder[businesses.founder[businesses.individual]] = True

    informal = ~jobs.employed & ~runs_business & ~p.still_registered & ~p.cohort & (age >= 20) & (age < 60)
    informal &= rng.random(n) < np.where(p.rural, 0.75, 0.3)
    employed = jobs.employed | runs_business | informal
    involuntary = jobs.left_job & (rng.random(n) < np.where(p.still_registered, 0.7, 0.6))
    history = np.where((age >= 30) & (rng.random(n) < 0.3), rng.integers(0, 61, n), 0)
    ui_months = jobs.ui_months + history
    seeking = np.where(p.still_registered, rng.random(n) < 0.95, ~employed & (rng.random(n) < 0.25))
    entitled = (ui_months >= 12) & involuntary & p.still_registered & seeking
    hardship = p.low_income | p.zero_employment | (rng.random(n) < np.where(employed, 0.01, 0.1))
    card = rng.random(n) < np.select(
        [p.registered, founder, p.cohort, p.veteran_self_employed], [0.85, 0.45, 0.15, 0.1], 0.01
    )

    birthplace = np.where(rng.random(n) < 0.88, p.county, rng.choice(geography.size, size=n, p=geography.population))
    sequence = sequences.draw(birthplace, p.birth, p.male)
    graduate = p.graduate
    return d.to_schema(
        [
            p.ids,
            person_names(rng, n),
            id_numbers("id_number", geography.codes[birthplace], p.birth, sequence),
            d.dates("birth_date", p.birth),
            d.Labels(("female", "male"), p.male.astype(np.int64)).series("sex"),
            d.strings("phone", phone_numbers(rng, n), d.known(rng, 0.1, n)),
            pl.Series("region", geography.codes[p.county]).cast(pl.String),
            d.bools("college_graduate", graduate, d.known(rng, 0.01, n)),
            d.dates("graduation_date", p.graduation, graduate),
            d.bools("employed_since_graduation", jobs.worked_since_school, graduate),
            p.degree.series("degree", graduate),
            d.choose(rng, _DISCIPLINES, n).series("discipline", graduate),
            d.bools("ever_registered_unemployed", p.registered, d.known(rng, _UNKNOWN, n) | p.registered),
            d.dates("unemployment_registered_on", p.registered_on, p.registered),
            d.dates("unemployment_registration_ended_on", p.registration_ended, p.registered & ~p.still_registered),
            d.bools("difficult_person", p.difficult, d.known(rng, _UNKNOWN, n)),
            d.bools("poverty_alleviated", p.poverty_alleviated, d.known(rng, _UNKNOWN, n)),
            d.bools("poverty_monitoring", p.poverty_monitoring, d.known(rng, _UNKNOWN, n)),
            d.bools("disabled", p.disabled, d.known(rng, _UNKNOWN, n)),
            d.bools("low_income_family", p.low_income, d.known(rng, _UNKNOWN, n)),
            d.bools("zero_employment_family", p.zero_employment, d.known(rng, _UNKNOWN, n)),
            d.bools("rural_labour", p.rural, d.known(rng, _UNKNOWN, n)),
            d.bools("returning_migrant_worker", p.returning_migrant, d.known(rng, _UNKNOWN, n)),
            d.bools("veteran", p.veteran, d.known(rng, _UNKNOWN, n)),
            d.bools("veteran_self_employed", p.veteran_self_employed, d.known(rng, _UNKNOWN, n)),
            d.bools("employment_card", card, d.known(rng, _UNKNOWN, n)),
            d.ints("ui_contribution_months", ui_months, d.known(rng, _UNKNOWN, n)),
            d.bools("involuntary_unemployment", involuntary, ~jobs.employed & d.known(rng, _UNKNOWN, n)),
            d.bools("seeking_work", seeking, d.known(rng, _UNKNOWN, n)),
            d.bools("receiving_ui_benefit", entitled & (rng.random(n) < 0.8), d.known(rng, _UNKNOWN, n)),
            d.bools("currently_employed", employed, d.known(rng, _UNKNOWN, n)),
            d.bools("living_hardship", hardship, d.known(rng, 0.03, n)),
            *declared_statuses(rng, p, jobs, founder | runs_business, ui_months, a),
        ],
        registry_schema(Person),
        n,
    ), hardship
