"""Two-way recommendations: jobs for a seeker, seekers for a job — hard filters first, then an explicit score.

For one query:

1. **Eligible** — the pairs passing every hard filter of :mod:`.filters` (a boolean mask over the index;
   both sides' must-haves). Nothing else is ever returned: each result is checked again with the scalar
   filters before it is explained.
2. **Candidates** — the :data:`TEXT_CANDIDATES` best BM25 hits among the eligible, together with every eligible
   row whose occupation matches (same 细类, or same 小类) one the seeker seeks. Occupation codes missing from a
   seeker (or, in the other direction, from the posting) are filled from the title by the classifier
   (``code_title``; the real one by default, ``None`` turns this off).
3. **Score** — ``Σ weight × part``, each part between 0 and 1:

   =============  ==============================================================================
   text           BM25 over title/skills/description, divided by the best candidate's (best = 1)
   occupation     1 for the same 细类, :data:`OCCUPATION_GROUP_CREDIT` for the same 小类, else 0
   skills         share of the posting's skill tags the seeker has — listed, or written in one clause of their
                  text (:class:`.tokens.SkillProfile`); 0 when the posting lists none
   salary         1 when the whole range reaches the seeker's minimum (or none is asked), 0.5 when only
                  the upper end does, 0.25 when the amount is not stated (面议, blank)
   recency        ½ per :data:`RECENCY_HALF_LIFE_DAYS` since the posting opened (jobs for a seeker only)
   =============  ==============================================================================

   Ties go to the earlier row of the index (for the resident index: the smaller posting id, which is the row
   order of an index built from postings sorted by id). The weights were set by hand from what each part says about a
   match, then checked only on the aggregate figures of ``benchmarks/job_matching.py`` (never per query).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np

from jiuye.dates import cn_date
from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import format_salary
from jiuye.jobs.recommend.explanation import Explanation, ScorePart
from jiuye.jobs.recommend.filters import check_all, salary_top
from jiuye.jobs.recommend.index import (
    BoolArray,
    FloatArray,
    IntArray,
    PostingLookups,
    SeekerIndex,
    occupation_group,
    posting_query,
    seeker_query,
)
from jiuye.jobs.recommend.tokens import SkillProfile, normalise_skill, skill_profile, tokens

__all__ = [
    "DEFAULT_WEIGHTS",
    "OCCUPATION_GROUP_CREDIT",
    "RECENCY_HALF_LIFE_DAYS",
    "RECENCY_UNKNOWN",
    "SALARY_FIT_FULL",
    "SALARY_FIT_UNSTATED",
    "SALARY_FIT_UPPER_ONLY",
    "TEXT_CANDIDATES",
    "WEIGHT_OCCUPATION",
    "WEIGHT_RECENCY",
    "WEIGHT_SALARY",
    "WEIGHT_SKILLS",
    "WEIGHT_TEXT",
    "JobMatch",
    "SeekerMatch",
    "TitleCoder",
    "Weights",
    "classify_title",
    "ranked_jobs",
    "ranked_seekers",
    "recommend_jobs",
    "recommend_seekers",
]

# --- Weights (assumptions, see the module docstring). They sum to 1 for jobs; seekers have no recency part.
#: Words in common: the most direct evidence, but blind to synonyms (会计 vs 财务) and to boilerplate.
WEIGHT_TEXT = 0.35
#: The 大典 occupation sought vs offered: catches synonyms the words miss; coarse, and the classifier errs.
WEIGHT_OCCUPATION = 0.30
#: Skill tags: what the employer says it needs; boards tag unevenly, so less than the two above.
WEIGHT_SKILLS = 0.20
#: Pay above the seeker's floor (the floor itself is a hard filter): a preference among eligible jobs.
WEIGHT_SALARY = 0.10
#: Newer postings are more likely still hiring; a tie-breaker rather than a reason to recommend.
WEIGHT_RECENCY = 0.05

#: Credit for an occupation in the same 小类 (e.g. two kinds of 会计专业人员): related work, not the same job.
OCCUPATION_GROUP_CREDIT = 0.5
#: BM25 hits kept as candidates (occupation matches are added on top): far more than any page shows, and
#: scoring more rarely changes a top 10 because the text part falls off quickly down the BM25 list.
TEXT_CANDIDATES = 200
#: Salary part values (the hard filter already guarantees the upper end reaches the seeker's minimum).
SALARY_FIT_FULL = 1.0  # the whole range reaches the minimum, or the seeker asks for none
SALARY_FIT_UPPER_ONLY = 0.5  # only the upper end does: the seeker may be offered less than they need
SALARY_FIT_UNSTATED = 0.25  # 面议 or blank: unknown, ranked below a stated range that fits
#: A posting's appeal halves every 30 days after it opens: most board postings are filled or stale within
#: one to two months (assumption; boards commonly show postings for 30 days).
RECENCY_HALF_LIFE_DAYS = 30
#: A posting without an opening date counts as one half-life old.
RECENCY_UNKNOWN = 0.5


@dataclass(frozen=True, slots=True)
class Weights:
    """The score's weights (defaults: the constants above); the benchmark varies them for its ablations."""

    text: float = WEIGHT_TEXT
    occupation: float = WEIGHT_OCCUPATION
    skills: float = WEIGHT_SKILLS
    salary: float = WEIGHT_SALARY
    recency: float = WEIGHT_RECENCY


