"""Headcount → a number of openings, or "unspecified" for 若干 (some).

>>> parse_headcount("招8人").count
8
>>> h = parse_headcount("招若干人")
>>> h.count is None, h.unspecified
(True, True)
>>> format_headcount(parse_headcount("3名"))
'招3人'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jiuye.jobs.parsing.errors import FieldParseError
from jiuye.jobs.parsing.text import normalize, small_int

__all__ = ["Headcount", "format_headcount", "parse_headcount"]

FIELD = "招聘人数"

_SHAPE = re.compile(r"^(?:招聘|招|需|需要)?(?P<n>\d+|[一二两三四五六七八九十]+|若干|多)(?:人|名|位)?$")
_HINT = "应形如 招8人、8人、招若干人 或 若干"


@dataclass(frozen=True, slots=True)
class Headcount:
    """Openings: ``count`` people, or ``None`` when the posting says 若干 (an unspecified number)."""

    count: int | None

    def __post_init__(self) -> None:
        if self.count is not None and self.count <= 0:
            raise ValueError(f"招聘人数 {self.count} 应大于0")

    @property
    def unspecified(self) -> bool:
        return self.count is None


def parse_headcount(raw: str | None) -> Headcount | None:
    """Parse a headcount; ``None`` when blank, :class:`FieldParseError` when not understood."""
    text = normalize(raw)
    if text is None:
        return None
    m = _SHAPE.match(text)
    if m is None:
        raise FieldParseError(FIELD, raw or "", _HINT)
    if m["n"] in ("若干", "多"):
        return Headcount(None)
    try:
        count = small_int(m["n"])
    except ValueError:
        raise FieldParseError(FIELD, raw or "", _HINT) from None
    if count <= 0:
        raise FieldParseError(FIELD, raw or "", "人数应大于0", problem="不成立")
    return Headcount(count)


def format_headcount(headcount: Headcount) -> str:
    """Canonical display text in the 51job style: ``招8人`` or ``招若干人``."""
    return "招若干人" if headcount.count is None else f"招{headcount.count}人"
