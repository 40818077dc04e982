"""Hard filters: each check on hand-written pairs, Chinese reasons, and the index masks agreeing with them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import EducationLevel, parse_education, parse_experience, parse_salary
from jiuye.jobs.recommend.filters import (
    HARD_FILTERS,
    check_all,
    check_education,
    check_experience,
    check_location,
    check_open,
    check_salary,
    passes,
)
from jiuye.jobs.recommend.index import PostingIndex, SeekerIndex
from recommend_cases import DAY, violations, worlds

HAN = re.compile(r"[\u4e00-\u9fff]")


def job(**fields: object) -> Posting:
    return Posting("p1", "会计", "甲公司", **fields)  # type: ignore[arg-type]


def person(**fields: object) -> Seeker:
    return Seeker("s1", **fields)  # type: ignore[arg-type]


def test_open_on_the_day() -> None:
    yesterday, tomorrow = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)
    assert check_open(job(close_on=DAY), person(), DAY).passed  # the last day is still open
    closed = check_open(job(close_on=yesterday), person(), DAY)
    assert not closed.passed and "已截止" in closed.reason and "2026年3月1日" in closed.reason
    early = check_open(job(open_on=tomorrow), person(), DAY)
    assert not early.passed and "尚未开始" in early.reason
    assert check_open(job(), person(), DAY).passed


@pytest.mark.parametrize(
    ("posting_region", "seeker_regions", "passed"),
    [
        ("450103", ("450100",), True),  # a city covers its districts
        ("450103", ("450000",), True),  # a province covers everything in it
        ("450103", ("450103",), True),
        ("450103", ("450200",), False),
        ("450100", ("450103",), False),  # a city-wide posting is not inside one district
        ("440305", ("450100", "440300"), True),  # any of the seeker's regions
        (None, ("450100",), False),  # no place written: cannot confirm
        (None, (), True),  # the seeker accepts any place
        (None, ("000000",), True),  # 全国
        ("440305", (), True),
    ],
)
def test_location(posting_region: str | None, seeker_regions: tuple[str, ...], passed: bool) -> None:
    verdict = check_location(job(region=posting_region), person(regions=seeker_regions), DAY)
    assert verdict.passed is passed
    assert verdict.label == "工作地点" and HAN.search(verdict.reason)


def test_location_reason_names_the_places() -> None:
    verdict = check_location(job(region="450203"), person(regions=("450100",)), DAY)
    assert "柳州" in verdict.reason and "南宁" in verdict.reason and "450203" in verdict.reason


@pytest.mark.parametrize(
    ("required", "level", "passed"),
    [
        ("本科及以上", EducationLevel.BACHELOR, True),
        ("本科", EducationLevel.MASTER, True),
        ("本科", EducationLevel.ASSOCIATE, False),
        ("学历不限", EducationLevel.ANY, True),
        (None, EducationLevel.ANY, True),
        ("中专", EducationLevel.SENIOR_SECONDARY, True),
    ],
)
def test_education(required: str | None, level: EducationLevel, passed: bool) -> None:
    verdict = check_education(job(education=parse_education(required)), person(education=level), DAY)
    assert verdict.passed is passed
    if required and not passed:
        assert "低于岗位要求" in verdict.reason and required in verdict.reason


@pytest.mark.parametrize(
    ("required", "years", "fresh", "passed"),
    [
        ("3-5年", 3, False, True),
        ("3-5年", 8, False, True),  # the upper end is not a limit
        ("3-5年", 2, False, False),
        ("应届生", 0, True, True),
        ("无需经验", 0, False, True),
        (None, 0, False, True),
    ],
)
def test_experience(required: str | None, years: int, fresh: bool, passed: bool) -> None:
    posting = job(experience=parse_experience(required))
    verdict = check_experience(posting, person(experience_years=years, fresh_graduate=fresh), DAY)
    assert verdict.passed is passed
    if not passed:
        assert "不足岗位要求" in verdict.reason


@pytest.mark.parametrize(
    ("salary", "minimum", "passed", "words"),
    [
        ("4-6千/月", 5000, True, "上限6000元"),
        ("4-6千/月", 6000, True, "上限6000元"),
        ("4-6千/月", 6500, False, "低于"),
        ("8000以上", 7000, True, "下限8000元"),  # no upper end: the lower end is compared
        ("3000以下", 4000, False, "上限3000元"),
        ("面议", 9000, True, "面议"),
        (None, 9000, True, "未写薪资"),
        ("4-6千/月", None, True, "未提出"),
        ("200元/天", 4000, True, "折合月薪"),  # 200 × 21.75 = 4350
    ],
)
def test_salary(salary: str | None, minimum: int | None, passed: bool, words: str) -> None:
    verdict = check_salary(job(salary=parse_salary(salary)), person(salary_min=minimum), DAY)
    assert verdict.passed is passed
    assert words in verdict.reason


def test_every_check_is_named_and_explained_in_chinese() -> None:
    verdicts = check_all(job(region="450103"), person(regions=("450100",)), DAY)
    assert [v.check for v in verdicts] == ["open", "location", "education", "experience", "salary"]
    assert len(verdicts) == len(HARD_FILTERS)
    for v in verdicts:
        assert HAN.search(v.label) and HAN.search(v.reason) and HAN.search(v.text())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_index_masks_agree_with_the_checks(world: tuple[list[Posting], list[Seeker], dt.date]) -> None:
    jobs, people, day = world
    posting_index, seeker_index = PostingIndex(jobs), SeekerIndex(people)
    for s in people:
        expected = [passes(p, s, day) for p in jobs]
        assert expected == [not violations(p, s, day) for p in jobs]
        assert posting_index.eligible(s, day).tolist() == expected
    for p in jobs:
        assert seeker_index.eligible(p, day).tolist() == [passes(p, s, day) for s in people]
