"""Sorting 51job attribute lists into fields by form."""

from __future__ import annotations

from jiuye.jobs.parsing import AttributeTexts, split_attributes


def test_full_list() -> None:
    assert split_attributes(["北京-朝阳区", "5-7年经验", "本科", "招1人"]) == AttributeTexts(
        "北京-朝阳区", "5-7年经验", "本科", "招1人"
    )


def test_missing_items_do_not_shift_fields() -> None:
    a = split_attributes(["深圳", "本科", "招1人"])
    assert (a.location, a.experience, a.education, a.headcount) == ("深圳", None, "本科", "招1人")
    a = split_attributes(["深圳", "无需经验", "招若干人"])
    assert (a.experience, a.education, a.headcount) == ("无需经验", None, "招若干人")


def test_languages_and_repeats_go_to_other() -> None:
    a = split_attributes(["上海", "英语熟练", "大专", "普通话良好", "中专"])
    assert a.education == "大专"
    assert a.other == ("英语熟练", "普通话良好", "中专")


def test_without_location() -> None:
    a = split_attributes(["本科", "", None, "2人"], location_first=False)
    assert (a.location, a.education, a.headcount) == (None, "本科", "2人")
