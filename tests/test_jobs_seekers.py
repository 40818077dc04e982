"""Seeker profiles from forms (Chinese or English keys) and from pasted resumes."""

from __future__ import annotations

import datetime as dt

import pytest

from jiuye.jobs.parsing import EducationLevel
from jiuye.jobs.seekers import SeekerInputError, read_resume, read_seeker_form, seeker_from_form, seeker_from_resume


def stub(title: str) -> str | None:
    return {"会计": "2-06-01-00", "出纳": "2-06-01-00", "焊工": "6-18-02-04"}.get(title)


def test_chinese_form() -> None:
    reading = read_seeker_form(
        {
            "姓名": "张三",
            "求职意向": "会计、出纳",
            "期望城市": "南宁市青秀区，柳州",
            "期望薪资": "6-8K",
            "最高学历": "本科",
            "工作经验": "3年工作经验",
            "技能": "Excel、用友U8、C1驾照、会做PPT",
            "困难类别": "低保家庭、残疾",
            "自我评价": "认真负责",
        },
        classify_title=stub,
    )
    s = reading.seeker
    assert s.titles == ("会计", "出纳")
    assert s.occupation_codes == ("2-06-01-00",)
    assert s.regions == ("450103", "450200")
    assert s.salary_min == 6000
    assert s.education is EducationLevel.BACHELOR
    assert s.experience_years == 3
    assert not s.fresh_graduate
    assert s.skills == ("Excel", "用友", "C1驾驶证", "PPT")
    assert s.hardship == {"low_income_family", "disabled"}
    assert s.text == "认真负责"
    assert s.id.startswith("seeker#")
    assert reading.notes == ()


def test_english_form_and_flags() -> None:
    s = seeker_from_form(
        {
            "id": "S-001",
            "titles": ["焊工"],
            "regions": ["不限"],
            "expected_salary": 7000,
            "education": "中专",
            "experience_years": 0,
            "fresh_graduate": True,
            "skills": ["焊工证", "氩弧焊"],
            "零就业家庭": "是",
            "disabled": False,
            "防止返贫监测对象": "否",
        },
        classify_title=stub,
    )
    assert s.id == "S-001"
    assert s.regions == ()  # 不限: anywhere
    assert s.salary_min == 7000
    assert s.education is EducationLevel.SENIOR_SECONDARY
    assert s.fresh_graduate
    assert s.hardship == {"zero_employment_family"}


def test_fresh_graduate_from_experience() -> None:
    s = seeker_from_form({"工作经验": "应届生", "期望薪资": "面议"}, classify_title=stub)
    assert s.fresh_graduate and s.experience_years == 0 and s.salary_min is None


def test_bad_values_name_their_fields() -> None:
    with pytest.raises(SeekerInputError) as caught:
        seeker_from_form(
            {"期望城市": "鼓楼", "期望薪资": "好多钱", "最高学历": "大学", "困难类别": "建档立卡", "是否应届": "也许"},
            classify_title=stub,
        )
    problems = caught.value.problems
    assert [p.split("：")[0] for p in problems] == ["期望城市", "期望薪资", "最高学历", "困难类别", "是否应届"]
    assert "有歧义" in problems[0] and "南京市鼓楼区" in problems[0]
    assert "薪资“好多钱”无法识别" in problems[1]
    assert str(caught.value).startswith("求职信息有误：\n  - 期望城市：")


def test_lenient_form_notes_instead() -> None:
    reading = read_seeker_form(
        {"期望薪资": "好多钱", "技能": "吃苦耐劳", "爱好": "篮球"}, strict=False, classify_title=stub
    )
    assert reading.seeker.salary_min is None
    assert reading.seeker.skills == ("吃苦耐劳",)
    assert reading.notes == (
        "期望薪资：薪资“好多钱”无法识别；提示：应形如 6-8千/月、1-1.5万/月·13薪、15k-30k、10-20万/年、200元/天、"
        "40元/小时、8000以上 或 面议",
        "技能：“吃苦耐劳”不在技能词表中，按原文保留",
        "“爱好”不是可识别的求职信息字段，未使用",
    )


