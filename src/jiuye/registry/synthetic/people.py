"""Who is in the registry: age, sex, home county, schooling, the groups the policies name, and
unemployment registration.

A bureau's registry holds working-age people (16–64) known to it: insured workers, the
registered unemployed, graduates, hardship groups. Distributions (rough, Guangxi-like):

* age: 5-year bands shaped like the 2020 census (bulges at 30–39 and 45–54); 52% men;
* graduates: each of the four most recent graduation cohorts is about 3% of the registry
  (they all pass through the graduate employment registry); about half hold an associate
  degree, 43% a bachelor's, 6% a master's and under 1% a doctorate; older people hold a
  degree at rates falling with age (30% at 25–34 to 4% at 55+);
* groups: rural labour (62% in counties, 35% in outer districts, 8% in central districts),
  people lifted out of poverty (a quarter of rural labour), those monitored against relapse,
  disabled people, families on minimum living allowance, zero-employment families,
  returning migrant workers, veterans (4% of men of 20–60);
* unemployment registration: about 8% registered in the last three years (60% of them in the
  last 15 months), more among recent graduates and youth; half still registered on the as-of
  date, the others after one month to a year and a half.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.geography import Geography

__all__ = ["ID_WIDTH", "People", "cohort_years", "make_people"]

ID_WIDTH = 9  # P000000001: up to a billion persons

_AGE_BANDS = (
    (16, 4.5),
    (20, 6.0),
    (25, 7.0),
    (30, 9.0),
    (35, 8.5),
    (40, 7.5),
    (45, 8.5),
    (50, 9.0),
    (55, 7.5),
    (60, 5.5),
)
_COHORTS = 4
_COHORT_SHARE = 0.03
_COHORT_DEGREES = {"associate": 50.0, "bachelor": 43.0, "master": 6.3}
_OLDER_DEGREES = {"associate": 45.0, "bachelor": 50.0, "master": 4.5}
_GRADUATION_AGE = {"associate": 21, "bachelor": 22, "master": 25, "doctorate": 28}
_RURAL_SHARE = {"county": 0.62, "district": 0.35, "central": 0.08}
_YEAR = 365.2425


@dataclass
class People:
    """One chunk of persons as columns (numpy), before their jobs and activities are known."""

    start: int  # persons before this chunk: ids run from start + 1
    ids: pl.Series  # P000000001...
    county: d.Ints
    prefecture: d.Ints
    county_kind: d.Labels  # central | district | county
    birth: d.Ints
    male: d.Bools
    graduate: d.Bools
    cohort: d.Bools  # one of the recent graduation cohorts
    graduation: d.Ints  # day number, meaningful where ``graduate``
    degree: d.Labels
    doctorate: d.Bools
    rural: d.Bools
    poverty_alleviated: d.Bools
    poverty_monitoring: d.Bools
    disabled: d.Bools
    low_income: d.Bools
    zero_employment: d.Bools
    returning_migrant: d.Bools
    veteran: d.Bools
    veteran_self_employed: d.Bools
    registered: d.Bools  # ever registered as unemployed (in the last three years)
    registered_on: d.Ints
    still_registered: d.Bools  # on the as-of date
    registration_ended: d.Ints  # meaningful where registered and not still registered
    difficult: d.Bools  # recognised as 就业困难人员

    @property
    def n(self) -> int:
        return len(self.county)

    def age_on(self, day: d.Ints | int) -> d.Ints:
        """Whole years (approximate to a day: enough for choosing who does what)."""
        return np.floor((np.asarray(day) - self.birth) / _YEAR).astype(np.int64)

    def adult_from(self, years: int) -> d.Ints:
        return self.birth + int(np.ceil(years * _YEAR))


def cohort_years(as_of: dt.date) -> list[int]:
    """The latest graduation cohorts that have left school by ``as_of`` (leaving in late June)."""
    last = as_of.year if as_of >= dt.date(as_of.year, 7, 10) else as_of.year - 1
    return list(range(last - _COHORTS + 1, last + 1))


def make_people(
    rng: np.random.Generator, geography: Geography, n: int, *, start: int, total: int, as_of: dt.date
) -> People:
    """``n`` persons (ids ``start + 1 …``) of a registry of ``total``, on the as-of date."""
    a = d.day_number(as_of)
    county = rng.choice(geography.size, size=n, p=geography.population)
    prefecture = geography.prefecture[county]
    county_kind = d.Labels(geography.kind.names, geography.kind.codes[county])

    years = cohort_years(as_of)
    which = rng.choice(_COHORTS + 1, size=n, p=[*[_COHORT_SHARE] * _COHORTS, 1 - _COHORTS * _COHORT_SHARE])
    cohort = which < _COHORTS

    # Doctorates are rare (under 1% of graduates); a small registry still gets about ten a cohort.
    p_doctor = d.enriched(0.007, total * _COHORT_SHARE, 10)
    doctorate = d.systematic(rng, cohort * p_doctor, which)
    degree = d.combine([(doctorate, d.constant("doctorate", n)), (cohort, d.choose(rng, _COHORT_DEGREES, n))], n)

    grad_age = degree.map(_GRADUATION_AGE, 22).astype(np.int64) + rng.integers(0, 2, n)
    grad_day = np.array([d.day_number(dt.date(y, 6, 20)) if y else 0 for y in [*years, 0]], dtype=np.int64)[which]
    graduation = grad_day + rng.integers(0, 21, n)
    cohort_birth = graduation - np.floor((grad_age + rng.random(n)) * _YEAR).astype(np.int64)

    band = rng.choice(len(_AGE_BANDS), size=n, p=_weights([w for _, w in _AGE_BANDS]))
    age = np.array([lo for lo, _ in _AGE_BANDS])[band] + rng.random(n) * 5
    other_birth = a - np.floor(age * _YEAR).astype(np.int64)
    birth = np.where(cohort, cohort_birth, other_birth)
    male = rng.random(n) < np.where(cohort, 0.48, 0.52)

    # Older graduates: degree rates fall with age; they left school before the recent cohorts.
    age_now = np.floor((a - birth) / _YEAR)
    older_rate = np.select([age_now < 25, age_now < 35, age_now < 45, age_now < 55], [0.0, 0.30, 0.18, 0.08], 0.04)
    older = ~cohort & (rng.random(n) < older_rate)
    older_degree = d.choose(rng, _OLDER_DEGREES, n)
    older_doctor = older & (rng.random(n) < 0.005)
    degree = d.combine([(cohort, degree), (older_doctor, d.constant("doctorate", n)), (older, older_degree)], n)
    doctorate = degree.is_("doctorate")
    graduate = cohort | older
    grad_year = np.minimum(
        d.year_of(birth + np.floor(degree.map(_GRADUATION_AGE, 22) * _YEAR).astype(np.int64)), years[0] - 1
    )
    older_grad = (grad_year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) + 170
    graduation = np.where(cohort, graduation, older_grad + rng.integers(0, 21, n))

    rural_share = county_kind.map(_RURAL_SHARE, 0.3).astype(np.float64)
    rural = rng.random(n) < rural_share * np.where(graduate, 0.4, 1.0)
    poverty_alleviated = rural & (rng.random(n) < 0.25)
    poverty_monitoring = d.systematic(rng, 0.04 * poverty_alleviated + 0.004 * (rural & ~poverty_alleviated), county)
    disabled = rng.random(n) < 0.015 + 0.03 * (age_now >= 45)
    low_income = rng.random(n) < 0.03 + 0.02 * rural + 0.15 * disabled
    zero_employment = d.systematic(rng, 0.004 * ~rural, county)
    returning_migrant = rural & (age_now >= 25) & (age_now <= 55) & (rng.random(n) < 0.08)
    veteran = (age_now >= 20) & (age_now <= 60) & (rng.random(n) < np.where(male, 0.04, 0.002))
    veteran_self_employed = veteran & (rng.random(n) < 0.7)

    # Unemployment registration in the last three years; on leaving school for graduates.
    youth = (age_now <= 24) & ~graduate
    older_urban = (age_now >= 40) & ~rural
    p_register = (0.06 + 0.10 * cohort + 0.04 * youth + 0.04 * older_urban) * np.where(rural, 0.5, 1.0)
    registered = rng.random(n) < p_register
    earliest = np.maximum(a - 3 * 365, np.where(graduate, graduation + 1, birth + int(16 * _YEAR)))
    recent = rng.random(n) < 0.6  # most registrations in a snapshot are recent: older ones were closed
    registered_on = d.uniform_days(rng, np.where(recent, np.maximum(earliest, a - 456), earliest), a, n)
    ended = registered_on + rng.integers(30, 541, n)
    still = registered & ((rng.random(n) < 0.5) | (ended > a))

    older_person = np.where(male, age_now >= 50, age_now >= 40)
    p_difficult = np.minimum(0.2 + 0.3 * older_person + 0.4 * disabled, 0.8) * registered
    difficult = rng.random(n) < p_difficult + (~registered) * (0.004 + 0.1 * disabled)
    return People(
        start=start,
        ids=d.serial_ids("P", start, n, ID_WIDTH),
        county=county,
        prefecture=prefecture,
        county_kind=county_kind,
        birth=birth,
        male=male,
        graduate=graduate,
        cohort=cohort,
        graduation=graduation,
        degree=degree,
        doctorate=doctorate,
        rural=rural,
        poverty_alleviated=poverty_alleviated,
        poverty_monitoring=poverty_monitoring,
        disabled=disabled,
        low_income=low_income,
        zero_employment=zero_employment,
        returning_migrant=returning_migrant,
        veteran=veteran,
        veteran_self_employed=veteran_self_employed,
        registered=registered,
        registered_on=registered_on,
        still_registered=still,
        registration_ended=ended,
        difficult=difficult,
    )


def _weights(values: list[float]) -> d.Floats:
    w = np.array(values, dtype=np.float64)
    return np.asarray(w / w.sum(), dtype=np.float64)
