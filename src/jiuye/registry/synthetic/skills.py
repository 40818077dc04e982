"""Skills: new-style apprenticeships, certificates, and training for the unemployed.

* apprenticeships: 3% of people hired into an enterprise in the last three years train as
  apprentices there (mostly towards intermediate or senior level), claiming 3–12 months;
* certificates: about 9% of people of 18–60 obtained one in the last three years — skill
  levels (mostly junior and intermediate), special-ability certificates (Liuzhou river-snail
  rice noodles, Zhuang embroidery...) or professional qualifications; 60% of those working
  at the time trained through their employer; AI-trainer certificates are the AI shortage
  occupation; about 90% followed compliant training;
* training of the unemployed: 15% of the registered, 60% of those recognised as hard to
  employ or from zero-employment families, within six months of registering, 5 to 30 days;
  85% pass.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jiuye.facts.model import Apprenticeship, Certificate, Training
from jiuye.facts.tables import registry_schema
from jiuye.registry.synthetic import draws as d
from jiuye.registry.synthetic.employers import Employers
from jiuye.registry.synthetic.jobs import Jobs
from jiuye.registry.synthetic.people import People

__all__ = ["make_apprenticeships", "make_certificates", "make_trainings"]

_APPRENTICE_LEVELS = {"intermediate": 50.0, "senior": 35.0, "technician": 12.0, "senior_technician": 3.0}
_LEVELS = {
    "junior": 25.0,
    "intermediate": 28.0,
    "senior": 14.0,
    "technician": 4.0,
    "senior_technician": 1.0,
    "special_ability": 17.0,
    "professional_qualification": 11.0,
}
#: 职业分类大典（2022年版）codes of common skill-level occupations.
_OCCUPATIONS = {
    "4-04-05-05 人工智能训练师": 4.0,
    "6-31-01-03 电工": 14.0,
    "6-18-02-04 焊工": 10.0,
    "6-18-01-01 车工": 5.0,
    "4-03-02-01 中式烹调师": 14.0,
    "4-10-01-05 养老护理员": 12.0,
    "4-10-01-02 育婴员": 10.0,
    "4-10-01-06 家政服务员": 10.0,
    "4-12-01-01 汽车维修工": 9.0,
    "4-01-02-07 互联网营销师": 12.0,
}
_AI_OCCUPATION = "4-04-05-05 人工智能训练师"
_SPECIAL_ABILITIES = {" 螺蛳粉制作": 40.0, " 桂绣制作": 20.0, " 电商直播": 25.0, " 砂糖橘种植": 15.0}
_QUALIFICATIONS = {" 二级建造师": 30.0, " 社会工作者": 25.0, " 初级会计专业技术资格": 30.0, " 教师资格": 15.0}
_TRAINING_DAYS = {"5": 10.0, "10": 30.0, "15": 25.0, "20": 20.0, "30": 15.0}


def make_apprenticeships(
    rng: np.random.Generator, employers: Employers, jobs: Jobs, people: People, *, as_of: dt.date
) -> pl.DataFrame:
    a = d.day_number(as_of)
    m = len(jobs.person)
    eligible = employers.kind.is_("enterprise")[jobs.employer] & (jobs.hire >= a - 3 * 365) & (jobs.separation < 0)
    rows = np.flatnonzero(eligible & (rng.random(m) < 0.03))
    k = len(rows)
    start = np.minimum(jobs.hire[rows] + rng.integers(0, 121, k), a)
    months = np.where(rng.random(k) < 0.55, 12, rng.integers(3, 12, k))
    return d.to_schema(
        [
            people.ids.gather(jobs.person[rows]).alias("person"),
            employers.ids.gather(jobs.employer[rows]).alias("employer"),
            d.choose(rng, _APPRENTICE_LEVELS, k).series("level"),
            d.dates("start_date", start),
            d.ints("months", months),
        ],
        registry_schema(Apprenticeship),
        k,
    )


def make_certificates(
    rng: np.random.Generator, people: People, employers: Employers, jobs: Jobs, *, as_of: dt.date
) -> pl.DataFrame:
    a = d.day_number(as_of)
    n = people.n
    age = people.age_on(a)
    rows = np.flatnonzero((age >= 18) & (age <= 60) & (rng.random(n) < 0.09))
    k = len(rows)
    issued = d.uniform_days(rng, a - 3 * 365, a, k)
    # About one in twelve is still in training: the level is the one aimed at, no issue date yet.
    in_training = rng.random(k) < 0.08
    held_stated = d.known(rng, 0.4, k) | in_training  # registries state "held" for some, always for trainees
    spell = jobs.current[rows]
    has_job = spell >= 0
    safe = np.maximum(spell, 0)
    if not has_job.any():  # no spell at all in this chunk
        jobs = _no_jobs(jobs)
    hired, left, workplace = jobs.hire[safe], jobs.separation[safe], jobs.employer[safe]
    at_work = has_job & (hired <= issued) & ((left < 0) | (left >= issued))
    through_employer = at_work & (rng.random(k) < 0.6)
    level = d.choose(rng, _LEVELS, k)
    skill = ~level.isin(["special_ability", "professional_qualification"])
    occupation = d.combine(
        [
            (skill, d.choose(rng, _OCCUPATIONS, k)),
            (level.is_("special_ability"), d.choose(rng, _SPECIAL_ABILITIES, k)),
            (level.is_("professional_qualification"), d.choose(rng, _QUALIFICATIONS, k)),
        ],
        k,
    ).series("occupation")
    parts = occupation.str.split_exact(" ", 1)
    return d.to_schema(
        [
            people.ids.gather(rows).alias("person"),
            employers.ids.gather(workplace)
            .alias("employer")
            .zip_with(pl.Series(through_employer), pl.repeat(None, k, dtype=pl.String, eager=True)),
            level.series("level"),
            parts.struct.field("field_0").replace("", None).alias("occupation_code"),
            parts.struct.field("field_1").alias("occupation_name"),
            d.bools("ai_shortage_occupation", (occupation == _AI_OCCUPATION).to_numpy(), d.known(rng, 0.04, k)),
            d.dates("issued_on", issued, ~in_training),
            d.bools("compliant_training", rng.random(k) < 0.9, d.known(rng, 0.05, k)),
            d.bools("held", ~in_training, held_stated),
        ],
        registry_schema(Certificate),
        k,
    )


def _no_jobs(jobs: Jobs) -> Jobs:
    """A stand-in with one dummy spell, so lookups of "no current job" stay vectorised."""
    one = np.zeros(1, np.int64)
    return Jobs(jobs.frame, one, one, one, one - 1, one, jobs.current, jobs.employed, jobs.ui_months,
                jobs.left_job, jobs.worked_since_school)  # fmt: skip


def make_trainings(rng: np.random.Generator, people: People, *, as_of: dt.date) -> pl.DataFrame:
    a = d.day_number(as_of)
    n = people.n
    p = np.where(people.difficult | people.zero_employment, 0.6, 0.15)
    rows = np.flatnonzero(people.registered & (rng.random(n) < p))
    k = len(rows)
    until = np.where(people.still_registered[rows], a, np.minimum(people.registration_ended[rows], a))
    start = d.uniform_days(rng, people.registered_on[rows], np.minimum(until, people.registered_on[rows] + 180), k)
    days = d.choose(rng, _TRAINING_DAYS, k).map({x: int(x) for x in _TRAINING_DAYS}, 10).astype(np.int64)
    finished = start + days <= a
    return d.to_schema(
        [
            people.ids.gather(rows).alias("person"),
            d.dates("start_date", start),
            d.ints("days", days),
            d.bools("passed", rng.random(k) < 0.85, finished),
        ],
        registry_schema(Training),
        k,
    )
