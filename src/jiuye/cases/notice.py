"""Public notice (公示) before approval: its working-day period, when it is over, and objections in time.

The length is a named assumption (``notice.yaml``, default 5 working days: the documents set none).
Counting rule: the publication day does not count; the notice runs from the first working day after
it, so a notice published on the Friday before a holiday still gets N full working days. Working days
follow the State Council holiday notices through :mod:`jiuye.workdays`, including 调休 weekend
working days; beyond the published calendar the dates are provisional and say so.

The notice is over from the day after its last working day. An objection received from publication
through the last day reopens review (``object`` in :mod:`jiuye.cases.states`); a new notice is then
published after the new review.

>>> period = notice_period(dt.date(2025, 9, 30))  # Tuesday before 国庆节·中秋节 (1–8 October)
>>> period.first_day, period.last_day  # 9, 10, 11 (调休 Saturday), 13, 14 October
(datetime.date(2025, 10, 9), datetime.date(2025, 10, 14))
>>> period.is_over(dt.date(2025, 10, 14)), period.is_over(dt.date(2025, 10, 15))
(False, True)
>>> period.describe()
'公示期：2025年10月9日至2025年10月14日（5个工作日，发布日为2025年9月30日）'
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from jiuye.cases._settings import read_settings
from jiuye.dates import cn_date
from jiuye.errors import ParameterError
from jiuye.workdays import PROVISIONAL_NOTE, next_workday

__all__ = ["NoticePeriod", "NoticeSettings", "load_notice_settings", "notice_period"]

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class NoticeSettings:
    working_days: int
    assumption: str
    origin: str


@dataclass(frozen=True)
class NoticePeriod:
    """A notice published on ``published``, running ``working_days`` working days from ``first_day`` to ``last_day``.

    ``provisional``: some day was counted by the weekday fallback (the year's holiday notice is not
    yet published); check the dates again once it is.
    """

    published: dt.date
    first_day: dt.date
    last_day: dt.date
    working_days: int
    provisional: bool

    @property
    def note(self) -> str:
        return PROVISIONAL_NOTE if self.provisional else ""

    def is_over(self, on: dt.date) -> bool:
        """The notice period has ended by ``on`` (the day after the last working day or later)."""
        return on > self.last_day

    def objection_in_time(self, received: dt.date) -> bool:
        """An objection received on ``received`` falls within the notice (publication through last day)."""
        return self.published <= received <= self.last_day

    def describe(self) -> str:
        return (
            f"公示期：{cn_date(self.first_day)}至{cn_date(self.last_day)}"
            f"（{self.working_days}个工作日，发布日为{cn_date(self.published)}）{self.note}"
        )


def _parse(data: dict[str, object], origin: str) -> NoticeSettings:
    entry = data.get("working_days")
    value = entry.get("value") if isinstance(entry, dict) else None
    assumption = entry.get("assumption") if isinstance(entry, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or not assumption:
        msg = (
            f"{origin}：working_days 应写成 {{value: 正整数, assumption: 本地设置的说明}}，现为 {entry!r}；"
            "提示：公示期以工作日计，至少1个工作日"
        )
        raise ParameterError(msg)
    return NoticeSettings(value, str(assumption), origin)


@functools.cache
def _bundled() -> NoticeSettings:
    data, origin = read_settings("notice.yaml")
    return _parse(data, origin)


def load_notice_settings(path: Path | None = None) -> NoticeSettings:
    """The bundled notice settings, or a bureau's own file with the same layout."""
    if path is None:
        return _bundled()
    data, origin = read_settings("notice.yaml", path)
    return _parse(data, origin)


def notice_period(published: dt.date, *, working_days: int | None = None) -> NoticePeriod:
    """The notice period of a notice published on ``published`` (any day, working or not).

    ``working_days`` defaults to the bundled setting (:func:`load_notice_settings`).

    >>> notice_period(dt.date(2025, 3, 13)).last_day  # Thursday: 14, 17, 18, 19, 20 March
    datetime.date(2025, 3, 20)
    >>> later = notice_period(dt.date(2027, 3, 11))  # beyond the published holiday calendar
    >>> later.last_day, later.provisional
    (datetime.date(2027, 3, 18), True)
    """
    count = load_notice_settings().working_days if working_days is None else working_days
    if count < 1:
        msg = f"公示期工作日数 {count} 无效；提示：公示期至少1个工作日"
        raise ParameterError(msg)
    day = published
    provisional = False
    days: list[dt.date] = []
    for _ in range(count):
        found = next_workday(day + _ONE_DAY)
        provisional = provisional or found.provisional
        day = found.day
        days.append(day)
    return NoticePeriod(published, days[0], days[-1], count, provisional)
