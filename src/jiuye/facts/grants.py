"""Grants already received (once-only grants, once a year)."""

from __future__ import annotations

import datetime as dt

from jiuye.facts.base import _Entity
from jiuye.facts.fields import fact

__all__ = ["PriorGrant"]


class PriorGrant(_Entity):
    """已享受的补贴（用于一次性补贴不重复享受、每年限一次等判断）。"""

    measure: str = fact("政策编号", example="gx.expansion")
    person: str | None = fact("人员编号", example="P1")
    employer: str | None = fact("单位编号", example=None)
    granted_on: dt.date = fact("享受日期", example="2025-02-01")
