"""The 1131 plan (gx38（十七）): what is owed and overdue; the graduate's status; the job trail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jiuye.assistance import (
    Event,
    GraduateStatus,
    PlanStatus,
    ServiceKind,
    Stage,
    StatusError,
    TrailError,
    advance,
    load_assistance_settings,
    next_status,
    plan_status,
)
from jiuye.errors import ParameterError
from jiuye.params import ParameterSet

REGISTERED = dt.date(2025, 10, 1)
K = ServiceKind


def _status(params: ParameterSet, events: list[Event], today: dt.date, *, hardship: bool = False) -> PlanStatus:
    return plan_status(
        events, registered_on=REGISTERED, today=today, hardship=hardship, params=params,
        settings=load_assistance_settings(),
    )  # fmt: skip


def test_the_full_1131_plan_is_complete_and_nothing_is_owed(params: ParameterSet) -> None:
    day = REGISTERED + dt.timedelta(days=3)
    events = [Event(K.POLICY_BRIEFING, day), Event(K.CAREER_GUIDANCE, day), Event(K.INTERNSHIP, day)]
    events += [Event(K.JOB_RECOMMENDATION, day)] * 3
    status = _status(params, events, dt.date(2026, 3, 1))
    assert status.complete and status.owed_text() == "已完成" and status.overdue_since is None


def test_what_is_owed_says_how_many_and_since_when(params: ParameterSet) -> None:
    status = _status(params, [Event(K.JOB_RECOMMENDATION, REGISTERED)], REGISTERED + dt.timedelta(days=61))
    owed = {item.key: item.owed for item in status.owing}
    assert owed == {"policy_briefings": 1, "career_guidance": 1, "job_recommendations": 2, "training_or_internship": 1}
    assert status.overdue_since == REGISTERED + dt.timedelta(days=60)
    on_time = _status(params, [Event(K.JOB_RECOMMENDATION, REGISTERED)], REGISTERED + dt.timedelta(days=60))
    assert on_time.overdue_since is None, "到期当日尚未逾期"


def test_first_contact_is_owed_within_its_own_deadline(params: ParameterSet) -> None:
    status = _status(params, [], REGISTERED + dt.timedelta(days=8))
    assert status.overdue_since == REGISTERED + dt.timedelta(days=7)
    assert "首次联系 1 次" in status.owed_text() and "已逾期" in status.owed_text()


def test_a_hardship_graduate_is_owed_targeted_jobs_first(params: ParameterSet) -> None:
    day = REGISTERED + dt.timedelta(days=2)
    plain = [Event(K.JOB_RECOMMENDATION, day)] * 3
    status = _status(params, plain, REGISTERED + dt.timedelta(days=16), hardship=True)
    [targeted] = [i for i in status.owing if i.key == "targeted_jobs_min"]
    assert targeted.owed == 3 and targeted.overdue, "普通推荐不计入针对性岗位推送"
    pushed = [Event(K.JOB_RECOMMENDATION, day, targeted=True)] * 3
    assert not [i for i in _status(params, pushed, day, hardship=True).owing if i.key == "targeted_jobs_min"]


def test_events_after_today_do_not_count_and_closed_cases_owe_nothing(params: ParameterSet) -> None:
    later = [Event(K.POLICY_BRIEFING, REGISTERED + dt.timedelta(days=30))]
    assert any(i.key == "policy_briefings" for i in _status(params, later, REGISTERED).owing)
    closed = plan_status([], registered_on=REGISTERED, today=dt.date(2026, 6, 1), hardship=False, params=params,
                         settings=load_assistance_settings(), closed=True)  # fmt: skip
    assert not closed.owing and closed.overdue_since is None


def test_status_moves_follow_the_table() -> None:
    assert next_status(GraduateStatus.CONTACTED, GraduateStatus.EMPLOYED) is GraduateStatus.EMPLOYED
    assert next_status(GraduateStatus.EMPLOYED, GraduateStatus.IN_SERVICE) is GraduateStatus.IN_SERVICE
    with pytest.raises(StatusError, match="可改为"):
        next_status(GraduateStatus.UNREACHABLE, GraduateStatus.EMPLOYED)


def test_the_trail_only_moves_forward_and_ends_are_final() -> None:
    assert advance(Stage.VIEWED, Stage.INTERVIEWED) is Stage.INTERVIEWED
    assert advance(Stage.APPLIED, Stage.NOT_TAKEN) is Stage.NOT_TAKEN
    with pytest.raises(TrailError):
        advance(Stage.APPLIED, Stage.VIEWED)
    with pytest.raises(TrailError):
        advance(Stage.DECLINED, Stage.HIRED)


def test_a_local_deadline_file_must_name_its_assumption(tmp_path: Path) -> None:
    own = tmp_path / "deadlines.yaml"
    own.write_text("first_contact_days: {value: 3, assumption: 本局规定3日内联系}\n"
                   "plan_days: {value: 30, assumption: 本局规定}\ntargeted_days: {value: 5, assumption: 本局规定}\n",
                   "utf-8")  # fmt: skip
    assert load_assistance_settings(own).first_contact_days == 3
    own.write_text("first_contact_days: {value: 3}\nplan_days: {value: 30, assumption: x}\n"
                   "targeted_days: {value: 5, assumption: x}\n", "utf-8")  # fmt: skip
    with pytest.raises(ParameterError, match="assumption"):
        load_assistance_settings(own)
