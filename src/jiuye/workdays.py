"""Working days in mainland China, from the State Council holiday notices (``chinese-calendar``).

The package covers the years whose notice is published (2004–2026 in version 1.11). Beyond
that it raises ``NotImplementedError``; we then count Monday–Friday as working days and mark
the result provisional, to be checked once the year's notice (each November) is out.

>>> next_workday(dt.date(2026, 1, 10))  # a Saturday: the next working day is Monday
Workday(day=datetime.date(2026, 1, 12), provisional=False)
>>> next_workday(dt.date(2026, 10, 10))  # a Saturday made a working day (调休)
Workday(day=datetime.date(2026, 10, 10), provisional=False)
>>> later = next_workday(dt.date(2027, 1, 10))  # beyond the published calendar
>>> later.day, later.provisional
(datetime.date(2027, 1, 11), True)
>>> later.note
'（暂按周末推算，待国务院办公厅发布当年节假日安排后核对）'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

__all__ = ["PROVISIONAL_NOTE", "Workday", "is_workday", "next_workday"]

PROVISIONAL_NOTE = "（暂按周末推算，待国务院办公厅发布当年节假日安排后核对）"
_ONE_DAY = dt.timedelta(days=1)
_SATURDAY = 5


@dataclass(frozen=True)
class Workday:
    """A working day, and whether it rests on the weekday-only fallback."""

    day: dt.date
    provisional: bool

    @property
    def note(self) -> str:
        return PROVISIONAL_NOTE if self.provisional else ""


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, provisional): by the published calendar, else Monday–Friday.

    >>> is_workday(dt.date(2025, 10, 1))  # 国庆节
    (False, False)
    >>> is_workday(dt.date(2027, 10, 1))  # a Friday, calendar not yet published
    (True, True)
    """
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        return day.weekday() < _SATURDAY, True


def next_workday(day: dt.date) -> Workday:
    """``day`` itself if it is a working day, otherwise the first working day after it."""
    provisional = False
    while True:
        working, guessed = is_workday(day)
        provisional = provisional or guessed
        if working:
            return Workday(day, provisional)
        day += _ONE_DAY
