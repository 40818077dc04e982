"""One vacancy posted on several channels (or twice on one) → one cluster with a canonical posting.

Two postings are the same vacancy when all of these hold (:func:`same_vacancy`):

* **employer** — the same unified social credit code when both have one (two codes differ: two
  employers, even under one name, e.g. two branches); otherwise the same normalised name
  (:func:`employer_key`: width, case, spaces, bracketed parts and the legal form 有限公司 / 有限责任公司 /
  股份 removed);
* **title** — the same normalised title (:func:`title_key`: the occupation part that
  :func:`~jiuye.jobs.occupations.titles.normalise_title` keeps, plus its side remarks, so 销售代表（急聘）
  and 销售代表 agree while 策略专员-账号 and 策略专员-内容 do not);
* **place** — the same region, or one containing the other (北京 contains 北京-海淀区); a posting without
  a region only matches another without one;
* **pay** — the monthly ranges overlap; a posting without a salary, or 面议, matches any.

Blocking keeps this fast: postings are grouped by employer (names linked by a shared credit code), then
title, then province, and only postings inside one group are compared. Inside a group, postings join
clusters greedily (most complete first) and a posting joins a cluster only if it matches *every* member,
so matching does not chain (北京-海淀区 and 北京-朝阳区 both match 北京 but stay apart).

The canonical posting of a cluster is its most complete member (ties: earliest open date, then id),
with blank fields filled from the other members, the most specific region, all skills and directions,
the earliest open date and the latest stated close date; :attr:`Cluster.sources` records every channel
and id the vacancy came from.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jiuye.jobs.model import Posting
from jiuye.jobs.parsing import Salary
from jiuye.regions import contains

__all__ = ["Cluster", "completeness", "deduplicate", "employer_key", "same_vacancy", "title_key"]

_BRACKETS = re.compile(r"[(（\[【〔][^)）\]】〕]*[)）\]】〕]")
#: Legal-form words, longest first (有限责任公司 before 有限公司). Assumption: the same employer writes its
#: name with or without them and with or without a bracketed place (腾讯科技（北京）有限公司).
_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份")
_NOISE = re.compile(r"[\s·•.,，、\-—_/|]+")


@dataclass(frozen=True, slots=True)
class Cluster:
    """One vacancy: its canonical posting and every posting merged into it (the canonical's own first)."""

    canonical: Posting
    members: tuple[Posting, ...]

    @property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """(channel, the channel's id — or the posting id when the channel gave none) of every member."""
        return tuple((p.channel, p.channel_id or p.id) for p in self.members)

    @property
    def channels(self) -> frozenset[str]:
        return frozenset(p.channel for p in self.members)

    def __len__(self) -> int:
        return len(self.members)


@functools.lru_cache(maxsize=1 << 16)
def employer_key(name: str) -> str:
    """The employer's name as compared: no brackets, legal form, spaces or punctuation, lower case.

    >>> employer_key("腾讯科技（北京）有限公司"), employer_key("腾讯科技有限责任公司"), employer_key("腾讯科技 股份")
    ('腾讯科技', '腾讯科技', '腾讯科技')
    """
    text = unicodedata.normalize("NFKC", name).lower()
    text = _BRACKETS.sub("", text)
    text = _NOISE.sub("", text)
    for form in _LEGAL_FORMS:
        text = text.replace(form, "")
    return text or _NOISE.sub("", unicodedata.normalize("NFKC", name).lower())


@functools.lru_cache(maxsize=1 << 16)
def title_key(title: str) -> str:
    """The title as compared: the occupation part of the normalised title, with its side remarks.

    >>> title_key("销售代表（急聘）") == title_key("销售代表 ") == title_key("【南宁】销售代表 6-8K")
    True
    """
    from jiuye.jobs.occupations.titles import normalise_title

    norm = normalise_title(title)
    key = "|".join([norm.text, *sorted(norm.extras)])
    return key if norm.text else _NOISE.sub("", unicodedata.normalize("NFKC", title).lower())


def _salary_overlaps(a: Salary | None, b: Salary | None) -> bool:
    if a is None or b is None or a.negotiable or b.negotiable:
        return True
    a_low, a_high = a.monthly_low or 0, a.monthly_high
    b_low, b_high = b.monthly_low or 0, b.monthly_high
    return (a_high is None or b_low <= a_high) and (b_high is None or a_low <= b_high)


def _regions_nest(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return contains(a, b) or contains(b, a)


def _same_employer(a: Posting, b: Posting) -> bool:
    if a.employer_uscc and b.employer_uscc:
        return a.employer_uscc == b.employer_uscc
    return employer_key(a.employer) == employer_key(b.employer)


def same_vacancy(a: Posting, b: Posting) -> bool:
    """The pairwise rule: same employer, same normalised title, nested regions, overlapping pay."""
    return (
        _same_employer(a, b)
        and title_key(a.title) == title_key(b.title)
        and _regions_nest(a.region, b.region)
        and _salary_overlaps(a.salary, b.salary)
    )


def _region_depth(code: str | None) -> int:
    """0 unknown, 1 province, 2 prefecture, 3 county: how specific a region code is."""
    if code is None:
        return 0
    if code.endswith("0000"):
        return 1
    return 2 if code.endswith("00") else 3


def completeness(p: Posting) -> int:
    """How many of a posting's optional facts are stated (a county counts more than a city)."""
    stated = [
        p.employer_uscc,
        p.description,
        p.skills,
        p.occupation_code,
        p.salary is not None and not p.salary.negotiable,
        p.experience,
        p.education,
        p.headcount,
        p.open_on,
        p.close_on,
    ]
    return sum(1 for s in stated if s) + _region_depth(p.region)


def _order(p: Posting) -> tuple[int, str, str]:
    return (-completeness(p), p.open_on.isoformat() if p.open_on else "9999", p.id)


def _canonical(members: Sequence[Posting]) -> Posting:
    """The first (most complete) member, its blank fields filled from the others in order."""
    base = members[0]
    changes: dict[str, object] = {}
    for name in ("employer_uscc", "description", "occupation_code", "salary", "experience", "education", "headcount"):
        if not getattr(base, name):
            filled = next((getattr(m, name) for m in members[1:] if getattr(m, name)), None)
            if filled:
                changes[name] = filled
    if base.salary is not None and base.salary.negotiable:
        stated = next((m.salary for m in members if m.salary is not None and not m.salary.negotiable), None)
        if stated is not None:
            changes["salary"] = stated
    finest = max(members, key=lambda m: _region_depth(m.region))  # stable: the first of the finest
    if _region_depth(finest.region) > _region_depth(base.region):
        changes["region"], changes["place"] = finest.region, finest.place
    changes["skills"] = tuple(dict.fromkeys(s for m in members for s in m.skills))
    changes["directions"] = tuple(sorted({d for m in members for d in m.directions}))
    opens = [m.open_on for m in members if m.open_on is not None]
    closes = [m.close_on for m in members if m.close_on is not None]
    changes["open_on"] = min(opens, default=None)
    changes["close_on"] = max(closes, default=None)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


class _Employers:
    """Union-find over employer name keys, joined by a shared credit code."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while (up := self.parent.setdefault(root, root)) != root:
            root = up
        while key != root:  # path compression
            key, self.parent[key] = self.parent[key], root
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _blocks(postings: Sequence[Posting]) -> list[list[Posting]]:
    employers = _Employers()
    by_code: dict[str, str] = {}
    for p in postings:
        key = employer_key(p.employer)
        employers.find(key)
        if p.employer_uscc:
            employers.union(by_code.setdefault(p.employer_uscc, key), key)
    blocks: dict[tuple[str, str, str], list[Posting]] = defaultdict(list)
    for p in postings:
        province = p.region[:2] if p.region else ""
        blocks[(employers.find(employer_key(p.employer)), title_key(p.title), province)].append(p)
    return list(blocks.values())


def deduplicate(postings: Iterable[Posting], *, within_channel: bool = True) -> list[Cluster]:
    """Cluster postings of the same vacancy; every posting is in exactly one cluster.

    ``within_channel=False`` never merges two postings of one channel (a board that lists a vacancy twice
    keeps both), so that only the same vacancy on several channels is merged. Clusters come in the order
    of their first posting in the input.
    """
    items = list(postings)
    position = {id(p): i for i, p in enumerate(items)}
    clusters: list[list[Posting]] = []
    for block in _blocks(items):
        formed: list[list[Posting]] = []
        for p in sorted(block, key=_order):
            for cluster in formed:
                if all(same_vacancy(p, m) for m in cluster) and (
                    within_channel or all(m.channel != p.channel for m in cluster)
                ):
                    cluster.append(p)
                    break
            else:
                formed.append([p])
        clusters.extend(formed)
    clusters.sort(key=lambda c: min(position[id(p)] for p in c))
    return [Cluster(_canonical(c), tuple(c)) for c in clusters]
