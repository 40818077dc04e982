"""Run every YAML case beside the rules: status, amount and reasons per beneficiary."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jiuye.calculator import calculate
from jiuye.facts import facts_from_data
from jiuye.money import fen_to_decimal
from jiuye.params import ParameterSet
from jiuye.policies.registry import get_measure
from policy_cases import Case, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, params: ParameterSet) -> None:
    facts = facts_from_data(case.facts)
    report = calculate(
        facts,
        as_of=case.as_of,
        region=case.region,
        params=params,
        measures=[get_measure(m) for m in case.measures],
    )
    for expected in case.expect:
        measure = expected.get("measure", case.measure)
        found = [d for d in report.decisions if d.measure == measure and d.subject_id == str(expected["subject"])]
        if expected.get("absent"):
            assert not found, f"不应有 {measure} 对 {expected['subject']} 的决定"
            continue
        assert len(found) == 1, f"{measure} 对 {expected['subject']} 的决定数为 {len(found)}"
        decision = found[0]
        text = "\n".join(decision.reasons)
        assert decision.status == expected["status"], text
        if "amount" in expected:
            amount = None if decision.amount_fen is None else fen_to_decimal(decision.amount_fen)
            want = None if expected["amount"] is None else Decimal(str(expected["amount"]))
            assert amount == want, text
        if "ceiling" in expected:  # an up-to figure (最高, 不超过, 为限额), never in ``amount``
            ceiling = None if decision.ceiling_fen is None else fen_to_decimal(decision.ceiling_fen)
            want = None if expected["ceiling"] is None else Decimal(str(expected["ceiling"]))
            assert ceiling == want, text
        if "first_reason_contains" in expected:  # e.g. place before time and substance
            assert expected["first_reason_contains"] in decision.reasons[0], text
        for fragment in expected.get("reasons_contain", []):
            assert fragment in text, f"理由中应含“{fragment}”：\n{text}"
        missing = "、".join(decision.missing_facts)
        for fragment in expected.get("missing_contain", []):
            assert fragment in missing, f"缺少事实中应含“{fragment}”：{missing}"
        if "selected" in expected:
            assert decision.selected is expected["selected"], decision.conflicts
        for key, value in (expected.get("info") or {}).items():
            infos = {k: v for line in decision.lines for k, v in line.info.items()}
            assert infos.get(key) == value, infos
