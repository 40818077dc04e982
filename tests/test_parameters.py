"""Parameters are data: dated values with references; extending a measure needs no Python."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jiuye.calculator import calculate
from jiuye.errors import ParameterError
from jiuye.facts import facts_from_data
from jiuye.params import ParameterSet, load_parameters
from jiuye.params.loader import parse_file
from jiuye.policies.registry import get_measure

EXTENSION = """
namespace: gx.expansion
parameters:
  period_end:
    description: 招用日期的截止日（政策执行期限）
    unit: date
    values:
      2026-01-01:
        value: 2026-12-31
        reference: {document: 某延续通知, clause: 一, quote: 一次性扩岗补助政策延续执行至2026年12月31日}
        published: 2026-01-20
"""

HIRE_2026 = {
    "employers": [{"id": "E1", "kind": "enterprise"}],
    "persons": [{"id": "P1", "birth_date": "2004-05-01", "unemployment_registered_on": "2026-01-10"}],
    "employments": [
        {
            "person": "P1",
            "employer": "E1",
            "hire_date": "2026-02-01",
            "labour_contract": True,
            "months_paid_ui": 3,
            "months_paid_injury": 3,
            "months_paid_pension": 3,
        }
    ],
}


def _status(params: ParameterSet, as_of: dt.date) -> tuple[str, int | None, str]:
    report = calculate(
        facts_from_data(HIRE_2026),
        as_of=as_of,
        region="450103",
        params=params,
        measures=[get_measure("gx.expansion")],
    )
    (decision,) = report.decisions
    return decision.status, decision.amount_fen, "\n".join(decision.reasons)


def test_a_new_notice_extending_the_period_is_a_data_change(tmp_path: Path) -> None:
    local = tmp_path / "extension.params.yaml"
    local.write_text(EXTENSION, encoding="utf-8")
    before = load_parameters()
    after = load_parameters([local])
    assert _status(before, dt.date(2026, 6, 30))[0] == "ineligible"
    assert _status(after, dt.date(2026, 6, 30))[:2] == ("eligible", 150000)
    # Asked before the notice was published, the old end date is all that is known.
    status, _, reasons = _status(after, dt.date(2026, 1, 19))
    assert status == "ineligible"
    assert "2025年12月31日" in reasons


def test_every_value_needs_a_reference_or_a_named_assumption() -> None:
    text = """
namespace: x
parameters:
  a:
    description: 测试
    unit: CNY
    values:
      2025-01-01: {value: 1}
"""
    with pytest.raises(ParameterError, match="既无出处"):
        parse_file(text, "t.yaml")


def test_reference_needs_document_and_clause() -> None:
    text = """
namespace: x
parameters:
  a:
    description: 测试
    unit: CNY
    values:
      2025-01-01: {value: 1, reference: {document: gx38}}
"""
    with pytest.raises(ParameterError, match="clause"):
        parse_file(text, "t.yaml")


def test_dated_values_resolve_by_as_of(params: ParameterSet) -> None:
    name = "gx.talent.qingmiao.living_allowance"  # a new measure: nothing before its document
    assert params.at(dt.date(2025, 8, 24)).get(name) is None  # before the document
    assert params.at(dt.date(2025, 8, 25)).fen(name) == 10000000
    # A continuing measure is known from its earliest basis; the restating document cites the same value.
    amount = "gx.expansion.amount_per_person"
    before, after = params.at(dt.date(2025, 8, 24)), params.at(dt.date(2025, 8, 26))
    assert before.fen(amount) == after.fen(amount) == 150000
    assert before.entry(amount).reference.document == "rsbf2024-44"  # type: ignore[union-attr]
    assert after.entry(amount).reference.document == "gxys"  # type: ignore[union-attr]


def test_before_the_documents_a_measure_is_not_yet_in_force(params: ParameterSet) -> None:
    # 人社部发〔2024〕44号, the expansion subsidy's earliest basis, is not yet published.
    status, _, reasons = _status(params, dt.date(2023, 12, 1))
    assert status == "ineligible"
    assert "尚未施行" in reasons


def test_every_bundled_parameter_cites_a_known_document(params: ParameterSet) -> None:
    from jiuye.policies.documents import documents

    known = documents()
    for name, param in params.params.items():
        for entry in param.entries:
            assert entry.reference or entry.assumption, name
            if entry.reference:
                assert entry.reference.document in known, (name, entry.reference.document)
                assert entry.reference.quote, f"{name} 的出处缺少原文引用"


RESTATED = """
namespace: t.restated
parameters:
  ratio:
    description: 基础取值与重述文件的取值自同一日期起适用
    unit: ratio
    values:
      2025-01-01:
        - value: 0.6
          assumption: 基础（最早依据）
          published: 2025-04-14
        - value: 0.9
          reference: {document: gxys, clause: （十四）, quote: 中小微企业返还比例提至90%}
"""


def test_several_values_from_one_date_are_told_apart_by_when_they_were_published() -> None:
    (param,) = parse_file(RESTATED, "t.params.yaml").values()
    assert [e.published for e in param.entries] == [dt.date(2025, 4, 14), dt.date(2025, 8, 25)]
    event = dt.date(2025, 3, 1)
    assert param.entry_at(event, known_by=dt.date(2025, 4, 13)) is None
    assert str(param.entry_at(event, known_by=dt.date(2025, 8, 24)).value) == "0.6"  # type: ignore[union-attr]
    assert str(param.entry_at(event, known_by=dt.date(2025, 8, 25)).value) == "0.9"  # type: ignore[union-attr]
