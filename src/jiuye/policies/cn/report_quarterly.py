"""cn.report.quarterly — 岗位开发和方案实施情况按季度报送：每季度结束后次月10日前。

國就勞發〔2025〕2號 四(四)：“依託國務院就業促進和勞動保護工作領導小組，建立常態化崗位挖潛擴容調度機制，
各部門、各地區崗位開發和方案實施情況請於每季度結束後次月10日前提供至人力資源社會保障部，人力資源社會
保障部要按季度開展工作調度，適時向領導小組報告。”

For a district, the deadline to report the quarter of the as-of date: the 10th of the month after
the quarter, moved to the next working day when the 10th is not one (a named assumption).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from jiuye.engine.measure import Info, Measure, Unit, cite
from jiuye.params import Params
from jiuye.workdays import Workday, next_workday

GJLF2 = cite("gjlf2", "四(四)")
NS = "cn.report.quarterly"
_MONTHS_PER_QUARTER = 3


def _quarter(p: Params) -> tuple[int, int]:
    return p.as_of.year, (p.as_of.month - 1) // _MONTHS_PER_QUARTER + 1


def deadline(p: Params) -> Workday | None:
    """The reporting deadline for the quarter of ``p.as_of`` (None before the rule is in force)."""
    after, day_of_month = p[f"{NS}.months_after_quarter"], p[f"{NS}.deadline_day"]
    if after is None or day_of_month is None:
        return None
    year, quarter = _quarter(p)
    months = year * 12 + quarter * _MONTHS_PER_QUARTER - 1 + after  # months since year 0, 0-based
    day = dt.date(months // 12, months % 12 + 1, day_of_month)
    return next_workday(day) if p[f"{NS}.roll_forward"] else Workday(day, provisional=False)


def _deadline_day(p: Params) -> pl.Expr:
    due = deadline(p)
    return pl.lit(None if due is None else due.day, dtype=pl.Date)


def _calendar_note(p: Params) -> pl.Expr:
    due = deadline(p)
    if due is None or not p[f"{NS}.roll_forward"]:
        return pl.lit(None, dtype=pl.String)
    return pl.lit(due.note or "按国务院办公厅公布的节假日安排确定（含调休上班日）")


MEASURE = Measure(
    id="cn.report.quarterly",
    title="岗位开发和方案实施情况季度报送",
    unit=Unit.district,
    beneficiary="district",
    jurisdiction="cn",
    sources=(GJLF2,),
    summary="各部门、各地区岗位开发和方案实施情况于每季度结束后次月10日前报送人力资源社会保障部。",
    conditions=(),
    info=(
        Info("period", "报告期", lambda p: pl.lit("{}年第{}季度".format(*_quarter(p)))),
        Info("deadline", "报送截止日", _deadline_day, "date"),
        Info("calendar", "工作日依据", _calendar_note),
    ),
)
