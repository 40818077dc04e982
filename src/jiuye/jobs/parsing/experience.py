"""Required work experience → a range of whole years, and whether fresh graduates may apply.

Board categories read as written: ``1年经验`` (51job's bin for one year) is 1–1 years, ``3-5年`` is 3–5,
``10年以上`` is 10 or more (``max_years`` ``None``), ``1年以下`` is 0–1, ``无需经验``/``不限`` is 0 or more,
``应届``/``在校生`` is 0–0 and marks the posting as addressed to graduates.

>>> e = parse_experience("3-5年经验")
>>> e.min_years, e.max_years, e.fresh_graduate_ok
(3, 5, False)
>>> e = parse_experience("在校生/应届生")
>>> e.min_years, e.max_years, e.for_fresh_graduates, e.fresh_graduate_ok
(0, 0, True, True)
>>> parse_experience("10年以上经验").max_years is None
True
>>> format_experience(parse_experience("经验不限"))
'经验不限'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jiuye.jobs.parsing.errors import FieldParseError
from jiuye.jobs.parsing.text import normalize, small_int

__all__ = ["Experience", "format_experience", "parse_experience"]

FIELD = "工作经验"

_NUM = r"\d+|[零一二两三四五六七八九十]+"
_DECORATION = re.compile(r"^(?:要求|需要|需)|(?:相关)?(?:工作|行业|从业)?(?:经验|经历)(?:要求)?$")
_ANY = {"无需", "无", "不限", "无要求", "不要求", "不需要", "无需要求", "无工作", "经验不限", "不限经验"}
_GRADUATE_WORDS = ("应届毕业生", "应届生", "应届", "在校生", "毕业生", "实习生", "学生")
_GRADUATE = re.compile(rf"^(?:{'|'.join(_GRADUATE_WORDS)})(?:/(?:{'|'.join(_GRADUATE_WORDS)}))*(?:可|均可|亦可)?$")
_YEARS = re.compile(rf"^(?P<lo>{_NUM})(?:年)?(?:-(?P<hi>{_NUM}))?年(?P<open>及?以上|以下|以内|内)?$")
_HINT = "应形如 3-5年、1年经验、10年以上经验、1年以下、无需经验、经验不限 或 应届生"


@dataclass(frozen=True, slots=True)
class Experience:
    """Years of experience required: ``min_years``..``max_years`` (``None`` = no upper limit)."""

    min_years: int
    max_years: int | None = None
    #: The posting is addressed to fresh graduates or students (应届生/在校生).
    for_fresh_graduates: bool = False

    def __post_init__(self) -> None:
        if self.min_years < 0 or (self.max_years is not None and self.max_years < self.min_years):
            raise ValueError(f"工作经验年限 {self.min_years}-{self.max_years} 不成立")

    @property
    def fresh_graduate_ok(self) -> bool:
        """A fresh graduate (no work experience) meets the requirement."""
        return self.min_years == 0


def parse_experience(raw: str | None) -> Experience | None:
    """Parse an experience requirement; ``None`` when blank, :class:`FieldParseError` when not understood."""
    text = normalize(raw)
    if text is None:
        return None
    if _GRADUATE.match(text):
        return Experience(0, 0, for_fresh_graduates=True)
    core = _DECORATION.sub("", text)
    if text in _ANY or core in _ANY:
        return Experience(0, None)
    m = _YEARS.match(core)
    if m is None:
        raise FieldParseError(FIELD, raw or "", _HINT)
    try:
        lo = small_int(m["lo"])
        hi = small_int(m["hi"]) if m["hi"] else None
    except ValueError:
        raise FieldParseError(FIELD, raw or "", _HINT) from None
    if hi is not None:
        if m["open"] in ("以上", "及以上") or hi < lo:
            raise FieldParseError(FIELD, raw or "", "年限范围的下限不应高于上限", problem="不成立")
        if m["open"] in ("以下", "以内", "内"):
            return Experience(0, hi)
        return Experience(lo, hi)
    if m["open"] in ("以上", "及以上"):
        return Experience(lo, None)
    if m["open"] in ("以下", "以内", "内"):
        return Experience(0, lo)
    return Experience(lo, lo)


def format_experience(experience: Experience) -> str:
    """Canonical display: ``3-5年经验``, ``1年经验``, ``10年以上经验``, ``1年以下经验``, ``经验不限``, ``应届生``."""
    lo, hi = experience.min_years, experience.max_years
    if experience.for_fresh_graduates and lo == 0 and hi == 0:
        return "应届生"
    if hi is None:
        return "经验不限" if lo == 0 else f"{lo}年以上经验"
    if lo == hi:
        return f"{lo}年经验"
    if lo == 0:
        return f"{hi}年以下经验"
    return f"{lo}-{hi}年经验"
