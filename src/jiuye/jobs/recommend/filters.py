"""Hard filters between a posting and a seeker: each a named check with a verdict explained in Chinese.

A recommendation (jobs for a seeker, seekers for a job) and a targeted push never include a pair that
fails any of these checks; the same checks serve both directions. Decisions where the rule is open:

* **Open** — the posting is open on the day: ``open_on <= day <= close_on`` (a posting whose last day is
  the push day is still open that day; one closed the day before is expired).
* **Location** — the posting's region lies within one of the seeker's regions (:func:`jiuye.regions.contains`:
  a city code covers its districts; a province code covers its cities). A seeker who names no region, or
  全国 (``000000``), accepts any place. A posting with no region fails for every other seeker: we cannot
  tell whether it is where they will work, and a wrong place is the costliest mismatch for a graduate
  with little money to move. A posting coded only to a city fails for a seeker who wants one district of
  that city (the work place may be anywhere in the city).
* **Education** — the seeker's level ≥ the posting's minimum; 不限 or not stated passes.
  (全日制/统招 is not checked: the seeker profile does not record it.)
* **Experience** — the seeker's years ≥ the posting's minimum years, or the posting is addressed to fresh
  graduates and the seeker is one. Not stated passes. The upper end of a range (3-5年) is not a limit.
* **Salary** — the posting's monthly upper end (its lower end when there is no upper end) ≥ the seeker's
  minimum. A seeker without a minimum, a negotiable (面议) or unstated salary passes, with a note.

>>> import datetime as dt
>>> from jiuye.jobs.model import Posting, Seeker
>>> from jiuye.jobs.parsing import parse_salary
>>> job = Posting("p1", "会计", "某公司", region="450103", salary=parse_salary("4-6千/月"))
>>> person = Seeker("s1", regions=("450100",), salary_min=5000)
>>> [v.passed for v in check_all(job, person, dt.date(2026, 3, 1))]
[True, True, True, True, True]
>>> check_salary(job, person, dt.date(2026, 3, 1)).reason
'岗位月薪上限6000元，不低于求职者期望的最低月薪5000元'
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

from jiuye.dates import cn_date
from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import EducationLevel, format_education, format_experience, format_salary
from jiuye.regions import NATIONAL, contains, region_name

__all__ = [
    "HARD_FILTERS",
    "Check",
    "Verdict",
    "accepts_any_place",
    "check_all",
    "check_education",
    "check_experience",
    "check_location",
    "check_open",
    "check_salary",
    "passes",
    "place_name",
    "required_education",
    "salary_top",
]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one hard filter for one posting–seeker pair."""

    #: Identifier of the check: ``open``, ``location``, ``education``, ``experience``, ``salary``.
    check: str
    #: The requirement checked, in Chinese (招聘期, 工作地点, 学历, 工作经验, 薪资).
    label: str
    passed: bool
    #: Which values were compared and why it passed or failed, in Chinese.
    reason: str

    def text(self) -> str:
        return f"{self.label}：{'符合' if self.passed else '不符合'}（{self.reason}）"


Check = Callable[[Posting, Seeker, dt.date], Verdict]


@functools.cache
def _divisions() -> dict[str, str]:
    """Code → full name from the nationwide division table, or empty if that table is not installed."""
    from jiuye.jobs.parsing.location import RegionTableMissingError, divisions

    try:
        return {code: region.full_name for code, region in divisions().items()}
    except RegionTableMissingError:
        return {}


def place_name(code: str) -> str:
    """A region code as people read it (``广西壮族自治区南宁市青秀区``), with the code."""
    if code == NATIONAL:
        return "全国"
    name = _divisions().get(code) or region_name(code)
    return f"{name}（{code}）"


def accepts_any_place(seeker: Seeker) -> bool:
    """The seeker names no region, or names 全国: any work place (even an unstated one) suits them."""
    return not seeker.regions or NATIONAL in seeker.regions


def required_education(posting: Posting) -> EducationLevel:
    """The posting's minimum education level (不限 when not stated)."""
    return posting.education.level if posting.education is not None else EducationLevel.ANY


def salary_top(posting: Posting) -> int | None:
    """The monthly amount the salary check compares: the upper end, else the lower end; ``None`` when the
    posting states no amount (面议 or blank)."""
    s = posting.salary
    if s is None or s.negotiable:
        return None
    return s.monthly_high if s.monthly_high is not None else s.monthly_low


def _period(posting: Posting) -> str:
    start = f"自{cn_date(posting.open_on)}起" if posting.open_on else "开始日期未写"
    end = f"至{cn_date(posting.close_on)}止" if posting.close_on else "截止日期未写（持续招聘）"
    return f"{start}，{end}"


def check_open(posting: Posting, seeker: Seeker, on: dt.date) -> Verdict:
    """The posting is open on the day (``open_on <= on <= close_on``)."""
    del seeker  # same signature as every check
    if posting.open_on is not None and on < posting.open_on:
        return Verdict("open", "招聘期", False, f"岗位招聘期{_period(posting)}，{cn_date(on)}尚未开始招聘")
    if posting.close_on is not None and on > posting.close_on:
        return Verdict("open", "招聘期", False, f"岗位招聘期{_period(posting)}，{cn_date(on)}已截止")
    return Verdict("open", "招聘期", True, f"岗位招聘期{_period(posting)}，{cn_date(on)}在招聘期内")


