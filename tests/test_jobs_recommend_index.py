"""Retrieval index and tokenisation: dictionary words, skill matching, field weights, columns."""

from __future__ import annotations

import numpy as np

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import parse_salary
from jiuye.jobs.recommend.index import PostingIndex, SeekerIndex, occupation_group, seeker_query
from jiuye.jobs.recommend.tokens import normalise_skill, skill_atoms, skill_profile, tokens
from recommend_cases import DAY


def test_tokens_know_occupation_words() -> None:
    assert "调饮师" in tokens("奶茶店调饮师")  # a 大典 name is one word
    assert tokens("  ") == []
    assert tokens("Ｐｙｔｈｏｎ开发")[0] == "python"
    assert normalise_skill("Office  办公软件") == "office 办公软件"


def test_skill_matched_from_own_words() -> None:
    person = skill_profile(["Excel", "数据分析", "用户运营"], "熟悉税务申报，持有C1驾驶证")
    assert person.has("EXCEL") and person.has("税务申报") and person.has("驾驶证C1")
    assert not person.has("SQL")
    assert not person.has("运营")  # tags are compared whole
    assert not skill_profile([], "做过数据分析，负责用户运营").has("数据运营")  # words of one clause only
    assert skill_profile([], "负责数据运营工作").has("数据运营")
    assert skill_atoms("c++") == frozenset({"c++"})


def test_title_weighs_more_than_description() -> None:
    jobs = [
        Posting("desc", "文员", "甲", description="协助会计整理票据"),
        Posting("title", "会计", "乙", description="整理票据"),
    ]
    index = PostingIndex(jobs)
    scores = index.text.scores(seeker_query(Seeker("s", titles=("会计",))))
    assert scores[1] > scores[0] > 0


def test_columns_and_exclusion() -> None:
    jobs = [
        Posting("a", "会计", "甲", region="450103", salary=parse_salary("面议")),
        Posting("b", "会计", "乙", region="450203", salary=parse_salary("3000以下")),
    ]
    index = PostingIndex(jobs)
    assert index.pay_top.tolist() == [-1, 3000]
    seeker = Seeker("s", regions=("450000",), salary_min=2000)
    assert index.eligible(seeker, DAY).tolist() == [True, True]
    assert index.eligible(seeker, DAY, exclude={"a", "unknown"}).tolist() == [False, True]


def test_empty_fields_and_indexes() -> None:
    index = PostingIndex([Posting("a", "", "甲")])  # no words at all: no BM25 field, still searchable
    assert index.text.scores(["会计"]).tolist() == [0.0]
    empty = SeekerIndex([])
    assert len(empty) == 0 and empty.eligible(Posting("p", "会计", "甲"), DAY).size == 0


def test_seeker_skill_matches_use_words() -> None:
    people = [Seeker("a", skills=("Excel",)), Seeker("b", text="会用excel，熟悉税务申报"), Seeker("c")]
    index = SeekerIndex(people)
    assert np.array_equal(index.skill_matches({"excel", "税务申报"}), [1, 2, 0])


def test_occupation_group() -> None:
    assert occupation_group("4-03-02-10") == "4-03-02-00"
