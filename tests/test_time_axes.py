"""The two time axes (docs/time.md): the event selects the rule, the evaluation date what is known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiuye.calculator import calculate
from jiuye.engine.epochs import epochs_of
from jiuye.facts import facts_from_data
from jiuye.params import load_parameters
from jiuye.params.model import Parameter, Reference, ValueEntry
from jiuye.policies.documents import documents
from jiuye.policies.registry import all_measures, get_measure
from policy_cases import load_cases

D = dt.date


def _param() -> Parameter:
    ref = Reference("x", "（一）")
    return Parameter(
        "t.p",
        "测试参数",
        "CNY",
        (
            ValueEntry(D(2025, 1, 1), Decimal(1), ref, published=D(2025, 3, 1)),
            ValueEntry(D(2025, 1, 1), Decimal(2), ref, published=D(2025, 9, 1)),
            ValueEntry(D(2025, 6, 1), Decimal(3), ref, published=D(2025, 9, 1)),
        ),
    )


def test_event_selects_the_rule_and_evaluation_date_what_is_known() -> None:
    p = _param()
    assert p.entry_at(D(2024, 12, 31)) is None
    assert p.entry_at(D(2025, 2, 1), known_by=D(2025, 2, 28)) is None  # not yet published
    assert p.entry_at(D(2025, 2, 1), known_by=D(2025, 3, 1)).value == 1  # type: ignore[union-attr]
    # A later document revises the value for the same events once it is published.
    assert p.entry_at(D(2025, 2, 1), known_by=D(2025, 9, 1)).value == 2  # type: ignore[union-attr]
    assert p.entry_at(D(2025, 7, 1), known_by=D(2025, 9, 1)).value == 3  # type: ignore[union-attr]
    assert p.entry_at(D(2025, 7, 1), known_by=D(2025, 8, 31)).value == 1  # type: ignore[union-attr]
    assert p.entry_at(D(2025, 7, 1)).value == 3  # type: ignore[union-attr]


def test_epochs_split_where_a_governing_value_changes() -> None:
    epochs = epochs_of(get_measure("gx.hrservice"), load_parameters(), D(2025, 12, 1))
    spans = [(e.start, e.end, e.in_force) for e in epochs]
    assert spans == [(None, D(2025, 1, 1), False), (D(2025, 1, 1), D(2025, 9, 10), True), (D(2025, 9, 10), None, True)]
    # Before the later document is published, its change is unknown: one epoch in force.
    early = epochs_of(get_measure("gx.hrservice"), load_parameters(), D(2025, 9, 1))
    assert [(e.start, e.in_force) for e in early] == [(None, False), (D(2025, 1, 1), True)]


def _hire(hire: str) -> dict[str, object]:
    return {
        "employers": [{"id": "E1", "kind": "enterprise"}],
        "persons": [{"id": "P1", "birth_date": "2003-05-01", "unemployment_registered_on": "2024-10-01"}],
        "employments": [
            {
                "person": "P1",
                "employer": "E1",
                "hire_date": hire,
                "labour_contract": True,
                "months_paid_ui": 6,
                "months_paid_injury": 6,
                "months_paid_pension": 6,
            }
        ],
    }


def _decide(data: dict[str, object], as_of: dt.date, region: str, measure: str) -> tuple[str, list[str]]:
    report = calculate(facts_from_data(data), as_of=as_of, region=region, measures=[get_measure(measure)])
    (decision,) = report.decisions
    return decision.status, decision.reasons


def test_the_answer_depends_on_the_facts_not_on_when_one_asks() -> None:
    later = _decide(_hire("2025-03-01"), D(2025, 12, 31), "450103", "gx.expansion")
    much_later = _decide(_hire("2025-03-01"), D(2026, 6, 30), "450103", "gx.expansion")
    assert later[0] == much_later[0] == "eligible"


def test_event_before_the_earliest_basis_fails_on_time_and_every_other_reason_is_still_given() -> None:
    data = _hire("2024-11-01")
    data["employers"] = [{"id": "E1", "kind": "public_institution"}]
    status, reasons = _decide(data, D(2025, 12, 31), "450103", "gx.expansion")
    assert status == "ineligible"
    assert any("不早于本政策最早依据的适用起始日" in r for r in reasons)
    assert any("企业或社会组织" in r for r in reasons)  # not hidden behind "not in force"


def test_out_of_jurisdiction_is_the_first_reason_even_before_the_rule_is_known() -> None:
    for as_of in (D(2025, 1, 2), D(2025, 12, 31)):
        status, reasons = _decide(_hire("2025-03-01"), as_of, "440300", "gx.expansion")
        assert status == "ineligible"
        assert "广西壮族自治区" in reasons[0], reasons


def test_asking_before_a_document_is_published_says_so() -> None:
    status, reasons = _decide(
        {"employers": [{"id": "E1", "kind": "enterprise"}]}, D(2025, 3, 5), "450103", "cn.directions"
    )
    assert status == "ineligible"
    assert any("尚未施行" in r and "2025年3月6日发布" in r for r in reasons), reasons


_START_NAMES = ("_start", "_from", "period_start", "scope_start")


def _cited(entry: ValueEntry) -> str | None:
    return entry.reference.document if entry.reference else None


def test_one_reading_per_document_for_dates_the_text_leaves_open() -> None:
    """Every value citing a document with a reading governs from that reading (or says why not),
    and every start date it sets equals the reading unless it has its own named assumption."""
    docs = documents()
    problems = []
    for name, param in load_parameters().params.items():
        for entry in param.entries:
            doc = docs.get(_cited(entry) or "")
            if doc is None or doc.governs_from is None:
                continue
            if entry.since < doc.governs_from:
                problems.append(f"{name}@{entry.since}: 早于 {doc.id} 的读法 {doc.governs_from}")
            if entry.since != doc.governs_from and not entry.since_note:
                problems.append(f"{name}@{entry.since}: 非 {doc.id} 的读法且无 since_note")
            starts = param.unit == "date" and name.endswith(_START_NAMES)
            if starts and entry.value != doc.governs_from and not entry.own_reading:
                problems.append(f"{name}={entry.value}: 非 {doc.id} 的读法 {doc.governs_from} 且无 own_reading")
    assert not problems, "\n".join(problems)


def test_own_readings_carry_a_named_assumption() -> None:
    for param in load_parameters().params.values():
        for entry in param.entries:
            if entry.own_reading:
                assert entry.assumption, param.name


_FIRST_CASES = {c.measure: c for c in reversed(load_cases())}


@pytest.mark.parametrize("measure", [m.id for m in all_measures()])
def test_conditions_come_in_order_place_time_then_substance(measure: str) -> None:
    case = _FIRST_CASES[measure]
    m = get_measure(measure)
    report = calculate(facts_from_data(case.facts), as_of=case.as_of, region=case.region, measures=[m])
    decisions = [d for d in report.decisions if d.measure == measure]
    assert decisions
    timing = [c.key for c in m.conditions if c.timing]
    for decision in decisions:
        keys = [c.key for c in decision.lines[0].conditions]
        assert keys[:2] == ["jurisdiction", "in_force"]
        assert keys[2 : 2 + len(timing)] == timing
