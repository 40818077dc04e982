"""Targeted pushes for hardship graduates (gx38（十七）: 优先推送3—5个针对性岗位信息)."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import EducationLevel
from jiuye.jobs.recommend import PostingIndex, push_targeted_jobs, recommend_jobs
from jiuye.jobs.recommend.push import TARGETED_MAX, TARGETED_MIN, employer_key, is_hardship_graduate
from jiuye.params import ParameterSet
from recommend_cases import DAY, violations, worlds

HAN = re.compile(r"[\u4e00-\u9fff]")

GRADUATE = Seeker(
    "g1",
    titles=("会计",),
    skills=("Excel",),
    occupation_codes=("2-06-03-00",),
    regions=("450100",),
    education=EducationLevel.ASSOCIATE,
    fresh_graduate=True,
    hardship=frozenset({"low_income_family"}),
)


def job(pid: str, employer: str, code: str = "2-06-03-00", title: str = "会计", **fields: object) -> Posting:
    base: dict[str, object] = {"occupation_code": code, "region": "450103", "skills": ("Excel",)}
    base.update(fields)
    return Posting(pid, title, employer, **base)  # type: ignore[arg-type]


def test_counts_come_from_the_clause(params: ParameterSet) -> None:
    on = params.at(DAY)
    assert (
        on["gx.grad.1131.targeted_jobs_min"],
        on["gx.grad.1131.targeted_jobs_max"],
    ) == (TARGETED_MIN, TARGETED_MAX)


def test_five_jobs_one_per_employer() -> None:
    jobs = [job(f"a{i}", "甲公司") for i in range(4)]
    jobs += [job(f"{e}1", e) for e in ("乙公司", "丙公司", "丁公司", "戊公司")]
    push = push_targeted_jobs(GRADUATE, PostingIndex(jobs), DAY, code_title=None)
    assert len(push.jobs) == TARGETED_MAX and push.reason is None
    employers = [m.posting.employer for m in push.jobs]
    assert len(set(employers)) == len(employers) and employers.count("甲公司") == 1
    assert "困难毕业生（低保家庭）" in push.basis and "38号（十七）" in push.basis
    assert is_hardship_graduate(GRADUATE)


def test_new_occupations_first() -> None:
    jobs = [
        *(job(f"acc{i}", f"会计{i}公司") for i in range(1, 5)),
        job("audit", "审计公司", code="2-06-04-00", title="审计会计"),
        job("cashier", "收银公司", code="4-05-01-01", title="会计出纳"),
    ]
    index = PostingIndex(jobs)
    best_five = [m.posting.id for m in recommend_jobs(GRADUATE, index, DAY, k=5, code_title=None)]
    assert best_five == ["acc1", "acc2", "acc3", "acc4", best_five[4]]  # without diversity: four of one occupation
    push = push_targeted_jobs(GRADUATE, index, DAY, code_title=None)
    # First pass: one job per new occupation (acc1, audit, cashier); second pass: new employers (acc2, acc3).
    assert set(push.posting_ids) == {"acc1", "audit", "cashier", "acc2", "acc3"}
    assert push.posting_ids[0] == "acc1"  # shown best first


def test_never_repeat_never_expired_never_padded() -> None:
    yesterday = DAY - dt.timedelta(days=1)
    jobs = [
        job("old", "甲公司"),
        job("expired", "乙公司", close_on=yesterday),
        job("today", "丙公司", close_on=DAY),  # the last day is the push day: still open
        job("liuzhou", "丁公司", region="450203"),
        job("degree", "戊公司", education=None, title="会计"),
    ]
    push = push_targeted_jobs(GRADUATE, PostingIndex(jobs), DAY, already_pushed={"old"}, code_title=None)
    ids = set(push.posting_ids)
    assert ids == {"today", "degree"}
    assert push.reason is not None and "不足3个" in push.reason and "凑数" in push.reason
    assert "已排除此前推送过的1个岗位" in push.reason


def test_nothing_to_push_says_why() -> None:
    push = push_targeted_jobs(GRADUATE, PostingIndex([]), DAY, code_title=None)
    assert push.jobs == () and push.reason is not None and push.reason.startswith("没有符合")


def test_not_a_hardship_graduate_is_said() -> None:
    seeker = Seeker("g2", titles=("会计",), regions=("450100",))
    push = push_targeted_jobs(seeker, PostingIndex([job("a", "甲公司")]), DAY, code_title=None)
    assert not is_hardship_graduate(seeker) and "未登记困难情形" in push.basis


def test_employer_key_prefers_the_credit_code() -> None:
    a = Posting("a", "会计", "甲公司", employer_uscc="91450100mA5kxxxx0x")
    b = Posting("b", "会计", "甲 公司（南宁）", employer_uscc="91450100MA5KXXXX0X")
    assert employer_key(a) == employer_key(b)
    assert employer_key(Posting("c", "会计", "甲 公司")) == employer_key(Posting("d", "会计", "甲公司"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.data())
def test_pushes_are_eligible_diverse_and_new(
    world: tuple[list[Posting], list[Seeker], dt.date], data: st.DataObject
) -> None:
    jobs, people, day = world
    index = PostingIndex(jobs)
    for seeker in people:
        pushed = data.draw(st.sets(st.sampled_from([p.id for p in jobs]))) if jobs else set()
        push = push_targeted_jobs(seeker, index, day, pushed, code_title=None)
        assert len(push.jobs) <= TARGETED_MAX
        assert not set(push.posting_ids) & pushed
        assert len(set(push.posting_ids)) == len(push.jobs)
        employers = [employer_key(m.posting) for m in push.jobs]
        assert len(set(employers)) == len(employers)
        for m in push.jobs:
            assert violations(m.posting, seeker, day) == []
            assert m.posting.close_on is None or m.posting.close_on >= day
        assert (push.reason is None) == (len(push.jobs) >= TARGETED_MIN)
        if push.reason is not None:
            assert HAN.search(push.reason)
        # The next push never repeats this one.
        again = push_targeted_jobs(seeker, index, day, pushed | set(push.posting_ids), code_title=None)
        assert not set(again.posting_ids) & (pushed | set(push.posting_ids))
