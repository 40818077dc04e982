"""Retrieval indexes: postings (to find jobs for a seeker) and seekers (to find people for a job).

Built once, queried many times, all in memory:

* **Words** — BM25 (``bm25s``) over three fields, tokenised by :mod:`.tokens`; a query's score is the
  weighted sum of the fields' scores. Postings: title, skills, description. Seekers: sought titles,
  skills, what they wrote.
* **Columns** — the hard-filter fields as numpy arrays (dates as day numbers, region codes as integers,
  levels, years, monthly pay), so that :meth:`PostingIndex.eligible` / :meth:`SeekerIndex.eligible`
  compute the pairs passing every check of :mod:`.filters` as one boolean mask, without a Python loop.
  The masks implement exactly the rules of :mod:`.filters` (the tests compare them pair by pair).
* **Inverted lists** — occupation code and 小类 → rows, skill → rows, for occupation matches and skill
  overlap.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Protocol

import bm25s  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.recommend.filters import accepts_any_place, required_education, salary_top
from jiuye.jobs.recommend.tokens import SkillProfile, normalise_skill, skill_atoms, skill_profile, tokens
from jiuye.regions import NATIONAL, prefix_of

__all__ = [
    "POSTING_FIELD_WEIGHTS",
    "SEEKER_FIELD_WEIGHTS",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "PostingIndex",
    "PostingLookups",
    "RowLists",
    "SeekerIndex",
    "TextScorer",
    "occupation_group",
    "posting_query",
    "seeker_query",
]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: BM25 weight of each posting field. The title says what the job is (weighted up); skill tags are what the
#: employer asks for; the description also carries benefits and boilerplate, so it counts half.
POSTING_FIELD_WEIGHTS = {"title": 2.0, "skills": 1.0, "description": 0.5}
#: The same for seekers: the jobs they seek, their skills, the rest of what they wrote.
SEEKER_FIELD_WEIGHTS = {"titles": 2.0, "skills": 1.0, "text": 0.5}

_REGION_RE = re.compile(r"^\d{6}$")
#: Day number for "no end date" (later than any real date).
_NO_END = dt.date.max.toordinal()


def occupation_group(code: str) -> str:
    """The 小类 a 大典 code belongs to (the same rule as ``Occupation.group``).

    >>> occupation_group("2-02-30-09"), occupation_group("2-06-03-00"), occupation_group("2-06-00-00")
    ('2-02-30-00', '2-06-03-00', '2-06-00-00')
    """
    return code[:7] + "-00" if code[5:7] != "00" else code


def posting_query(posting: Posting) -> list[str]:
    """Query tokens describing a posting (to search seekers): title, skills, description."""
    return _unique(
        [*tokens(posting.title), *_skill_tokens(posting.skills), *tokens(posting.description)],
    )


def seeker_query(seeker: Seeker) -> list[str]:
    """Query tokens describing a seeker (to search postings): sought titles, skills, what they wrote."""
    return _unique([*tokens(" ".join(seeker.titles)), *_skill_tokens(seeker.skills), *tokens(seeker.text)])


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(w for w in words if w))


def _skill_tokens(skills: Sequence[str]) -> list[str]:
    """The words of the skill tags, and each whole tag (so that ``c++`` or ``office办公软件`` match as written)."""
    return [*tokens(" ".join(skills)), *(normalise_skill(s) for s in skills)]


def _region_number(code: str | None, owner: str) -> int:
    if code is None:
        return -1
    if not _REGION_RE.match(code):
        raise ValueError(f"{owner}的地区代码 {code!r} 不是6位行政区划代码（GB/T 2260）")
    return int(code)


class _Field:
    """BM25 over one field.

    Every query word is scored, however common: pruning words found in most documents was tried and hurt
    narrow corpora (in one trade nearly every title says 数据分析), and a query over 100,000 postings takes
    a few milliseconds without it (``benchmarks/job_matching.py``).
    """

    def __init__(self, documents: list[list[str]]) -> None:
        self.bm25: bm25s.BM25 | None = None
        if any(documents):  # bm25s cannot index a corpus without a single word
            self.bm25 = bm25s.BM25()
            self.bm25.index(documents, show_progress=False)

    def scores(self, query: Sequence[str]) -> FloatArray | None:
        """BM25 of every document for the query (``None`` when no query word is in this field)."""
        if self.bm25 is None:
            return None
        vocabulary = self.bm25.vocab_dict
        ids = [vocabulary[t] for t in query if t in vocabulary]
        if not ids:
            return None
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float64)


class RowLists(Protocol):
    """Key → rows: what ranking reads of an inverted list."""

    def rows(self, key: str) -> IntArray: ...

    def __contains__(self, key: object) -> bool: ...

    def __iter__(self) -> Iterator[str]: ...


class TextScorer(Protocol):
    """The weighted BM25 score of every row for a query."""

    def scores(self, query: Sequence[str]) -> FloatArray: ...


class _Inverted:
    """Key → the rows that have it (each row listed once per key)."""

    def __init__(self, keys_per_row: Iterable[Iterable[str]]) -> None:
        lists: dict[str, list[int]] = {}
        for row, keys in enumerate(keys_per_row):
            for key in set(keys):
                lists.setdefault(key, []).append(row)
        self._rows = {key: np.asarray(rows, dtype=np.int64) for key, rows in lists.items()}

    def rows(self, key: str) -> IntArray:
        return self._rows.get(key, np.empty(0, dtype=np.int64))

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)


class _Text:
    """The weighted BM25 fields of one index."""

    def __init__(self, fields: dict[str, list[list[str]]], weights: dict[str, float], size: int) -> None:
        self.size = size
        self.weights = weights
        self.fields = {name: _Field(docs) for name, docs in fields.items()}

    def scores(self, query: Sequence[str]) -> FloatArray:
        total = np.zeros(self.size, dtype=np.float64)
        for name, field in self.fields.items():
            scores = field.scores(query)
            if scores is not None:
                total += self.weights[name] * scores
        return total


class PostingLookups:
    """The queries ranking makes of a posting index, over its columns and inverted lists.

    Shared by :class:`PostingIndex` (built once) and :class:`.live.LivePostingIndex` (updated in place), so that
    both apply exactly the same rules. A subclass provides the columns, ``position``, the inverted lists,
    ``_atoms``, ``_tags_by_word`` and ``__len__``.
    """

    postings: Sequence[Posting | None]
    position: dict[str, int]
    text: TextScorer
    open_from: IntArray
    open_to: IntArray
    region: IntArray
    education: IntArray
    min_years: IntArray
    for_graduates: BoolArray
    pay_top: IntArray
    pay_low: IntArray
    skill_count: IntArray
    occupations: RowLists
    groups: RowLists
    skills: RowLists
    _atoms: dict[str, frozenset[str]]
    _tags_by_word: dict[str, list[str]]

    def __len__(self) -> int:
        raise NotImplementedError

    def tie_keys(self) -> IntArray:
        """Per row, the key that orders equal scores (smaller first)."""
        raise NotImplementedError

    def eligible(self, seeker: Seeker, on: dt.date, exclude: Collection[str] = ()) -> BoolArray:
        """Postings passing every hard filter for ``seeker`` on ``on`` (:func:`.filters.passes`), minus ``exclude``."""
        day = on.toordinal()
        mask = (self.open_from <= day) & (day <= self.open_to)
        mask &= self.education <= int(seeker.education)
        mask &= (self.min_years <= seeker.experience_years) | (self.for_graduates & seeker.fresh_graduate)
        if seeker.salary_min is not None:
            mask &= (self.pay_top < 0) | (self.pay_top >= seeker.salary_min)
        if not accepts_any_place(seeker):
            place = np.zeros(len(self), dtype=bool)
            for code in seeker.regions:
                _region_number(code, f"求职者 {seeker.id} ")
                prefix = prefix_of(code)
                if len(prefix) == 2:
                    place |= self.region // 10000 == int(prefix)
                elif len(prefix) == 4:
                    place |= self.region // 100 == int(prefix)
                else:
                    place |= self.region == int(prefix)
            mask &= place
        for posting_id in exclude:
            row = self.position.get(posting_id)
            if row is not None:
                mask[row] = False
        return mask

    def occupation_rows(self, codes: Collection[str]) -> tuple[IntArray, IntArray]:
        """Rows whose occupation is one of ``codes`` (same 细类), and rows in the same 小类 as one of them."""
        same = _union(self.occupations.rows(c) for c in codes)
        group = _union(self.groups.rows(occupation_group(c)) for c in codes)
        return same, group

    def skill_matches(self, person: SkillProfile) -> IntArray:
        """For every posting, how many of its skill tags the person has (:meth:`.tokens.SkillProfile.has`)."""
        have = {tag for tag in person.tags if tag in self.skills}
        for unit in person.units:
            for word in unit:
                for tag in self._tags_by_word.get(word, ()):
                    if tag not in have and self._atoms[tag] <= unit:
                        have.add(tag)
        counts = np.zeros(len(self), dtype=np.int64)
        for tag in have:
            counts[self.skills.rows(tag)] += 1
        return counts


class PostingIndex(PostingLookups):
    """Postings for job recommendations: BM25 fields, hard-filter columns, occupation and skill lists."""

    def __init__(self, postings: Iterable[Posting]) -> None:
        started = time.perf_counter()
        self.postings: tuple[Posting, ...] = tuple(postings)
        n = len(self.postings)
        self.position: dict[str, int] = {}
        for i, p in enumerate(self.postings):
            if p.id in self.position:
                raise ValueError(f"岗位编号 {p.id!r} 重复：同一索引中每个岗位的编号应唯一")
            self.position[p.id] = i
        self.text = _Text(
            {
                "title": [tokens(p.title) for p in self.postings],
                "skills": [_skill_tokens(p.skills) for p in self.postings],
                "description": [tokens(p.description) for p in self.postings],
            },
            POSTING_FIELD_WEIGHTS,
            n,
        )
        ps = self.postings
        self.open_from = np.array([p.open_on.toordinal() if p.open_on else 0 for p in ps], dtype=np.int64)
        self.open_to = np.array([p.close_on.toordinal() if p.close_on else _NO_END for p in ps], dtype=np.int64)
        self.region = np.array([_region_number(p.region, f"岗位 {p.id} ") for p in ps], dtype=np.int64)
        self.education = np.array([int(required_education(p)) for p in ps], dtype=np.int64)
        self.min_years = np.array([p.experience.min_years if p.experience else 0 for p in ps], dtype=np.int64)
        self.for_graduates = np.array([bool(p.experience and p.experience.for_fresh_graduates) for p in ps], bool)
        #: Monthly amount compared with a seeker's minimum; -1 when no amount is stated (面议, blank).
        self.pay_top = np.array([_or_minus(salary_top(p)) for p in ps], dtype=np.int64)
        #: Monthly lower end; -1 when not stated.
        self.pay_low = np.array(
            [_or_minus(p.salary.monthly_low if p.salary and not p.salary.negotiable else None) for p in ps],
            dtype=np.int64,
        )
        self.occupations = _Inverted([p.occupation_code] if p.occupation_code else [] for p in ps)
        self.groups = _Inverted([occupation_group(p.occupation_code)] if p.occupation_code else [] for p in ps)
        skills = [{normalise_skill(s) for s in p.skills} - {""} for p in ps]
        #: Distinct skill tags per posting.
        self.skill_count = np.array([len(s) for s in skills], dtype=np.int64)
        self.skills = _Inverted(skills)
        #: Each distinct tag's smallest words, and word → the tags containing it (to match a person's words).
        self._atoms = {tag: skill_atoms(tag) for tag in self.skills}
        self._tags_by_word: dict[str, list[str]] = {}
        for tag, atoms in self._atoms.items():
            for atom in atoms:
                self._tags_by_word.setdefault(atom, []).append(tag)
        #: Seconds spent building the index.
        self.build_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self.postings)

    def tie_keys(self) -> IntArray:
        """Equal scores go to the earlier row."""
        return np.arange(len(self.postings), dtype=np.int64)


class SeekerIndex:
    """Seekers for finding people for a job: BM25 fields, hard-filter columns, occupation and skill lists."""

    def __init__(self, seekers: Iterable[Seeker]) -> None:
        started = time.perf_counter()
        self.seekers: tuple[Seeker, ...] = tuple(seekers)
        n = len(self.seekers)
        seen: set[str] = set()
        for s in self.seekers:
            if s.id in seen:
                raise ValueError(f"求职者编号 {s.id!r} 重复：同一索引中每位求职者的编号应唯一")
            seen.add(s.id)
            for code in s.regions:
                _region_number(code, f"求职者 {s.id} ")
        ss = self.seekers
        self.text = _Text(
            {
                "titles": [tokens(" ".join(s.titles)) for s in ss],
                "skills": [_skill_tokens(s.skills) for s in ss],
                "text": [tokens(s.text) for s in ss],
            },
            SEEKER_FIELD_WEIGHTS,
            n,
        )
        self.education = np.array([int(s.education) for s in ss], dtype=np.int64)
        self.years = np.array([s.experience_years for s in ss], dtype=np.int64)
        self.fresh = np.array([s.fresh_graduate for s in ss], dtype=bool)
        #: Lowest acceptable monthly pay; -1 when the seeker states none.
        self.pay_min = np.array([_or_minus(s.salary_min) for s in ss], dtype=np.int64)
        self.any_place = np.array([accepts_any_place(s) for s in ss], dtype=bool)
        self.regions = _Inverted(s.regions for s in ss)
        self.occupations = _Inverted(s.occupation_codes for s in ss)
        self.groups = _Inverted((occupation_group(c) for c in s.occupation_codes) for s in ss)
        profiles = [skill_profile(s.skills, s.text) for s in ss]
        #: Normalised skill tags → seekers.
        self.skill_tags = _Inverted(p.tags for p in profiles)
        #: Clauses of the seekers' text (see :class:`.tokens.SkillProfile`): word → clauses, clause → seeker.
        units = [unit for p in profiles for unit in p.units]
        self.unit_words = _Inverted(units)
        self.unit_owner = np.array([row for row, p in enumerate(profiles) for _ in p.units], dtype=np.int64)
        self.build_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self.seekers)

    def eligible(self, posting: Posting, on: dt.date) -> BoolArray:
        """Seekers passing every hard filter with ``posting`` on ``on`` (:func:`.filters.passes`)."""
        if not posting.is_open(on):
            return np.zeros(len(self), dtype=bool)
        mask: BoolArray = self.education >= int(required_education(posting))
        if posting.experience is not None:
            years = self.years >= posting.experience.min_years
            if posting.experience.for_fresh_graduates:
                years |= self.fresh
            mask &= years
        top = salary_top(posting)
        if top is not None:
            mask &= (self.pay_min < 0) | (self.pay_min <= top)
        place: BoolArray = self.any_place.copy()
        if posting.region is not None:
            region = posting.region
            _region_number(region, f"岗位 {posting.id} ")
            # The codes that contain ``region``: itself, its city, its province, and the whole country.
            for code in {region, region[:4] + "00", region[:2] + "0000", NATIONAL}:
                place[self.regions.rows(code)] = True
        return mask & place

    def occupation_rows(self, code: str) -> tuple[IntArray, IntArray]:
        """Seekers seeking this occupation (same 细类), and seekers seeking one in its 小类."""
        return self.occupations.rows(code), self.groups.rows(occupation_group(code))

    def skill_matches(self, skills: Collection[str]) -> IntArray:
        """For every seeker, how many of the (normalised, distinct) posting ``skills`` they have
        (:meth:`.tokens.SkillProfile.has`: the tag listed, or all its smallest words in one clause of the text)."""
        counts = np.zeros(len(self), dtype=np.int64)
        for skill in skills:
            have = self.skill_tags.rows(skill)
            atoms = skill_atoms(skill)
            if atoms:
                found = [self.unit_words.rows(a) for a in atoms]
                units = functools.reduce(np.intersect1d, found[1:], found[0])
                have = np.union1d(have, self.unit_owner[units])
            counts[have] += 1
        return counts


def _or_minus(value: int | None) -> int:
    return -1 if value is None else value


def _union(arrays: Iterable[IntArray]) -> IntArray:
    parts = [a for a in arrays if a.size]
    if not parts:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(parts))