DEFAULT_WEIGHTS = Weights()

#: Title → 大典 code (``None`` when it names no occupation).
TitleCoder = Callable[[str], str | None]


def classify_title(title: str) -> str | None:
    """The best 大典 code for a title from :func:`jiuye.jobs.occupations.classify.classify` (``None`` for
    a title that names no occupation)."""
    from jiuye.jobs.occupations.classify import UNCLASSIFIED, classify

    found = classify(title, 1)
    return found[0].code if found and found[0].code != UNCLASSIFIED else None


@dataclass(frozen=True, slots=True)
class JobMatch:
    """A job recommended to a seeker."""

    posting: Posting
    score: float
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class SeekerMatch:
    """A seeker recommended for a job."""

    seeker: Seeker
    score: float
    explanation: Explanation


# --- shared pieces --------------------------------------------------------------------------------


@functools.cache
def _occupation_names() -> dict[str, str]:
    from jiuye.jobs.occupations.taxonomy import load_taxonomy

    return {o.code: o.name for o in load_taxonomy()}


def _occupation(code: str) -> str:
    name = _occupation_names().get(code)
    return f"{code} {name}" if name else code


def _seeker_codes(seeker: Seeker, code_title: TitleCoder | None) -> tuple[tuple[str, ...], bool]:
    """The seeker's occupation codes, and whether they were inferred from the sought titles."""
    if seeker.occupation_codes or code_title is None:
        return seeker.occupation_codes, False
    codes = [code_title(t) for t in seeker.titles if t.strip()]
    return tuple(dict.fromkeys(c for c in codes if c)), True


def _posting_code(posting: Posting, code_title: TitleCoder | None) -> tuple[str | None, bool]:
    if posting.occupation_code or code_title is None or not posting.title.strip():
        return posting.occupation_code, False
    return code_title(posting.title), True


def _occupation_text(posting_code: str | None, seeker_codes: tuple[str, ...], inferred: str) -> tuple[float, str]:
    """The occupation part's value and its Chinese description."""
    if posting_code is None:
        return 0.0, "岗位未标注职业分类" + inferred
    if not seeker_codes:
        return 0.0, "求职者未填写求职意向或无法识别其职业" + inferred
    sought = "、".join(_occupation(c) for c in seeker_codes)
    if posting_code in seeker_codes:
        return 1.0, f"同一职业细类：{_occupation(posting_code)}{inferred}"
    group = occupation_group(posting_code)
    for code in seeker_codes:
        if occupation_group(code) == group:
            pair = f"岗位为{_occupation(posting_code)}，求职意向为{_occupation(code)}"
            return OCCUPATION_GROUP_CREDIT, f"同一职业小类（{_occupation(group)}）：{pair}{inferred}"
    return 0.0, f"职业不同：岗位为{_occupation(posting_code)}，求职意向为{sought}{inferred}"


