"""Before any basis of a measure is published, its substantive conditions cannot be judged, and the
not-yet-in-force reason names only the documents still to come (docs/time.md, 理由的顺序)."""

from __future__ import annotations

import datetime as dt

from jiuye.calculator import calculate
from jiuye.facts import facts_from_data
from jiuye.policies.registry import get_measure


def _reasons(measure: str, data: dict[str, object], as_of: dt.date) -> tuple[str, list[str]]:
    report = calculate(facts_from_data(data), as_of=as_of, region="450103", measures=[get_measure(measure)])
    (decision,) = report.decisions
    return decision.status, decision.reasons


def test_an_enterprise_is_not_told_it_is_no_enterprise_before_the_rule_is_published() -> None:
    data = {"employers": [{"id": "E1", "kind": "enterprise", "months_unable_to_pay_min_wage": 4}]}
    status, reasons = _reasons("xxq.si.defer", data, dt.date(2024, 12, 31))
    assert status == "ineligible"
    assert any("尚未施行" in r for r in reasons)
    assert not any(r.startswith("不符合") and "申请单位为企业" in r for r in reasons), reasons
    after = _reasons("xxq.si.defer", data, dt.date(2025, 1, 1))
    assert after[0] == "eligible"


def test_the_not_yet_in_force_reason_names_only_unpublished_documents() -> None:
    person = {
        "id": "P1",
        "currently_employed": False,
        "living_hardship": True,
        "ui_contribution_months": 11,
        "involuntary_unemployment": True,
        "unemployment_registered_on": "2024-11-01",
        "seeking_work": True,
    }
    _, reasons = _reasons("xxq.temp.living", {"persons": [person]}, dt.date(2024, 12, 31))
    text = "\n".join(reasons)
    assert "XX区实施方案（2025）于2025年1月1日发布" in text
    assert "失业保险条例" not in text  # published in 1999: not why the measure is not yet in force
