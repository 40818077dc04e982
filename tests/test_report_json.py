"""The JSON contract keeps the amount due and the ceiling (最高, 不超过) apart, and totals only amounts due."""

from __future__ import annotations

import datetime as dt

from jiuye.calculator import calculate
from jiuye.facts import facts_from_data
from jiuye.params import ParameterSet
from jiuye.policies.registry import get_measure
from jiuye.report_json import SCHEMA_VERSION, report_json

FACTS = {
    "employers": [{"id": "HR", "kind": "enterprise", "hr_service_agency": True}, {"id": "E1", "kind": "enterprise"}],
    "persons": [
        {"id": "P1", "rural_labour": True},
        {"id": "Y", "birth_date": "2003-05-01", "unemployment_registered_on": "2025-01-10",
         "unemployment_registration_ended_on": "2025-03-01"},
    ],
    "employments": [
        {"person": "Y", "employer": "E1", "hire_date": "2025-03-01", "labour_contract": True,
         "months_paid_ui": 10, "months_paid_injury": 10, "months_paid_pension": 10},
    ],
    "placements": [
        {"agency": "HR", "person": "P1", "employer": "E1", "placed_on": "2025-09-01", "contract_months": 12,
         "months_paid_pension": 3},
    ],
}  # fmt: skip


def test_a_ceiling_is_reported_apart_and_left_out_of_the_total(params: ParameterSet) -> None:
    report = calculate(
        facts_from_data(FACTS),
        as_of=dt.date(2025, 12, 31),
        region="450103",
        params=params,
        measures=[get_measure("gx.expansion"), get_measure("gx.hrservice")],
    )
    out = report_json(report)
    assert out["schema_version"] == SCHEMA_VERSION == 2
    by_measure = {d["measure"]: d for d in out["decisions"]}
    hr = by_measure["gx.hrservice"]
    assert (hr["status"], hr["amount"], hr["ceiling"]) == ("eligible", None, "1000.00")
    assert hr["lines"][0]["breakdown"][0] | {"label": ""} == {
        "label": "", "quantity": 1, "quantity_text": "1人", "unit": "人", "rate": "1,000.00元",
        "amount": None, "ceiling": "1000.00", "due": None,
    }  # fmt: skip
    assert "最高可领1,000.00元" in hr["reasons"][0]
    assert (by_measure["gx.expansion"]["amount"], by_measure["gx.expansion"]["ceiling"]) == ("1500.00", None)
    assert (out["total_amount"], out["total_ceiling_unsettled"]) == ("1500.00", "1000.00")
