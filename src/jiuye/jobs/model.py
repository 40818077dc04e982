"""Job postings and job seekers as the matcher sees them: typed, parsed, comparable.

A :class:`Posting` is one vacancy after import (fields parsed by :mod:`jiuye.jobs.parsing`,
occupation tagged by :mod:`jiuye.jobs.occupations`); a :class:`Seeker` is one person's profile
(from a form or a pasted resume). Both are frozen: the matcher, the pushes and the ledger refer
to them by id, and the database stores them (``jiuye.service.models.jobs``).

Hardship flags are the policy engine's own person facts (:class:`jiuye.facts.model.Person`),
so a graduate the 1131 plan calls 困难 is the one the engine would (桂人社发〔2025〕38号（十七）:
低保家庭、零就业家庭、防止返贫监测对象家庭以及残疾等困难毕业生).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jiuye.jobs.parsing import Education, EducationLevel, Experience, Headcount, Salary

__all__ = ["HARDSHIP_FLAGS", "Posting", "Seeker"]

#: The person facts that make a graduate a hardship graduate for gx38（十七）.
HARDSHIP_FLAGS = ("low_income_family", "zero_employment_family", "poverty_monitoring", "disabled")


@dataclass(frozen=True, slots=True)
class Posting:
    id: str  # stable within the deployment: channel + the channel's own id, or a content hash
    title: str
    employer: str  # the employer's name as published
    channel: str = ""  # where it came from (51job, 零工市场, 单位自报, 人社局…)
    channel_id: str = ""
    employer_uscc: str | None = None
    description: str = ""
    skills: tuple[str, ...] = ()
    occupation_code: str | None = None  # 职业分类大典 (2022) code, e.g. 2-02-10-03
    directions: tuple[str, ...] = ()  # gjlf2 二 job-development directions (cn.directions)
    region: str | None = None  # GB/T 2260 code of the work place (county, else city)
    place: str = ""  # the work place as written
    salary: Salary | None = None
    experience: Experience | None = None
    education: Education | None = None
    headcount: Headcount | None = None
    open_on: dt.date | None = None
    close_on: dt.date | None = None  # last day open; None: open until withdrawn

    def is_open(self, on: dt.date) -> bool:
        return (self.open_on is None or self.open_on <= on) and (self.close_on is None or on <= self.close_on)


@dataclass(frozen=True, slots=True)
class Seeker:
    id: str
    skills: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # jobs sought, as the person says them (会计, 前端开发…)
    occupation_codes: tuple[str, ...] = ()  # the same, classified
    regions: tuple[str, ...] = ()  # GB/T 2260 codes where they will work (a city covers its districts)
    salary_min: int | None = None  # the lowest monthly pay in yuan they accept
    education: EducationLevel = EducationLevel.ANY
    experience_years: int = 0
    fresh_graduate: bool = False
    hardship: frozenset[str] = field(default_factory=frozenset)  # of HARDSHIP_FLAGS
    text: str = ""  # what they wrote (resume, self-description), for keyword retrieval
