"""公示 periods in working days by the Chinese calendar: holidays, 调休 weekends, the day after publication."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.cases import load_notice_settings, notice_period
from jiuye.errors import ParameterError
from jiuye.workdays import PROVISIONAL_NOTE

D = dt.date


def test_the_default_period_is_five_working_days_and_a_named_local_setting() -> None:
    settings = load_notice_settings()
    assert settings.working_days == 5
    assert "本地设置" in settings.assumption


@pytest.mark.parametrize(
    ("published", "first", "last"),
    [
        # Friday before 国庆节·中秋节 2025: 28 Sep (调休 Sunday), 29, 30 Sep, 9, 10 Oct
        (D(2025, 9, 26), D(2025, 9, 28), D(2025, 10, 10)),
        # Tuesday, the last working day before the holiday: 9, 10, 11 (调休 Saturday), 13, 14 Oct
        (D(2025, 9, 30), D(2025, 10, 9), D(2025, 10, 14)),
        # published during the holiday (1–8 Oct): counting starts 9 Oct
        (D(2025, 10, 3), D(2025, 10, 9), D(2025, 10, 14)),
        # published on the last holiday day, 8 Oct: same five working days
        (D(2025, 10, 8), D(2025, 10, 9), D(2025, 10, 14)),
        # published on the first working day after it: 10, 11 (调休), 13, 14, 15 Oct
        (D(2025, 10, 9), D(2025, 10, 10), D(2025, 10, 15)),
        # published on the 调休 Saturday 11 Oct (a working day): 13–17 Oct
        (D(2025, 10, 11), D(2025, 10, 13), D(2025, 10, 17)),
    ],
)
def test_the_notice_spans_the_2025_national_day_holiday_and_its_makeup_workdays(
    published: dt.date, first: dt.date, last: dt.date
) -> None:
    period = notice_period(published)
    assert (period.first_day, period.last_day) == (first, last)
    assert not period.provisional and period.note == ""


@pytest.mark.parametrize(
    ("published", "last"),
    [
        (D(2025, 3, 13), D(2025, 3, 20)),  # Thursday: 14 | weekend | 17, 18, 19, 20
        (D(2025, 3, 14), D(2025, 3, 21)),  # Friday: the weekend does not count, 17–21
        (D(2025, 3, 15), D(2025, 3, 21)),  # Saturday: counting starts Monday 17
        (D(2025, 3, 16), D(2025, 3, 21)),  # Sunday: the same
        (D(2025, 3, 17), D(2025, 3, 24)),  # Monday: the publication day does not count, 18–21, 24
    ],
)
def test_weekends_do_not_count_and_the_publication_day_does_not_count(published: dt.date, last: dt.date) -> None:
    assert notice_period(published).last_day == last


def test_the_notice_is_over_from_the_day_after_its_last_working_day() -> None:
    period = notice_period(D(2025, 9, 26))
    assert not period.is_over(D(2025, 10, 10))
    assert period.is_over(D(2025, 10, 11))


def test_objections_count_from_publication_through_the_last_day() -> None:
    period = notice_period(D(2025, 9, 26))
    assert not period.objection_in_time(D(2025, 9, 25))
    assert period.objection_in_time(D(2025, 9, 26))
    assert period.objection_in_time(D(2025, 10, 3))  # during the holiday, still within the notice
    assert period.objection_in_time(D(2025, 10, 10))
    assert not period.objection_in_time(D(2025, 10, 11))


def test_a_notice_beyond_the_published_holiday_calendar_is_provisional_and_says_so() -> None:
    period = notice_period(D(2026, 12, 28))  # runs into 2027, whose holiday notice is not out yet
    assert period.provisional
    assert period.note == PROVISIONAL_NOTE
    assert period.describe().endswith(PROVISIONAL_NOTE)


def test_the_number_of_working_days_can_be_set_per_call() -> None:
    assert notice_period(D(2025, 9, 30), working_days=1).last_day == D(2025, 10, 9)
    assert notice_period(D(2025, 9, 30), working_days=3).last_day == D(2025, 10, 11)
    with pytest.raises(ParameterError, match="至少1个工作日"):
        notice_period(D(2025, 9, 30), working_days=0)


def test_a_bureau_sets_its_own_notice_period_in_a_local_file(tmp_path: Path) -> None:
    local = tmp_path / "notice.yaml"
    local.write_text("working_days: {value: 7, assumption: 本地设置：7个工作日}\n", encoding="utf-8")
    assert load_notice_settings(local).working_days == 7
    local.write_text("working_days: {value: 0, assumption: 零}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="working_days"):
        load_notice_settings(local)
    local.write_text("working_days: 5\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="assumption"):
        load_notice_settings(local)


@given(
    published=st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 11, 30)),
    working_days=st.integers(min_value=1, max_value=15),
)
def test_exactly_n_working_days_lie_after_publication_up_to_the_last_day(published: dt.date, working_days: int) -> None:
    period = notice_period(published, working_days=working_days)
    days = [published + dt.timedelta(days=i) for i in range(1, (period.last_day - published).days + 1)]
    assert sum(chinese_calendar.is_workday(d) for d in days) == working_days
    assert chinese_calendar.is_workday(period.first_day) and chinese_calendar.is_workday(period.last_day)
    assert published < period.first_day <= period.last_day
    assert not period.provisional