def test_resume_with_labels() -> None:
    text = """张三 | 男 | 23岁 | 电话：138xxxx0000
求职意向：会计、出纳    期望城市：南宁
期望薪资：5-7K | 最高学历：本科
2025届应届毕业生，广西某大学会计学专业
技能：熟练使用Excel、用友U8，持有C1驾照、初级会计证，普通话二级甲等
家庭情况：低保家庭
"""
    reading = read_resume(text, classify_title=stub, reference=dt.date(2025, 5, 1))
    s = reading.seeker
    assert s.titles == ("会计", "出纳")
    assert s.regions == ("450100",)
    assert s.salary_min == 5000
    assert s.education is EducationLevel.BACHELOR
    assert s.fresh_graduate
    assert s.skills == ("Excel", "用友", "C1驾驶证", "初级会计职称", "普通话")
    assert s.hardship == {"low_income_family"}
    assert s.text == text
    assert reading.notes == ()


def test_resume_free_text() -> None:
    text = (
        "个人简介\n本人有5年以上的电焊工作经验，持焊工证和叉车证，会开铲车。高中学历，非低保家庭。\n"
        "【求职意向】焊工\n期望工作地点：广西-南宁-青秀区\n"
    )
    reading = read_resume(text, classify_title=stub)
    s = reading.seeker
    assert s.experience_years == 5
    assert s.education is EducationLevel.SENIOR_SECONDARY
    assert s.titles == ("焊工",) and s.occupation_codes == ("6-18-02-04",)
    assert s.regions == ("450103",)
    assert s.skills == ("电焊", "焊工证", "叉车证", "装载机操作证")
    assert s.hardship == frozenset()  # 非低保家庭 is a negation
    assert not s.fresh_graduate
    assert reading.notes == ("简历中没有找到期望薪资（可写“期望薪资：…”）",)


def test_resume_years_are_durations_not_calendar_years() -> None:
    s = seeker_from_resume("2019年工作经历：某公司出纳。从事会计工作3年。", classify_title=stub)
    assert s.experience_years == 3


def test_last_year_class_is_not_fresh() -> None:
    s = seeker_from_resume("2023届毕业生，求职意向：会计", classify_title=stub, reference=dt.date(2025, 5, 1))
    assert not s.fresh_graduate


def test_resume_bad_value_is_a_note_unless_strict() -> None:
    text = "期望城市：鼓楼\n求职意向：会计"
    reading = read_resume(text, classify_title=stub)
    assert reading.seeker.regions == ()
    assert reading.notes[0].startswith("期望城市：工作地点“鼓楼”有歧义")
    with pytest.raises(SeekerInputError, match="期望城市"):
        read_resume(text, strict=True, classify_title=stub)


def test_resume_copied_from_a_table() -> None:
    text = "姓名\t张三\t性别\t男\n求职意向\t焊工\t期望城市\t柳州\n期望薪资\t8000以上\n工作年限 十年"
    s = seeker_from_resume(text, classify_title=stub)
    assert s.titles == ("焊工",)
    assert s.regions == ("450200",)
    assert s.salary_min == 8000
    assert s.experience_years == 10


def test_a_long_run_of_digits_in_a_resume_is_read_in_linear_time() -> None:
    """Found by the API fuzz: an unanchored ``\\d+`` before 年 made 20 000 digits take seconds, so
    200 000 would take many minutes. Not a performance figure (those live in benchmarks/): a guard
    that fails instead of hanging, with a limit thousands of times the linear reading's."""
    import signal

    def hung(_signum: int, _frame: object) -> None:
        raise AssertionError("读取 20 万位数字的简历超过 20 秒：正则表达式又成了平方级")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        reading = read_resume("0" * 200_000, reference=dt.date(2025, 12, 1))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert reading.seeker.experience_years == 0
