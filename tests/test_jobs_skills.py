"""The hand-written skills lexicon and finding skills in posting and resume text."""

from __future__ import annotations

import pytest

from jiuye.jobs.skills import canonical_skill, skill_lexicon, skills_in


def test_lexicon_loads_and_covers_trades() -> None:
    lexicon = skill_lexicon()
    categories = {s.category for s in lexicon.values()}
    assert {
        "office",
        "finance",
        "software",
        "driving",
        "special_operation",
        "language",
        "design",
        "media",
    } <= categories
    assert len(lexicon) > 200
    assert lexicon["C1驾驶证"].category_label == "驾驶"


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("熟练使用Excel、Word，会做PPT", ("Excel", "Word", "PPT")),
        ("持C1驾照，有A2证优先", ("C1驾驶证", "A2驾驶证")),
        ("持低压电工证、焊工证、叉车证", ("低压电工证", "焊工证", "叉车证")),
        ("CET-6，普通话二甲，会粤语", ("大学英语六级", "普通话", "粤语")),
        ("有教师资格证", ("教师资格证",)),
        ("会用PS、CAD、3dmax", ("Photoshop", "AutoCAD", "3ds Max")),
        ("抖音直播带货、短视频剪辑", ("直播带货", "视频剪辑")),
        ("熟悉JavaScript和Vue3", ("JavaScript", "Vue")),
        ("Java8, Spring Boot, MySQL", ("Java", "Spring", "MySQL")),
        ("GPS定位、B2B平台", ()),
        ("吃苦耐劳，沟通能力强", ()),
        ("", ()),
    ],
)
def test_skills_in(text: str, skills: tuple[str, ...]) -> None:
    assert skills_in(text) == skills


def test_canonical_skill() -> None:
    assert canonical_skill(" 小车驾照 ") == "C1驾驶证"
    assert canonical_skill("ＥＸＣＥＬ") == "Excel"  # full-width, any case
    assert canonical_skill("普通话") == "普通话"
    assert canonical_skill("篮球") is None
