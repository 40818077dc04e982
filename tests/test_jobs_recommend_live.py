"""The live posting index ranks exactly as a ``PostingIndex`` built afresh, after any series of changes."""

from __future__ import annotations

import datetime as dt
import pickle
import random
from dataclasses import replace
from decimal import Decimal

import pytest

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import Education, EducationLevel, Experience, Salary
from jiuye.jobs.recommend import PostingIndex, push_targeted_jobs, recommend_jobs
from jiuye.jobs.recommend.live import LivePostingIndex
from jiuye.jobs.recommend.rank import TEXT_CANDIDATES
from recommend_cases import CODES, DAY, EMPLOYERS, POSTING_REGIONS, SEEKER_REGIONS, SKILLS, TITLES

DESCRIPTIONS = ("", "负责日常账务处理", "熟练使用Excel，能吃苦耐劳", "负责门店收银与客户服务", "会计 出纳 数据分析")


def _posting(rng: random.Random, i: int, *, revision: str = "") -> Posting:
    low = rng.randrange(2000, 9000, 500)
    opened = DAY + dt.timedelta(days=rng.randrange(-20, 5)) if rng.random() < 0.9 else None
    closed = DAY + dt.timedelta(days=rng.randrange(-2, 15)) if rng.random() < 0.7 else None
    return Posting(
        id=f"p{i:04d}",
        title=rng.choice(TITLES) + revision,
        employer=rng.choice(EMPLOYERS),
        skills=tuple(rng.sample(SKILLS, rng.randint(0, 3))),
        description=rng.choice(DESCRIPTIONS),
        occupation_code=rng.choice(CODES),
        region=rng.choice(POSTING_REGIONS[:-1]) if rng.random() < 0.95 else None,
        salary=Salary(Decimal(low), Decimal(low + 2000)) if rng.random() < 0.8 else None,
        experience=rng.choice((None, Experience(0, None), Experience(1, 3), Experience(0, 0, True))),
        education=rng.choice((None, Education(EducationLevel.BACHELOR, "本科"))),
        open_on=opened,
        close_on=closed,
    )


def _seekers(rng: random.Random) -> list[Seeker]:
    found = [
        Seeker(
            f"s{i}",
            titles=tuple(rng.sample(TITLES, rng.randint(0, 2))),
            skills=tuple(rng.sample(SKILLS, rng.randint(0, 3))),
            occupation_codes=tuple(rng.sample([c for c in CODES if c], rng.randint(0, 1))),
            regions=tuple(rng.sample(SEEKER_REGIONS, rng.randint(0, 2))),
            salary_min=rng.choice((None, 3000, 6000)),
            education=rng.choice(list(EducationLevel)),
            experience_years=rng.randint(0, 4),
            fresh_graduate=rng.random() < 0.5,
            text=rng.choice(("", "熟悉Excel，做过会计", "有C1驾驶证")),
        )
        for i in range(12)
    ]
    wide = Seeker("wide", titles=("会计",), text="负责会计出纳，做过数据分析，Excel", experience_years=9)
    found.append(replace(wide, education=EducationLevel.DOCTOR))
    return found


def _fresh(held: dict[str, Posting], day: dt.date) -> PostingIndex:
    """What the service rebuilt on each call: the postings open on the day, sorted by id."""
    open_now = [p for p in held.values() if (p.open_on or day) <= day <= (p.close_on or day)]
    return PostingIndex(sorted(open_now, key=lambda p: p.id))


def _ranked(index: PostingIndex | LivePostingIndex, seeker: Seeker, day: dt.date) -> list[tuple[str, float, str]]:
    found = recommend_jobs(seeker, index, day, k=TEXT_CANDIDATES + 50, exclude={"p0003"}, code_title=None)
    return [(m.posting.id, m.score, m.explanation.text()) for m in found]


def _assert_same(live: LivePostingIndex, held: dict[str, Posting], day: dt.date, seekers: list[Seeker]) -> None:
    fresh = _fresh(held, day)
    for seeker in seekers:
        assert _ranked(live, seeker, day) == _ranked(fresh, seeker, day), seeker.id
        mine = push_targeted_jobs(seeker, live, day, {"p0001"}, code_title=None)
        theirs = push_targeted_jobs(seeker, fresh, day, {"p0001"}, code_title=None)
        assert mine.posting_ids == theirs.posting_ids and mine.reason == theirs.reason


@pytest.mark.parametrize("seed", [1, 2])
def test_changes_rank_as_a_fresh_build(seed: int) -> None:
    rng = random.Random(seed)
    seekers = _seekers(rng)
    held = {p.id: p for p in (_posting(rng, i) for i in range(1000))}
    order = list(held.values())
    rng.shuffle(order)  # rows in any order: ties still go to the smaller id
    live = LivePostingIndex(order, on=DAY)
    _assert_same(live, held, DAY, seekers)
    # more than TEXT_CANDIDATES hits with equal text scores: the cut-off is taken by id in both
    assert int((live.text.scores(["负责"]) > 0).sum()) > TEXT_CANDIDATES

    added = [_posting(rng, i) for i in range(1000, 1120)]
    live.upsert(added)
    held.update((p.id, p) for p in added)
    edited = [replace(_posting(rng, int(i[1:]), revision="助理"), id=i) for i in rng.sample(sorted(held), 40)]
    live.upsert(edited)
    held.update((p.id, p) for p in edited)
    closed = rng.sample(sorted(held), 60)
    live.remove(closed)
    for i in closed:
        del held[i]
    _assert_same(live, held, DAY, seekers)

    later = DAY + dt.timedelta(days=4)  # some expire, some open
    _assert_same(live, held, later, seekers)
    gone = live.expired(later)
    assert gone and all(held[i].close_on is not None and held[i].close_on < later for i in gone)  # type: ignore[operator]
    live.remove(gone)
    for i in gone:
        del held[i]
    _assert_same(live, held, later, seekers)
    _assert_same(live, held, DAY, seekers)  # back again: the postings it still holds

    assert live.warm(10**6)  # scores computed ahead of the queries are the same
    _assert_same(live, held, DAY, seekers)
    live.compact()
    _assert_same(live, held, DAY, seekers)
    copy = pickle.loads(pickle.dumps(live))
    _assert_same(copy, held, DAY, seekers)


def test_removing_most_postings_compacts() -> None:
    rng = random.Random(3)
    held = {p.id: p for p in (_posting(rng, i) for i in range(3000))}
    live = LivePostingIndex(held.values(), on=DAY)
    dropped = sorted(held)[:2500]
    live.remove(dropped)
    for i in dropped:
        del held[i]
    assert len(live) < 3000 and live.live_count == 500  # the dead rows are gone
    _assert_same(live, held, DAY, _seekers(rng)[:4])


def test_empty_and_bad_region() -> None:
    live = LivePostingIndex(on=DAY)
    assert recommend_jobs(Seeker("s", titles=("会计",)), live, DAY) == []
    with pytest.raises(ValueError, match="行政区划"):
        live.upsert([Posting("bad", "会计", "甲", region="4501")])
    assert "bad" not in live and len(live) == 0


def test_a_field_without_words() -> None:
    jobs = [Posting("a", "会计", "甲", region="450103"), Posting("b", "出纳", "乙", region="450103")]
    live = LivePostingIndex(jobs[:1], on=DAY)  # no skills, no description: two fields without a word
    live.upsert(jobs[1:])
    seeker = Seeker("s", titles=("会计",), skills=("Excel",), text="负责账务")
    assert _ranked(live, seeker, DAY) == _ranked(PostingIndex(jobs), seeker, DAY)
