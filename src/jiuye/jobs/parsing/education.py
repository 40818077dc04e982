"""Education requirement → an ordered level (不限 < 初中及以下 < 高中/中专/中技 < 大专 < 本科 < 硕士 < 博士).

The levels follow the 51job filter (which groups 高中/中专/中技 as one level, as the 高中阶段教育 they are);
``term`` keeps which word of that level the posting used, so ``中专`` and ``高中`` display as written.

>>> e = parse_education("本科及以上")
>>> e.level, e.level > EducationLevel.ASSOCIATE, e.or_above, e.term
(<EducationLevel.BACHELOR: 4>, True, True, '本科')
>>> parse_education("学历不限").level.label
'不限'
>>> parse_education("中技").level.label
'高中/中专/中技'
>>> format_education(parse_education("全日制统招本科以上学历"))
'本科及以上'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from jiuye.jobs.parsing.errors import FieldParseError
from jiuye.jobs.parsing.text import normalize

__all__ = ["Education", "EducationLevel", "format_education", "parse_education"]

FIELD = "学历"


class EducationLevel(IntEnum):
    """Ordered: a candidate meets a requirement when ``candidate >= required``."""

    ANY = 0
    JUNIOR_MIDDLE_OR_BELOW = 1
    SENIOR_SECONDARY = 2
    ASSOCIATE = 3
    BACHELOR = 4
    MASTER = 5
    DOCTOR = 6

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    EducationLevel.ANY: "不限",
    EducationLevel.JUNIOR_MIDDLE_OR_BELOW: "初中及以下",
    EducationLevel.SENIOR_SECONDARY: "高中/中专/中技",
    EducationLevel.ASSOCIATE: "大专",
    EducationLevel.BACHELOR: "本科",
    EducationLevel.MASTER: "硕士",
    EducationLevel.DOCTOR: "博士",
}

#: Every word boards and staff use, mapped to its level; the key is also the display term.
_TERMS: dict[str, EducationLevel] = {
    "不限": EducationLevel.ANY,
    "无要求": EducationLevel.ANY,
    "无": EducationLevel.ANY,
    "初中及以下": EducationLevel.JUNIOR_MIDDLE_OR_BELOW,
    "初中": EducationLevel.JUNIOR_MIDDLE_OR_BELOW,
    "小学": EducationLevel.JUNIOR_MIDDLE_OR_BELOW,
    "高中": EducationLevel.SENIOR_SECONDARY,
    "中专": EducationLevel.SENIOR_SECONDARY,
    "中技": EducationLevel.SENIOR_SECONDARY,
    "职高": EducationLevel.SENIOR_SECONDARY,
    "技校": EducationLevel.SENIOR_SECONDARY,
    "中职": EducationLevel.SENIOR_SECONDARY,
    "高中/中专/中技": EducationLevel.SENIOR_SECONDARY,
    "中专/中技": EducationLevel.SENIOR_SECONDARY,
    "高中/中专": EducationLevel.SENIOR_SECONDARY,
    "大专": EducationLevel.ASSOCIATE,
    "专科": EducationLevel.ASSOCIATE,
    "高职": EducationLevel.ASSOCIATE,
    "本科": EducationLevel.BACHELOR,
    "学士": EducationLevel.BACHELOR,
    "大学本科": EducationLevel.BACHELOR,
    "硕士": EducationLevel.MASTER,
    "研究生": EducationLevel.MASTER,
    "硕士研究生": EducationLevel.MASTER,
    "mba/emba": EducationLevel.MASTER,
    "mba": EducationLevel.MASTER,
    "博士": EducationLevel.DOCTOR,
    "博士研究生": EducationLevel.DOCTOR,
}
_SHAPE = re.compile(
    r"^(?P<full_time>全日制统招|统招全日制|全日制|统招)?(?P<term>.+?)(?:学历)?(?P<above>及以上|以上)?(?:学历)?(?:要求)?$"
)
_ANY_PHRASES = {"学历不限", "不限学历", "无学历要求", "学历无要求", "学历要求不限"}
_HINT = "应为 学历不限、初中及以下、高中、中专、中技、大专、本科、硕士、博士，可加“及以上”"


@dataclass(frozen=True, slots=True)
class Education:
    """A minimum education level; ``term`` is the word used (中专, 本科, 不限), ``or_above`` records an
    explicit 及以上 (boards mean a minimum either way)."""

    level: EducationLevel
    term: str
    or_above: bool = False
    #: 全日制/统招 was required.
    full_time: bool = False


def parse_education(raw: str | None) -> Education | None:
    """Parse an education requirement; ``None`` when blank, :class:`FieldParseError` when not understood."""
    text = normalize(raw)
    if text is None:
        return None
    if text in _ANY_PHRASES:
        return Education(EducationLevel.ANY, "不限")
    m = _SHAPE.match(text)
    term = m["term"] if m else ""
    if m is None or term not in _TERMS:
        raise FieldParseError(FIELD, raw or "", _HINT)
    level = _TERMS[term]
    or_above = bool(m["above"]) and level is not EducationLevel.ANY
    display = "不限" if level is EducationLevel.ANY else term.upper()  # MBA/EMBA as written, not lower case
    return Education(level, display, or_above=or_above, full_time=bool(m["full_time"]))


def format_education(education: Education) -> str:
    """Canonical display text: the posting's term (``学历不限`` for no requirement), with ``及以上`` if written."""
    if education.level is EducationLevel.ANY:
        return "学历不限"
    return education.term + ("及以上" if education.or_above else "")
