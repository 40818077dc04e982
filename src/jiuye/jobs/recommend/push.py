"""Targeted job pushes for hardship graduates (桂人社发〔2025〕38号（十七）).

桂人社发〔2025〕38号（十七）：“……聚焦低保家庭、零就业家庭、防止返贫监测对象家庭以及残疾等困难毕业生，
制定个性化帮扶方案，优先推送3—5个针对性岗位信息，优先组织培训见习，优先提供职业指导。”

A push is :data:`TARGETED_MIN`–:data:`TARGETED_MAX` jobs that

* pass every hard filter for the graduate on the push day (:mod:`.filters`; a posting whose last day is the
  push day is still open, one that closed before it has expired);
* are targeted: they come from the graduate's own ranking (:func:`.rank.ranked_jobs`: words, occupation,
  skills), best first;
* were never pushed to this graduate before (``already_pushed``: posting ids);
* are diverse: at most one job per employer (by 统一社会信用代码, else by name), and a job whose occupation
  code was not yet chosen is preferred (greedy: first pass new employer *and* new occupation, then new
  employer).

When fewer than :data:`TARGETED_MIN` such jobs exist the push holds what there is and says why in Chinese;
it is never padded with jobs that fail a requirement.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from itertools import islice

from jiuye.jobs.model import HARDSHIP_FLAGS, Posting, Seeker
from jiuye.jobs.recommend.index import PostingLookups
from jiuye.jobs.recommend.rank import JobMatch, TitleCoder, classify_title, ranked_jobs

__all__ = [
    "PUSH_POOL",
    "TARGETED_MAX",
    "TARGETED_MIN",
    "TargetedPush",
    "employer_key",
    "is_hardship_graduate",
    "push_targeted_jobs",
]

#: gx38（十七）：优先推送3—5个针对性岗位信息 (also the dated parameters gx.grad.1131.targeted_jobs_min/max).
TARGETED_MIN = 3
TARGETED_MAX = 5
#: How far down the graduate's ranking a push may look for diverse jobs. Assumption: a job below the first 100
#: matches is no longer "针对性"; 100 also bounds the time spent explaining candidates.
PUSH_POOL = 100

_SPACE_RE = re.compile(r"\s+")
_HARDSHIP_NAMES = {
    "low_income_family": "低保家庭",
    "zero_employment_family": "零就业家庭",
    "poverty_monitoring": "防止返贫监测对象家庭",
    "disabled": "残疾",
}


@dataclass(frozen=True, slots=True)
class TargetedPush:
    """The jobs to push to one graduate on one day, and, when there are fewer than three, why."""

    seeker_id: str
    on: dt.date
    jobs: tuple[JobMatch, ...]
    #: Chinese: why fewer than :data:`TARGETED_MIN` jobs (``None`` when the push is complete).
    reason: str | None
    #: Chinese: whom the clause covers and whether this seeker is one of them.
    basis: str

    @property
    def posting_ids(self) -> tuple[str, ...]:
        return tuple(m.posting.id for m in self.jobs)


def is_hardship_graduate(seeker: Seeker) -> bool:
    """The seeker has one of the gx38（十七） hardship facts (低保、零就业、防止返贫监测、残疾)."""
    return any(flag in seeker.hardship for flag in HARDSHIP_FLAGS)


def employer_key(posting: Posting) -> str:
    """Who the employer is, for "one job per employer": the 统一社会信用代码, else the name without spaces."""
    if posting.employer_uscc:
        return "uscc:" + posting.employer_uscc.strip().upper()
    return "name:" + _SPACE_RE.sub("", posting.employer)


def _basis(seeker: Seeker) -> str:
    flags = [_HARDSHIP_NAMES[f] for f in HARDSHIP_FLAGS if f in seeker.hardship]
    if flags:
        return f"桂人社发〔2025〕38号（十七）：困难毕业生（{'、'.join(flags)}）优先推送3—5个针对性岗位信息"
    return "桂人社发〔2025〕38号（十七）的优先推送针对困难毕业生；该求职者未登记困难情形，本次推送按同一规则进行"


def _choose(pool: list[JobMatch], limit: int) -> list[JobMatch]:
    """Greedy diversity: new employer and new occupation first, then new employer; best score first."""
    chosen: list[JobMatch] = []
    employers: set[str] = set()
    occupations: set[str] = set()
    for need_new_occupation in (True, False):
        for match in pool:
            if len(chosen) == limit:
                return chosen
            employer = employer_key(match.posting)
            code = match.posting.occupation_code
            if employer in employers or match in chosen:
                continue
            if need_new_occupation and code is not None and code in occupations:
                continue
            chosen.append(match)
            employers.add(employer)
            if code is not None:
                occupations.add(code)
    return chosen


def push_targeted_jobs(
    seeker: Seeker,
    index: PostingLookups,
    today: dt.date,
    already_pushed: Collection[str] = (),
    *,
    code_title: TitleCoder | None = classify_title,
) -> TargetedPush:
    """Choose 3–5 targeted, diverse, eligible jobs never pushed to ``seeker`` before (gx38（十七）).

    Returns fewer than three (possibly none) with a Chinese ``reason`` when not enough qualifying jobs exist.
    The chosen jobs are ordered best first.
    """
    pushed = frozenset(already_pushed)
    ranking = ranked_jobs(seeker, index, today, exclude=pushed, code_title=code_title)
    pool = list(islice(ranking, PUSH_POOL))
    chosen = _choose(pool, TARGETED_MAX)
    # Best first, whichever pass chose them.
    chosen.sort(key=lambda m: pool.index(m))
    reason = None
    if len(chosen) < TARGETED_MIN:
        employers = len({employer_key(m.posting) for m in pool})
        repeat = f"（已排除此前推送过的{len(pushed)}个岗位）" if pushed else ""
        if not pool:
            found = f"没有符合该求职者全部硬性条件（招聘期、工作地点、学历、工作经验、薪资）且相关的在招岗位{repeat}"
        else:
            found = (
                f"符合该求职者全部硬性条件且相关的在招岗位只有{len(pool)}个，来自{employers}家用人单位"
                f"（每家单位至多推送1个）{repeat}"
            )
        reason = f"{found}，不足{TARGETED_MIN}个；未用不符合条件的岗位凑数，本次推送{len(chosen)}个"
    return TargetedPush(seeker.id, today, tuple(chosen), reason, _basis(seeker))
