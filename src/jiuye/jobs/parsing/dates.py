"""Posting dates → ``datetime.date``; a date written without a year gets the latest year that is not
after the reference date (boards show when a posting was published or refreshed, which is in the past).

>>> import datetime as dt
>>> parse_posting_date("10-15发布", dt.date(2021, 10, 31))
datetime.date(2021, 10, 15)
>>> parse_posting_date("12-30", dt.date(2022, 1, 5))
datetime.date(2021, 12, 30)
>>> parse_posting_date("2019-09-12", dt.date(2021, 1, 1))
datetime.date(2019, 9, 12)
"""

from __future__ import annotations

import datetime as dt
import re

from jiuye.jobs.parsing.errors import FieldParseError
from jiuye.jobs.parsing.text import normalize

__all__ = ["parse_posting_date"]

FIELD = "发布日期"

_FULL = re.compile(r"^(?P<y>\d{4})(?:[-/.]|年)(?P<m>\d{1,2})(?:[-/.]|月)(?P<d>\d{1,2})日?")
_SHORT = re.compile(r"^(?P<m>\d{1,2})(?:[-/.]|月)(?P<d>\d{1,2})日?")
_SUFFIX = re.compile(r"(?:发布|更新|刷新)$")
_HINT = "应形如 2019-09-12、2019年9月12日、10-15 或 10-15发布"


def parse_posting_date(raw: str | None, reference: dt.date) -> dt.date | None:
    """Parse a posting date; ``None`` when blank, :class:`FieldParseError` when not understood or invalid."""
    text = normalize(raw, ranges=False)
    if text is None:
        return None
    text = _SUFFIX.sub("", text)
    full = _FULL.fullmatch(text)
    if full is not None:
        try:
            return dt.date(int(full["y"]), int(full["m"]), int(full["d"]))
        except ValueError:
            raise FieldParseError(FIELD, raw or "", "该日期不存在", problem="不成立") from None
    short = _SHORT.fullmatch(text)
    if short is None:
        raise FieldParseError(FIELD, raw or "", _HINT)
    month, day = int(short["m"]), int(short["d"])
    # The latest such day on or before the reference; 29 February may be up to 8 years back (1900/2100 rule).
    for year in range(reference.year, reference.year - 9, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    raise FieldParseError(FIELD, raw or "", "该日期不存在", problem="不成立")