def check_location(posting: Posting, seeker: Seeker, on: dt.date) -> Verdict:
    """The posting's region lies within one of the seeker's regions (see the module notes)."""
    del on
    where = place_name(posting.region) if posting.region else "未写明（无行政区划代码）"
    if accepts_any_place(seeker):
        return Verdict("location", "工作地点", True, f"求职者不限工作地点；岗位工作地点{where}")
    wanted = "、".join(place_name(r) for r in seeker.regions)
    if posting.region is None:
        reason = f"岗位工作地点未写明，无法确认是否在求职者意向地区（{wanted}）内"
        return Verdict("location", "工作地点", False, reason)
    for region in seeker.regions:
        if contains(region, posting.region):
            reason = f"岗位工作地点{where}在求职者意向地区{place_name(region)}范围内"
            return Verdict("location", "工作地点", True, reason)
    return Verdict("location", "工作地点", False, f"岗位工作地点{where}不在求职者意向地区（{wanted}）内")


def check_education(posting: Posting, seeker: Seeker, on: dt.date) -> Verdict:
    """The seeker's education level is at least the posting's minimum (不限 or unstated passes)."""
    del on
    have = seeker.education.label
    if posting.education is None:
        return Verdict("education", "学历", True, f"岗位未写学历要求；求职者学历{have}")
    if posting.education.level is EducationLevel.ANY:
        return Verdict("education", "学历", True, f"岗位学历不限；求职者学历{have}")
    need = format_education(posting.education)
    if seeker.education >= posting.education.level:
        return Verdict("education", "学历", True, f"求职者学历{have}，达到岗位要求“{need}”")
    return Verdict("education", "学历", False, f"求职者学历{have}，低于岗位要求“{need}”")


def check_experience(posting: Posting, seeker: Seeker, on: dt.date) -> Verdict:
    """The seeker's years reach the posting's minimum, or the posting takes fresh graduates and the seeker is one."""
    del on
    have = f"求职者工作经验{seeker.experience_years}年" + ("（应届毕业生）" if seeker.fresh_graduate else "")
    if posting.experience is None:
        return Verdict("experience", "工作经验", True, f"岗位未写经验要求；{have}")
    need = format_experience(posting.experience)
    if seeker.experience_years >= posting.experience.min_years:
        reason = f"{have}，达到岗位要求“{need}”（至少{posting.experience.min_years}年）"
        return Verdict("experience", "工作经验", True, reason)
    if posting.experience.for_fresh_graduates and seeker.fresh_graduate:
        return Verdict("experience", "工作经验", True, f"岗位面向应届毕业生（“{need}”），{have}")
    reason = f"{have}，不足岗位要求“{need}”（至少{posting.experience.min_years}年）"
    return Verdict("experience", "工作经验", False, reason)


def check_salary(posting: Posting, seeker: Seeker, on: dt.date) -> Verdict:
    """The posting's monthly upper end (else lower end) is at least the seeker's minimum; 面议 passes with a note."""
    del on
    if seeker.salary_min is None:
        shown = format_salary(posting.salary) if posting.salary else "未写"
        return Verdict("salary", "薪资", True, f"求职者未提出最低月薪要求；岗位薪资{shown}")
    want = f"求职者期望的最低月薪{seeker.salary_min}元"
    if posting.salary is None:
        return Verdict("salary", "薪资", True, f"岗位未写薪资，能否达到{want}需向用人单位确认")
    if posting.salary.negotiable:
        return Verdict("salary", "薪资", True, f"岗位薪资面议，能否达到{want}需向用人单位确认")
    top = salary_top(posting)
    end = "上限" if posting.salary.monthly_high is not None else "下限"
    shown = format_salary(posting.salary)
    converted = "" if shown.endswith("/月") or "/月·" in shown else f"（{shown}，折合月薪）"
    if top is not None and top >= seeker.salary_min:
        return Verdict("salary", "薪资", True, f"岗位月薪{end}{top}元{converted}，不低于{want}")
    return Verdict("salary", "薪资", False, f"岗位月薪{end}{top}元{converted}，低于{want}")


#: Every hard filter, in the order explanations list them.
HARD_FILTERS: tuple[Check, ...] = (check_open, check_location, check_education, check_experience, check_salary)


def check_all(posting: Posting, seeker: Seeker, on: dt.date) -> tuple[Verdict, ...]:
    """Every hard filter's verdict for the pair on the day."""
    return tuple(check(posting, seeker, on) for check in HARD_FILTERS)


def passes(posting: Posting, seeker: Seeker, on: dt.date) -> bool:
    """Whether the pair passes every hard filter on the day."""
    return all(check(posting, seeker, on).passed for check in HARD_FILTERS)
