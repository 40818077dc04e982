"""Employment spells (招用记录): about 0.6 per person, with contracts and contributions.

Each person has at most a current (or most recent) job and, for three in ten of those, an
earlier one. Who works, and since when (rough, Guangxi-like):

* interns kept on are hired by their internship base on the contract day; people whose
  unemployment registration ended mostly found a job that day, and a quarter of other
  recent hires come off the register; people still registered may have lost an insured job
  shortly before registering;
* recent graduates: about 78% insured within months of leaving school (70% for the latest
  cohort, which has had less time); doctors mostly start with the academic year;
* others by age: 62% of urban adults of 25–54 in insured work, 30% of rural labour (most
  work outside the insured sector), fewer among the young and the over-55s;
* hire dates: 45% in the last two calendar years up to the as-of date (more in February–March
  after the Spring Festival and in July–August when graduates start), the rest since 2005;
* 7% of current jobs ended before the as-of date;
* contracts: 97% written (85% in individual businesses), open-ended for half of long
  tenures, otherwise mostly 1–3 years; contributions paid for every month worked, with
  8% of spells one or two months in arrears; a contribution base around the employer's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from jiuye.facts.model import Employment
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.employers import BASE_MAX_FEN, BASE_MIN_FEN, EMPLOYER_RATES, WORKER_RATES, Employers
from jiuye.registry.synthetic.internships import Internships
from jiuye.registry.synthetic.people import People, cohort_years

__all__ = ["Jobs", "make_jobs", "recent_days"]

_CONTRACT_MONTHS = {"12": 25.0, "24": 10.0, "36": 45.0, "60": 10.0, "6": 10.0}
#: Relative hiring by calendar month (Spring Festival return, graduates' start).
_HIRING_SEASON = np.array([1.0, 1.5, 1.5, 1.1, 1.0, 0.9, 1.3, 1.3, 1.1, 1.0, 0.9, 0.8])
_UNKNOWN = 0.015


@dataclass(frozen=True)
class Jobs:
    frame: pl.DataFrame
    person: d.Ints  # chunk row of each spell
    employer: d.Ints
    hire: d.Ints
    separation: d.Ints  # -1 while the job goes on
    months_pension: d.Ints
    current: d.Ints  # per person: row of the current or latest spell, -1 if none
    employed: d.Bools  # per person: in insured work on the as-of date
    ui_months: d.Ints  # per person: UI contribution months over their spells
    left_job: d.Bools  # per person: their latest job ended
    worked_since_school: d.Bools  # per person: a job after graduation that has ended


def recent_days(rng: np.random.Generator, first: int, last: int, n: int) -> d.Ints:
    """Hire days between ``first`` and ``last``, more in the busy hiring months."""
    months = np.arange(
        np.datetime64(first, "D").astype("datetime64[M]"), np.datetime64(last, "D").astype("datetime64[M]") + 1
    )
    weight = _HIRING_SEASON[months.astype(np.int64) % 12]
    month = months[rng.choice(len(months), size=n, p=weight / weight.sum())]
    start = month.astype("datetime64[D]").astype(np.int64)
    length = (month + 1).astype("datetime64[D]").astype(np.int64) - start
    return np.clip(start + np.floor(rng.random(n) * length).astype(np.int64), first, last)


def make_jobs(
    rng: np.random.Generator, people: People, employers: Employers, interns: Internships, *, as_of: dt.date
) -> Jobs:
    a = d.day_number(as_of)
    n = people.n
    p = people
    age = p.age_on(a)
    has, hire, sep = np.zeros(n, np.bool_), np.zeros(n, np.int64), np.full(n, -1, np.int64)
    employer = employers.workplaces.pick(rng, p.prefecture, 0.9)

    kept = interns.hired_on >= 0
    has[interns.person[kept]] = True
    hire[interns.person[kept]] = interns.hired_on[kept]
    employer[interns.person[kept]] = interns.base[kept]
    interned = np.zeros(n, np.bool_)
    interned[interns.person] = True
    free_from = np.zeros(n, np.int64)
    free_from[interns.person] = interns.finish + 1

    ended = p.registered & ~p.still_registered
    found = ended & ~has & (rng.random(n) < 0.75)
    has |= found
    hire = np.where(found, p.registration_ended, hire)

    lost = p.still_registered & (rng.random(n) < 0.55)
    lost_hire = p.registered_on - rng.integers(180, 2501, n)
    lost &= lost_hire >= np.maximum(p.adult_from(16), np.where(p.graduate, p.graduation, 0))
    has |= lost
    hire = np.where(lost, lost_hire, hire)
    sep = np.where(lost, p.registered_on - rng.integers(0, 61, n), sep)

    open_ = ~has & ~p.registered
    school = open_ & p.cohort & ~(interned & (free_from > a))  # still an intern: no job yet
    latest = d.year_of(p.graduation) == cohort_years(as_of)[-1]
    wait = np.where(p.doctorate, 60 + rng.exponential(60.0, n), rng.exponential(75.0, n))  # doctors start in autumn
    school_hire = np.maximum(p.graduation, free_from) + np.floor(wait).astype(np.int64)
    school &= (rng.random(n) < np.where(latest, 0.70, 0.78)) & (school_hire <= a)
    has |= school
    hire = np.where(school, school_hire, hire)

    others = open_ & ~p.cohort
    rate = np.select(
        [age < 20, age < 25, age < 55, age < 60],
        [0.08, 0.45, np.where(p.rural, 0.30, 0.62), 0.35],
        0.08,
    )
    others &= rng.random(n) < rate
    recent_from = d.day_number(dt.date(as_of.year - 1, 1, 1))
    earliest = np.maximum(np.maximum(p.adult_from(18), d.day_number(dt.date(2005, 1, 1))), p.graduation * p.graduate)
    recent = (rng.random(n) < 0.45) | (earliest >= recent_from)
    other_hire = np.where(
        recent,
        recent_days(rng, recent_from, a, n),
        d.uniform_days(rng, earliest, recent_from - 1, n),
    )
    others &= other_hire >= p.adult_from(16)
    has |= others
    hire = np.where(others, other_hire, hire)
    _came_off_register(rng, p, others & (hire >= recent_from) & ~p.registered, hire)
    quits = (school | others) & (rng.random(n) < 0.07) & (hire < a - 30)
    sep = np.where(quits, d.uniform_days(rng, hire + 30, a, n), sep)

    # An earlier job for three in ten, ending shortly before the current one.
    floor_day = np.maximum(p.adult_from(18), np.where(p.graduate, p.graduation, 0))
    before = has & (hire - 400 > floor_day) & (rng.random(n) < 0.3)
    before_hire = d.uniform_days(rng, np.maximum(floor_day, hire - 6 * 365), hire - 180, n)
    before_sep = hire - rng.integers(1, 91, n)
    before_employer = employers.workplaces.pick(rng, p.prefecture, 0.85)

    a_rows, b_rows = np.flatnonzero(has), np.flatnonzero(before)
    person = np.concatenate([a_rows, b_rows])
    spell_employer = np.concatenate([employer[a_rows], before_employer[b_rows]])
    spell_hire = np.concatenate([hire[a_rows], before_hire[b_rows]])
    spell_sep = np.concatenate([sep[a_rows], before_sep[b_rows]])
    order = np.lexsort((spell_hire, person))  # by person, then hire date
    person, spell_employer, spell_hire, spell_sep = (
        person[order],
        spell_employer[order],
        spell_hire[order],
        spell_sep[order],
    )
    frame, paid = _spell_frame(rng, people, employers, person, spell_employer, spell_hire, spell_sep, a)

    current = np.full(n, -1, np.int64)
    last_of_person = np.flatnonzero(np.r_[person[1:] != person[:-1], True]) if len(person) else person
    current[person[last_of_person]] = last_of_person
    employed = has & ((sep < 0) | (sep > a))
    ui_months = np.bincount(person, weights=paid, minlength=n).astype(np.int64)
    ended_after_school = (spell_sep >= 0) & (spell_sep <= a) & (spell_hire >= p.graduation[person]) & p.graduate[person]
    worked = np.bincount(person, weights=ended_after_school, minlength=n) > 0
    return Jobs(
        frame=frame,
        person=person,
        employer=spell_employer,
        hire=spell_hire,
        separation=spell_sep,
        months_pension=paid,
        current=current,
        employed=employed,
        ui_months=ui_months,
        left_job=has & ~employed,
        worked_since_school=worked,
    )


def _came_off_register(rng: np.random.Generator, people: People, hired: d.Bools, hire: d.Ints) -> None:
    """A quarter of recent hires end an unemployment registration (re-employment of the
    registered unemployed is about a third of Guangxi's yearly urban new jobs): registered one
    month to a year and a half before, ending on the hire day; some recognised as hard to employ."""
    n = people.n
    came = hired & (rng.random(n) < 0.25)
    since = np.maximum(
        hire - rng.integers(30, 541, n), np.maximum(people.adult_from(16), people.graduation * people.graduate)
    )
    came &= since < hire
    people.registered |= came
    people.registered_on = np.where(came, since, people.registered_on)
    people.registration_ended = np.where(came, hire, people.registration_ended)
    older = np.where(people.male, people.age_on(hire) >= 50, people.age_on(hire) >= 40)
    people.difficult |= came & (rng.random(n) < 0.15 + 0.3 * older + 0.4 * people.disabled)


def _contract_types(rng: np.random.Generator, written: d.Bools, open_ended: d.Bools) -> d.Labels:
    """The one contract type: none where no contract was written, open-ended, else a fixed term
    (a few task-based ones, whose length is still recorded as months)."""
    m = len(written)
    task = written & ~open_ended & (rng.random(m) < 0.02)
    codes = np.select([~written, open_ended, task], [3, 1, 2], 0)
    return d.Labels(("fixed_term", "open_ended", "task_based", "none"), codes.astype(np.int64))


def _spell_frame(
    rng: np.random.Generator,
    people: People,
    employers: Employers,
    person: d.Ints,
    employer: d.Ints,
    hire: d.Ints,
    sep: d.Ints,
    a: int,
) -> tuple[pl.DataFrame, d.Ints]:
    m = len(person)
    last = np.where(sep >= 0, np.minimum(sep, a), a)
    worked = d.full_months(hire, last)
    arrears = np.where(rng.random(m) < 0.08, rng.integers(1, 3, m), 0)
    paid = np.maximum(worked - arrears, 0)
    injury = np.maximum(paid - (rng.random(m) < 0.05), 0)
    written = rng.random(m) < np.where(employers.kind.is_("individual_business")[employer], 0.85, 0.97)
    open_ended = written & (rng.random(m) < np.where(hire < a - 8 * 365, 0.5, 0.08))
    months = d.choose(rng, _CONTRACT_MONTHS, m).map({k: int(k) for k in _CONTRACT_MONTHS}, 12).astype(np.int64)
    base = np.clip(
        np.round(employers.base_fen[employer] * rng.lognormal(0.0, 0.25, m)), BASE_MIN_FEN, BASE_MAX_FEN
    ).astype(np.int64)
    amounts_known = d.known(rng, 0.02, m)

    def monthly(rate: int) -> d.Ints:
        return (base * rate + 500_000) // 1_000_000

    frame = d.to_schema(
        [
            people.ids.gather(person).alias("person"),
            employers.ids.gather(employer).alias("employer"),
            d.dates("hire_date", hire),
            d.dates("separation_date", sep, sep >= 0),
            _contract_types(rng, written, open_ended).series("contract_type"),
            d.ints("contract_months", months, written & ~open_ended),
            d.ints("months_paid_pension", paid, d.known(rng, _UNKNOWN, m)),
            d.ints("months_paid_medical", paid, d.known(rng, _UNKNOWN, m)),
            d.ints("months_paid_ui", paid, d.known(rng, _UNKNOWN, m)),
            d.ints("months_paid_injury", injury, d.known(rng, _UNKNOWN, m)),
            *(
                d.yuan(f"employer_{kind}_monthly", monthly(rate), amounts_known)
                for kind, rate in EMPLOYER_RATES.items()
            ),
            d.yuan("personal_si_monthly", monthly(sum(WORKER_RATES.values())), amounts_known),
        ],
        registry_schema(Employment),
        m,
    )
    return frame, paid
