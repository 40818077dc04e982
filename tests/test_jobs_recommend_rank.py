"""Two-way recommendations: hand-written postings and seekers, Chinese explanations, and a property test that
no recommendation in either direction breaks a hard constraint."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import EducationLevel, parse_education, parse_experience, parse_salary
from jiuye.jobs.recommend import Explanation, PostingIndex, SeekerIndex, recommend_jobs, recommend_seekers
from jiuye.jobs.recommend.rank import (
    OCCUPATION_GROUP_CREDIT,
    WEIGHT_OCCUPATION,
    WEIGHT_RECENCY,
    WEIGHT_SALARY,
    WEIGHT_SKILLS,
    WEIGHT_TEXT,
    Weights,
    ranked_jobs,
)
from recommend_cases import DAY, violations, worlds

HAN = re.compile(r"[\u4e00-\u9fff]")
YESTERDAY = DAY - dt.timedelta(days=1)


def accountant_job(pid: str, **fields: object) -> Posting:
    base: dict[str, object] = {
        "title": "会计",
        "employer": f"{pid}单位",
        "skills": ("Excel", "用友", "税务申报"),
        "description": "负责日常账务处理和纳税申报",
        "occupation_code": "2-06-03-00",
        "region": "450103",
        "salary": parse_salary("4-6千/月"),
        "education": parse_education("大专及以上"),
        "experience": parse_experience("1-3年"),
        "open_on": DAY - dt.timedelta(days=3),
    }
    base.update(fields)
    return Posting(pid, **base)  # type: ignore[arg-type]


JOBS = [
    accountant_job("good"),
    accountant_job("far", region="450203"),  # 柳州: outside the seeker's 南宁
    accountant_job("degree", education=parse_education("本科")),
    accountant_job("low-pay", salary=parse_salary("2-3千/月")),
    accountant_job("closed", close_on=YESTERDAY),
    accountant_job("last-day", close_on=DAY, skills=("Excel",)),
    accountant_job("nowhere", region=None),
    accountant_job("negotiable", salary=parse_salary("面议"), title="出纳", skills=("点钞",)),
    accountant_job(
        "guard",
        title="保安员",
        skills=("消防设施操作",),
        description="负责门岗值守",
        occupation_code="4-07-05-01",
    ),
]
SEEKER = Seeker(
    "s1",
    titles=("会计",),
    skills=("Excel", "用友", "出纳"),
    occupation_codes=("2-06-03-00",),
    regions=("450100",),
    salary_min=4000,
    education=EducationLevel.ASSOCIATE,
    experience_years=1,
    text="熟悉税务申报",
)


@pytest.fixture(scope="module")
def index() -> PostingIndex:
    return PostingIndex(JOBS)


def test_only_jobs_passing_every_hard_filter(index: PostingIndex) -> None:
    found = recommend_jobs(SEEKER, index, DAY, k=20)
    ids = [m.posting.id for m in found]
    assert set(ids) == {"good", "last-day", "negotiable"}  # the guard job shares no word or occupation
    assert ids[0] == "good"  # same occupation, every skill, whole pay range above the minimum


def test_explanation_in_chinese(index: PostingIndex) -> None:
    best = recommend_jobs(SEEKER, index, DAY, k=1)[0]
    e = best.explanation
    assert e.matched_skills == ("Excel", "用友", "税务申报")  # 税务申报 comes from what the seeker wrote
    assert e.missing_skills == ()
    assert e.occupation.startswith("同一职业细类：2-06-03-00 会计专业人员")
    assert all(v.passed for v in e.verdicts) and len(e.verdicts) == 5
    assert [p.name for p in e.parts] == ["text", "occupation", "skills", "salary", "recency"]
    assert best.score == pytest.approx(e.score)
    for part in e.parts:
        assert HAN.search(part.label) and HAN.search(part.note)
    assert "南宁" in e.text() and "综合得分" in e.text()


def test_missing_skills_and_negotiable_note(index: PostingIndex) -> None:
    found = {m.posting.id: m for m in recommend_jobs(SEEKER, index, DAY, k=10)}
    cashier = found["negotiable"].explanation
    assert cashier.missing_skills == ("点钞",)
    salary = next(v for v in cashier.verdicts if v.check == "salary")
    assert salary.passed and "面议" in salary.reason and "确认" in salary.reason


def test_weights_are_documented_constants() -> None:
    total = WEIGHT_TEXT + WEIGHT_OCCUPATION + WEIGHT_SKILLS + WEIGHT_SALARY + WEIGHT_RECENCY
    assert total == pytest.approx(1.0)
    assert 0 < OCCUPATION_GROUP_CREDIT < 1


def test_same_group_counts_half(index: PostingIndex) -> None:
    jobs = [
        accountant_job("software", title="软件开发", occupation_code="2-02-10-03", skills=(), description=""),
        accountant_job("network", title="网络运维", occupation_code="2-02-10-04", skills=(), description=""),
    ]
    seeker = Seeker(
        "s2",
        titles=("程序员",),
        occupation_codes=("2-02-10-03",),
        regions=("450100",),
        education=EducationLevel.BACHELOR,
        experience_years=2,
    )
    found = recommend_jobs(seeker, PostingIndex(jobs), DAY, code_title=None)
    assert [m.posting.id for m in found] == ["software", "network"]
    network = found[1].explanation
    assert network.occupation.startswith("同一职业小类（2-02-10-00 信息和通信工程技术人员）")
    occupation = next(p for p in network.parts if p.name == "occupation")
    assert occupation.value == OCCUPATION_GROUP_CREDIT


def test_title_is_classified_when_the_seeker_has_no_code(index: PostingIndex) -> None:
    seeker = Seeker("s3", titles=("出纳",), regions=("450100",), education=EducationLevel.BACHELOR, experience_years=2)
    found = recommend_jobs(seeker, index, DAY, k=3, code_title=lambda title: "2-06-03-00")
    assert found and "由标题自动归类" in found[0].explanation.occupation


def test_exclude_and_k(index: PostingIndex) -> None:
    assert recommend_jobs(SEEKER, index, DAY, k=0) == []
    found = recommend_jobs(SEEKER, index, DAY, exclude={"good"})
    assert "good" not in [m.posting.id for m in found]
    assert len(recommend_jobs(SEEKER, index, DAY, k=1)) == 1


def test_nothing_eligible() -> None:
    assert recommend_jobs(SEEKER, PostingIndex([]), DAY) == []
    assert list(ranked_jobs(SEEKER, PostingIndex([accountant_job("far", region="450203")]), DAY)) == []


def test_seekers_for_a_job() -> None:
    people = [
        SEEKER,
        Seeker("liuzhou", titles=("会计",), regions=("450200",), education=EducationLevel.BACHELOR, experience_years=2),
        Seeker("anywhere", titles=("保安员",), education=EducationLevel.BACHELOR, experience_years=5),
        Seeker("dear", titles=("会计",), regions=("450000",), salary_min=8000, education=EducationLevel.MASTER),
        Seeker("school", titles=("会计",), regions=("450103",), education=EducationLevel.SENIOR_SECONDARY),
        Seeker("graduate", titles=("会计",), regions=("450103",), education=EducationLevel.ASSOCIATE),
    ]
    index = SeekerIndex(people)
    found = recommend_seekers(JOBS[0], index, DAY, code_title=None)
    assert [m.seeker.id for m in found] == ["s1"]  # anywhere: no common word; graduate: no experience
    e = found[0].explanation
    assert e.matched_skills == ("Excel", "用友", "税务申报") and all(v.passed for v in e.verdicts)
    assert [p.name for p in e.parts] == ["text", "occupation", "skills", "salary"]
    fresh = accountant_job("fresh", experience=parse_experience("应届生"))
    assert [m.seeker.id for m in recommend_seekers(fresh, index, DAY, code_title=None)] == ["s1", "graduate"]
    assert recommend_seekers(accountant_job("closed", close_on=YESTERDAY), index, DAY) == []


def test_default_classifier_codes_a_posting_without_code() -> None:
    people = [Seeker("cook", titles=("厨师",), occupation_codes=("4-03-02-01",))]
    posting = Posting("chef", "中餐厨师", "饭店", region="450103")
    found = recommend_seekers(posting, SeekerIndex(people), DAY)
    assert [m.seeker.id for m in found] == ["cook"]
    assert "4-03-02-01" in found[0].explanation.occupation and "自动归类" in found[0].explanation.occupation


def test_duplicate_ids_and_bad_regions_are_refused() -> None:
    with pytest.raises(ValueError, match="岗位编号 'good' 重复"):
        PostingIndex([JOBS[0], JOBS[0]])
    with pytest.raises(ValueError, match="不是6位行政区划代码"):
        PostingIndex([accountant_job("x", region="南宁")])
    with pytest.raises(ValueError, match="求职者 x 的地区代码"):
        SeekerIndex([Seeker("x", regions=("4501",))])


def assert_skill_part_agrees(e: Explanation) -> None:
    """The vectorised skill count (index) and the explained matched/missing skills (scalar) agree."""
    total = len(e.matched_skills) + len(e.missing_skills)
    part = next(p for p in e.parts if p.name == "skills")
    assert part.value == pytest.approx(len(e.matched_skills) / total if total else 0.0)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_no_recommendation_breaks_a_hard_constraint(world: tuple[list[Posting], list[Seeker], dt.date]) -> None:
    jobs, people, day = world
    posting_index, seeker_index = PostingIndex(jobs), SeekerIndex(people)
    weights = Weights(text=0.5, occupation=0.1, skills=0.2, salary=0.1, recency=0.1)
    for s in people:
        for w in (Weights(), weights):
            found = recommend_jobs(s, posting_index, day, k=len(jobs) + 1, code_title=None, weights=w)
            assert len({m.posting.id for m in found}) == len(found)
            for m in found:
                assert violations(m.posting, s, day) == []
                assert all(v.passed for v in m.explanation.verdicts)
                assert HAN.search(m.explanation.text())
                assert_skill_part_agrees(m.explanation)
            scores = [m.score for m in found]
            assert scores == sorted(scores, reverse=True)
    for p in jobs:
        for m in recommend_seekers(p, seeker_index, day, k=len(people) + 1, code_title=None):
            assert violations(p, m.seeker, day) == []
            assert HAN.search(m.explanation.text())
            assert_skill_part_agrees(m.explanation)
