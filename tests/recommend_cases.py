"""Hand-written and random postings/seekers for the recommender tests, and the hard constraints restated.

:func:`violations` restates the hard filters independently of ``jiuye.jobs.recommend.filters`` (plain
comparisons on the model's fields), so that a property test does not check the code against itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import Education, EducationLevel, Experience, PayPeriod, Salary

DAY = dt.date(2026, 3, 2)

POSTING_REGIONS = ("450103", "450102", "450100", "450203", "450200", "450000", "440305", "440300", None)
SEEKER_REGIONS = ("450100", "450103", "450200", "450000", "440300", "000000")
TITLES = ("会计", "出纳", "数据分析师", "前端开发工程师", "保安员", "中餐厨师", "餐厅服务员")
SKILLS = ("Excel", "SQL", "Python", "驾驶证C1", "普通话", "用友", "JavaScript")
CODES = ("2-06-03-00", "2-02-30-09", "4-07-02-05", "2-02-10-03", "2-02-10-04", "4-07-05-01", "4-03-02-01", None)
EMPLOYERS = ("甲公司", "乙公司", "丙公司", "丁公司")


def violations(p: Posting, s: Seeker, day: dt.date) -> list[str]:
    """Which hard constraints the pair breaks on ``day`` (empty when none)."""
    broken = []
    if (p.open_on is not None and day < p.open_on) or (p.close_on is not None and day > p.close_on):
        broken.append("not open")
    if s.regions and "000000" not in s.regions:

        def prefix(code: str) -> str:
            return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code

        if p.region is None or not any(p.region.startswith(prefix(r)) for r in s.regions):
            broken.append("place")
    if p.education is not None and p.education.level > s.education:
        broken.append("education")
    if (
        p.experience is not None
        and s.experience_years < p.experience.min_years
        and not (p.experience.for_fresh_graduates and s.fresh_graduate)
    ):
        broken.append("experience")
    if s.salary_min is not None and p.salary is not None and not p.salary.negotiable:
        top = p.salary.monthly_high if p.salary.monthly_high is not None else p.salary.monthly_low
        assert top is not None
        if top < s.salary_min:
            broken.append("salary")
    return broken


def _education(level: EducationLevel) -> Education:
    return Education(level, level.label)


@st.composite
def salaries(draw: st.DrawFn) -> Salary | None:
    kind = draw(st.sampled_from(["none", "negotiable", "range", "from", "upto", "day"]))
    low = draw(st.integers(1, 20)) * 500
    high = low + draw(st.integers(0, 10)) * 500
    if kind == "none":
        return None
    if kind == "negotiable":
        return Salary(None, None, negotiable=True)
    if kind == "range":
        return Salary(Decimal(low), Decimal(high))
    if kind == "from":
        return Salary(Decimal(low), None)
    if kind == "upto":
        return Salary(None, Decimal(high))
    return Salary(Decimal(low // 50), Decimal(high // 50), PayPeriod.DAY)


EXPERIENCES = (
    None,
    Experience(0, None),
    Experience(0, 0, for_fresh_graduates=True),
    Experience(1, 3),
    Experience(3, 5),
    Experience(1, 3, for_fresh_graduates=True),  # odd but possible: 1-3年，应届生亦可
)


@st.composite
def postings(draw: st.DrawFn, index: int) -> Posting:
    opened = draw(st.one_of(st.none(), st.integers(-5, 3).map(lambda d: DAY + dt.timedelta(days=d))))
    closed = draw(st.one_of(st.none(), st.integers(-3, 5).map(lambda d: DAY + dt.timedelta(days=d))))
    return Posting(
        id=f"p{index}",
        title=draw(st.sampled_from(TITLES)),
        employer=draw(st.sampled_from(EMPLOYERS)),
        skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=3, unique=True))),
        description=draw(st.sampled_from(["", "负责日常账务处理", "熟练使用Excel，能吃苦耐劳"])),
        occupation_code=draw(st.sampled_from(CODES)),
        region=draw(st.sampled_from(POSTING_REGIONS)),
        salary=draw(salaries()),
        experience=draw(st.sampled_from(EXPERIENCES)),
        education=draw(st.one_of(st.none(), st.sampled_from(list(EducationLevel)).map(_education))),
        open_on=opened,
        close_on=closed,
    )


@st.composite
def seekers(draw: st.DrawFn, index: int) -> Seeker:
    return Seeker(
        id=f"s{index}",
        titles=tuple(draw(st.lists(st.sampled_from(TITLES), max_size=2, unique=True))),
        skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=3, unique=True))),
        occupation_codes=tuple(draw(st.lists(st.sampled_from([c for c in CODES if c]), max_size=2, unique=True))),
        regions=tuple(draw(st.lists(st.sampled_from(SEEKER_REGIONS), max_size=2, unique=True))),
        salary_min=draw(st.one_of(st.none(), st.integers(1, 20).map(lambda n: n * 500))),
        education=draw(st.sampled_from(list(EducationLevel))),
        experience_years=draw(st.integers(0, 6)),
        fresh_graduate=draw(st.booleans()),
        text=draw(st.sampled_from(["", "熟悉SQL，做过数据分析", "会用Excel", "有C1驾驶证，普通话标准"])),
    )


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Posting], list[Seeker], dt.date]:
    n = draw(st.integers(0, 12))
    m = draw(st.integers(1, 4))
    jobs = [draw(postings(i)) for i in range(n)]
    people = [draw(seekers(i)) for i in range(m)]
    day = DAY + dt.timedelta(days=draw(st.integers(-2, 2)))
    return jobs, people, day
