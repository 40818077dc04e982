"""The labour contract as one field (jiuye.facts.contracts): the old yes/no inputs fold into it by
one rule, contradictions are errors, and the engine never asks for the old fields."""

from __future__ import annotations

import pytest

from jiuye.engine.measure import Unit
from jiuye.errors import FactsError
from jiuye.facts import facts_from_data
from jiuye.facts import model as m
from jiuye.facts.tables import build_tables


def _hire(**contract: object) -> dict[str, object]:
    return {"person": "P1", "employer": "E1", "hire_date": "2025-03-01", **contract}


def _folded(*hires: dict[str, object]) -> list[tuple[object, object]]:
    facts = facts_from_data({"persons": [{"id": "P1"}], "employers": [{"id": "E1"}], "employments": list(hires)})
    table = build_tables(facts, [Unit.employment])[Unit.employment]
    return list(table.select("employment_contract_type", "employment_contract_signed").iter_rows())


def test_old_inputs_fold_into_the_one_contract_type_in_the_documented_order() -> None:
    assert _folded(
        _hire(contract_type="task_based", contract_months=8),  # 1. the type when stated
        _hire(open_ended_contract=True, labour_contract=True),  # 2. open-ended
        _hire(labour_contract=False),  # 3. no contract
        _hire(contract_months=36),  # 4. a term means a fixed term
        _hire(labour_contract=True),  # signed, type not said
        _hire(),
    ) == [
        ("task_based", True),
        ("open_ended", True),
        ("none", False),
        ("fixed_term", True),
        (None, True),
        (None, None),
    ]


@pytest.mark.parametrize(
    ("contract", "fragment"),
    [
        ({"contract_type": "open_ended", "contract_months": 12}, "不应填写合同期限"),
        ({"contract_type": "none", "contract_months": 12}, "不应填写合同期限"),
        (
            {"contract_type": "fixed_term", "open_ended_contract": True},
            "无固定期限劳动合同（旧字段）与劳动合同类型不一致",
        ),
        ({"contract_type": "none", "labour_contract": True}, "签订劳动合同（旧字段）与劳动合同类型不一致"),
        ({"labour_contract": False, "open_ended_contract": True}, "签订劳动合同为否"),
    ],
)
def test_contradicting_contract_fields_are_rejected(contract: dict[str, object], fragment: str) -> None:
    with pytest.raises(FactsError, match=fragment):
        facts_from_data({"persons": [{"id": "P1"}], "employers": [{"id": "E1"}], "employments": [_hire(**contract)]})


def test_a_placement_states_its_contract_the_same_way() -> None:
    with pytest.raises(FactsError, match="不应填写合同期限"):
        facts_from_data(
            {
                "persons": [{"id": "P1"}],
                "employers": [{"id": "A"}],
                "placements": [{"agency": "A", "person": "P1", "contract_type": "open_ended", "contract_months": 6}],
            }
        )


def test_the_public_imports_of_the_model_still_work() -> None:
    for name in m.__all__:
        assert getattr(m, name) is not None
    assert m.Person.__module__ == "jiuye.facts.person"
    assert m.Employment.__module__ == "jiuye.facts.employment"