def _skills(posting: Posting, person: SkillProfile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The posting's distinct skill tags the person has, and those they lack (as the posting writes them)."""
    matched: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for skill in posting.skills:
        key = normalise_skill(skill)
        if not key or key in seen:
            continue
        seen.add(key)
        (matched if person.has(key) else missing).append(skill.strip())
    return tuple(matched), tuple(missing)


def _skills_note(matched: tuple[str, ...], missing: tuple[str, ...]) -> str:
    total = len(matched) + len(missing)
    if total == 0:
        return "岗位未列技能要求"
    return f"岗位列出{total}项技能，求职者具备{len(matched)}项"


def _salary_note(posting: Posting, minimum: int | None, value: float) -> str:
    shown = format_salary(posting.salary) if posting.salary else "未写"
    if minimum is None:
        return f"求职者未提最低月薪；岗位薪资{shown}"
    if value == SALARY_FIT_FULL:
        return f"岗位薪资{shown}，整个区间不低于求职者最低月薪{minimum}元"
    if value == SALARY_FIT_UPPER_ONLY:
        return f"岗位薪资{shown}，仅上限达到求职者最低月薪{minimum}元"
    return f"岗位薪资{shown}，未写明金额，能否达到求职者最低月薪{minimum}元需确认"


def _text_note(query: list[str], posting_or_seeker_words: set[str]) -> str:
    common = [t for t in query if t in posting_or_seeker_words][:8]
    shared = "、".join(common) if common else "无（因职业相同入选）"
    return f"词语相关度（BM25，以本次候选中最高者为1）；共同词语：{shared}"


def _candidates(text: FloatArray, occupation: FloatArray, eligible: BoolArray, keys: IntArray) -> IntArray:
    """Eligible rows among the best BM25 hits, plus eligible rows with an occupation match.

    Hits tied at the cut-off are taken in ``keys`` order, so that the same postings give the same candidates
    whatever their rows (a resident index appends and recycles rows; see :mod:`.live`).
    """
    text = np.where(eligible, text, 0.0)
    hits = np.flatnonzero(text > 0)
    if hits.size > TEXT_CANDIDATES:
        values = text[hits]
        cut = np.partition(values, hits.size - TEXT_CANDIDATES)[hits.size - TEXT_CANDIDATES]
        tied = hits[values == cut]
        tied = tied[np.argsort(keys[tied], kind="stable")]
        above = hits[values > cut]
        hits = np.concatenate((above, tied[: TEXT_CANDIDATES - above.size]))
    related = np.flatnonzero((occupation > 0) & eligible)
    return np.union1d(hits, related).astype(np.int64)


def _normalised(values: FloatArray) -> FloatArray:
    best = float(values.max(initial=0.0))
    return values / best if best > 0 else np.zeros_like(values)


def _salary_fit(low: IntArray, top: IntArray, minimum: IntArray) -> FloatArray:
    """Salary part per pair: ``minimum`` -1 means none asked; ``top`` -1 means no amount stated."""
    return np.select(
        [minimum < 0, top < 0, low >= minimum],
        [SALARY_FIT_FULL, SALARY_FIT_UNSTATED, SALARY_FIT_FULL],
        default=SALARY_FIT_UPPER_ONLY,
    ).astype(np.float64)


def _order(rows: IntArray, score: FloatArray, keys: IntArray) -> IntArray:
    """Positions into ``rows``: best score first, ties by ``keys`` (the row, or the posting id's rank)."""
    return np.lexsort((keys[rows], -score)).astype(np.int64)


# --- jobs for a seeker ----------------------------------------------------------------------------


def ranked_jobs(
    seeker: Seeker,
    index: PostingLookups,
    today: dt.date,
    *,
    exclude: Collection[str] = (),
    code_title: TitleCoder | None = classify_title,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Iterator[JobMatch]:
    """Every candidate job for ``seeker`` on ``today``, best first (lazily explained); none fails a hard filter."""
    eligible = index.eligible(seeker, today, exclude)
    if not eligible.any():
        return
    query = seeker_query(seeker)
    text = index.text.scores(query)
    codes, inferred = _seeker_codes(seeker, code_title)
    occupation = np.zeros(len(index), dtype=np.float64)
    same, group = index.occupation_rows(codes)
    occupation[group] = OCCUPATION_GROUP_CREDIT
    occupation[same] = 1.0
    keys = index.tie_keys()
    rows = _candidates(text, occupation, eligible, keys)
    if rows.size == 0:
        return
    person = skill_profile(seeker.skills, seeker.text)
    counts = index.skill_matches(person)[rows]
    listed = index.skill_count[rows]
    minimum = np.full(rows.size, -1 if seeker.salary_min is None else seeker.salary_min, dtype=np.int64)
    opened = index.open_from[rows]
    age = today.toordinal() - opened
    parts = {
        "text": _normalised(text[rows]),
        "occupation": occupation[rows],
        "skills": np.where(listed > 0, counts / np.maximum(listed, 1), 0.0),
        "salary": _salary_fit(index.pay_low[rows], index.pay_top[rows], minimum),
        "recency": np.where(opened > 0, 0.5 ** (age / RECENCY_HALF_LIFE_DAYS), RECENCY_UNKNOWN),
    }
    weight = {
        "text": weights.text,
        "occupation": weights.occupation,
        "skills": weights.skills,
        "salary": weights.salary,
        "recency": weights.recency,
    }
    score = sum((weight[name] * values for name, values in parts.items()), np.zeros(rows.size))
    note = "（求职意向职业由标题自动归类）" if inferred and codes else ""
    for position in _order(rows, score, keys):
        posting = index.postings[int(rows[position])]
        if posting is None:  # a row replaced or dropped in a resident index is never eligible
            continue
        verdicts = check_all(posting, seeker, today)
        if not all(v.passed for v in verdicts):  # the mask and the checks agree; this is the guarantee
            continue
        occupation_value, occupation_text = _occupation_text(posting.occupation_code, codes, note)
        matched, missing = _skills(posting, person)
        values = {name: float(values[position]) for name, values in parts.items()}
        words = {*tokens(posting.title), *tokens(posting.description), *(normalise_skill(s) for s in posting.skills)}
        words.update(tokens(" ".join(posting.skills)))
        if posting.open_on is not None:
            recency = f"岗位于{cn_date(posting.open_on)}开始招聘，距今{(today - posting.open_on).days}天"
        else:
            recency = f"岗位未写开始日期，按{RECENCY_HALF_LIFE_DAYS}天前计"
        salary_note = _salary_note(posting, seeker.salary_min, values["salary"])
        explained = (
            ScorePart("text", "关键词", values["text"], weights.text, _text_note(query, words)),
            ScorePart("occupation", "职业匹配", occupation_value, weights.occupation, occupation_text),
            ScorePart("skills", "技能重合", values["skills"], weights.skills, _skills_note(matched, missing)),
            ScorePart("salary", "薪资契合", values["salary"], weights.salary, salary_note),
            ScorePart("recency", "发布时间", values["recency"], weights.recency, recency),
        )
        explanation = Explanation(matched, missing, occupation_text, verdicts, explained)
        yield JobMatch(posting, float(score[position]), explanation)


def recommend_jobs(
    seeker: Seeker,
    index: PostingLookups,
    today: dt.date,
    k: int = 10,
    *,
    exclude: Collection[str] = (),
    code_title: TitleCoder | None = classify_title,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[JobMatch]:
    """The ``k`` best open jobs for ``seeker`` on ``today`` that pass every hard filter, each explained in Chinese.

    ``exclude``: posting ids not to return (already applied for, already pushed).
    """
    if k <= 0:
        return []
    return list(islice(ranked_jobs(seeker, index, today, exclude=exclude, code_title=code_title, weights=weights), k))


# --- seekers for a job ----------------------------------------------------------------------------


def ranked_seekers(
    posting: Posting,
    index: SeekerIndex,
    today: dt.date,
    *,
    code_title: TitleCoder | None = classify_title,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Iterator[SeekerMatch]:
    """Every candidate seeker for ``posting`` on ``today``, best first; none fails a hard filter."""
    eligible = index.eligible(posting, today)
    if not eligible.any():
        return
    query = posting_query(posting)
    text = index.text.scores(query)
    code, inferred = _posting_code(posting, code_title)
    occupation = np.zeros(len(index), dtype=np.float64)
    if code is not None:
        same, group = index.occupation_rows(code)
        occupation[group] = OCCUPATION_GROUP_CREDIT
        occupation[same] = 1.0
    keys = np.arange(len(index), dtype=np.int64)
    rows = _candidates(text, occupation, eligible, keys)
    if rows.size == 0:
        return
    wanted = {normalise_skill(s) for s in posting.skills} - {""}
    counts = index.skill_matches(wanted)[rows]
    top = salary_top(posting)
    low = posting.salary.monthly_low if posting.salary is not None and top is not None else None
    parts = {
        "text": _normalised(text[rows]),
        "occupation": occupation[rows],
        "skills": counts / len(wanted) if wanted else np.zeros(rows.size),
        "salary": _salary_fit(
            np.full(rows.size, -1 if low is None else low, dtype=np.int64),
            np.full(rows.size, -1 if top is None else top, dtype=np.int64),
            index.pay_min[rows],
        ),
    }
    weight = {
        "text": weights.text,
        "occupation": weights.occupation,
        "skills": weights.skills,
        "salary": weights.salary,
    }
    score = sum((weight[name] * values for name, values in parts.items()), np.zeros(rows.size))
    note = "（岗位职业由标题自动归类）" if inferred and code else ""
    for position in _order(rows, score, keys):
        seeker = index.seekers[int(rows[position])]
        verdicts = check_all(posting, seeker, today)
        if not all(v.passed for v in verdicts):
            continue
        occupation_value, occupation_text = _occupation_text(code, seeker.occupation_codes, note)
        person = skill_profile(seeker.skills, seeker.text)
        matched, missing = _skills(posting, person)
        values = {name: float(values[position]) for name, values in parts.items()}
        words = set(person.tags | person.words) | set(tokens(" ".join(seeker.titles)))
        salary_note = _salary_note(posting, seeker.salary_min, values["salary"])
        explained = (
            ScorePart("text", "关键词", values["text"], weights.text, _text_note(query, words)),
            ScorePart("occupation", "职业匹配", occupation_value, weights.occupation, occupation_text),
            ScorePart("skills", "技能重合", values["skills"], weights.skills, _skills_note(matched, missing)),
            ScorePart("salary", "薪资契合", values["salary"], weights.salary, salary_note),
        )
        explanation = Explanation(matched, missing, occupation_text, verdicts, explained)
        yield SeekerMatch(seeker, float(score[position]), explanation)


def recommend_seekers(
    posting: Posting,
    seeker_index: SeekerIndex,
    today: dt.date,
    k: int = 10,
    *,
    code_title: TitleCoder | None = classify_title,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[SeekerMatch]:
    """The ``k`` best seekers for ``posting`` on ``today`` that pass every hard filter (none if the posting is
    closed that day), each explained in Chinese."""
    if k <= 0:
        return []
    return list(islice(ranked_seekers(posting, seeker_index, today, code_title=code_title, weights=weights), k))
