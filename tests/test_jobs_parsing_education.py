"""Education parsing: the levels' order, every word boards use, errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.jobs.parsing import EducationLevel, FieldParseError, format_education, parse_education

L = EducationLevel

WORDS = {
    "初中及以下": L.JUNIOR_MIDDLE_OR_BELOW,
    "初中": L.JUNIOR_MIDDLE_OR_BELOW,
    "高中": L.SENIOR_SECONDARY,
    "中专": L.SENIOR_SECONDARY,
    "中技": L.SENIOR_SECONDARY,
    "高中/中专/中技": L.SENIOR_SECONDARY,
    "大专": L.ASSOCIATE,
    "专科": L.ASSOCIATE,
    "本科": L.BACHELOR,
    "硕士": L.MASTER,
    "研究生": L.MASTER,
    "MBA/EMBA": L.MASTER,
    "博士": L.DOCTOR,
}


def test_levels_are_ordered() -> None:
    order = [L.ANY, L.JUNIOR_MIDDLE_OR_BELOW, L.SENIOR_SECONDARY, L.ASSOCIATE, L.BACHELOR, L.MASTER, L.DOCTOR]
    assert order == sorted(order)
    assert [lv.label for lv in order] == ["不限", "初中及以下", "高中/中专/中技", "大专", "本科", "硕士", "博士"]


@pytest.mark.parametrize(("word", "level"), WORDS.items())
def test_board_words(word: str, level: EducationLevel) -> None:
    e = parse_education(word)
    assert e is not None and e.level is level and not e.or_above
    assert e.term == word
    assert format_education(e) == word


@pytest.mark.parametrize("text", ["学历不限", "不限", "不限学历", "无学历要求"])
def test_no_requirement(text: str) -> None:
    e = parse_education(text)
    assert e is not None and e.level is L.ANY
    assert format_education(e) == "学历不限"


@pytest.mark.parametrize(
    ("text", "level", "full_time"),
    [
        ("本科及以上", L.BACHELOR, False),
        ("大专以上学历", L.ASSOCIATE, False),
        ("全日制本科及以上学历", L.BACHELOR, True),
        ("统招硕士以上", L.MASTER, True),
    ],
)
def test_or_above(text: str, level: EducationLevel, full_time: bool) -> None:
    e = parse_education(text)
    assert e is not None and (e.level, e.or_above, e.full_time) == (level, True, full_time)


@pytest.mark.parametrize("text", [None, "", " "])
def test_blank_is_not_stated(text: str | None) -> None:
    assert parse_education(text) is None


@pytest.mark.parametrize("text", ["英语熟练", "普通话良好", "博士后", "大学"])
def test_errors_name_the_field_in_chinese(text: str) -> None:
    with pytest.raises(FieldParseError) as info:
        parse_education(text)
    assert str(info.value).startswith(f"学历“{text}”无法识别")
    assert isinstance(info.value, ValueError)


@given(
    st.sampled_from(sorted(WORDS)),
    st.sampled_from(["", "全日制", "统招"]),
    st.sampled_from(["", "及以上", "以上"]),
    st.sampled_from(["", "学历"]),
)
def test_decorated_words(word: str, prefix: str, above: str, suffix: str) -> None:
    e = parse_education(f"{prefix}{word}{above}{suffix}")
    assert e is not None
    assert (e.level, e.or_above, e.full_time) == (WORDS[word], bool(above), bool(prefix))
