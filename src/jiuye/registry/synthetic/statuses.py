"""The statuses a register states directly, for part of the people (the rest are left to dates).

Shares (rough, as bureau systems export them): the unemployment-registration system states the
status of six in ten registered people (with the start date when still registered); the
insurance system states "insured" for half the register, with the start of the current job for
those in insured work; the 重点群体 lists carry their entry date for half to seven in ten of their
members (poverty alleviation entered 2016–2020, monitoring from 2021), and a few former
low-income families appear with an entry and an end; three in a hundred of founders and
registered unemployed apply for a personal start-up loan, a few for more than the limit.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.jobs import Jobs
from jiuye.registry.synthetic.people import People

__all__ = ["declared_statuses"]

_YEAR = 365
_LOAN_YUAN = {"50000": 20.0, "100000": 30.0, "150000": 20.0, "200000": 15.0, "300000": 12.0, "350000": 3.0}


def _day(year: int, month: int, day: int) -> int:
    return d.day_number(dt.date(year, month, day))


def _listed(rng: np.random.Generator, group: str, member: d.Bools, since: d.Ints, share: float) -> pl.Series:
    """The entry date of a share of the list's members (still on it: no end date)."""
    return d.dates(f"{group}_since", since, member & (rng.random(len(member)) < share))


def declared_statuses(
    rng: np.random.Generator, p: People, jobs: Jobs, founder: d.Bools, ui_months: d.Ints, a: int
) -> list[pl.Series]:
    """The persons table's declared-status columns (the others stay null, i.e. unknown)."""
    n = p.n
    stated = p.registered & (rng.random(n) < 0.6)
    registration_end = np.where(p.still_registered, a, np.minimum(p.registration_ended, a))

    insured_stated = d.known(rng, 0.5, n)
    has_spell = jobs.current >= 0
    insured = (ui_months > 0) | (jobs.employed & has_spell)  # a new hire is insured before a month is paid
    current_hire = jobs.hire[np.maximum(jobs.current, 0)] if len(jobs.hire) else np.full(n, a, np.int64)
    insured_since = insured_stated & jobs.employed & has_spell

    recognised = np.where(
        p.registered,
        d.uniform_days(rng, p.registered_on, registration_end, n),
        d.uniform_days(rng, a - 5 * _YEAR, a, n),
    )
    former_low_income = ~p.low_income & (rng.random(n) < 0.01)
    low_income_since = d.uniform_days(rng, a - 5 * _YEAR, a, n)
    low_income_until = d.uniform_days(rng, low_income_since, a - 1, n)
    low_income_dated = (p.low_income & (rng.random(n) < 0.5)) | former_low_income

    applies = (founder | p.still_registered) & (rng.random(n) < 0.03)
    amount = d.choose(rng, _LOAN_YUAN, n).map({k: int(k) * 100 for k in _LOAN_YUAN}, 0).astype(np.int64)
    return [
        d.bools("registered_unemployed", p.still_registered, stated),
        d.dates("registered_unemployed_since", p.registered_on, stated & p.still_registered),
        d.bools("ui_insured", insured, insured_stated),
        d.dates("ui_insured_since", current_hire, insured_since),
        _listed(rng, "difficult_person", p.difficult, recognised, 0.7),
        _listed(
            rng,
            "poverty_alleviated",
            p.poverty_alleviated,
            d.uniform_days(rng, _day(2016, 1, 1), _day(2020, 12, 31), n),
            0.5,
        ),
        _listed(rng, "poverty_monitoring", p.poverty_monitoring, d.uniform_days(rng, _day(2021, 1, 1), a, n), 0.6),
        _listed(rng, "zero_employment_family", p.zero_employment, d.uniform_days(rng, a - 2 * _YEAR, a, n), 0.5),
        d.dates("low_income_family_since", low_income_since, low_income_dated),
        d.dates("low_income_family_until", low_income_until, former_low_income),
        _listed(rng, "disabled", p.disabled, d.uniform_days(rng, np.maximum(p.birth, a - 20 * _YEAR), a, n), 0.4),
        d.dates("startup_loan_applied_on", d.uniform_days(rng, a - _YEAR, a, n), applies),
        d.yuan("startup_loan_amount", amount, applies),
    ]
