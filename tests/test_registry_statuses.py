"""Registries carry declared statuses and the one contract type as columns; old contract columns
still read, folded by the same rule as facts documents; contradictions are reported by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from jiuye.engine.measure import Unit
from jiuye.facts.tables import tables_from_registry
from jiuye.registry.io import RegistryError, read_registry

TODAY = dt.date(2026, 1, 1)


def test_statuses_are_read_from_chinese_headers(tmp_path: Path) -> None:
    (tmp_path / "人员.csv").write_text(
        "人员编号,失业登记状态,登记失业起始日期,参保状态,参保起始日期,就业困难人员认定日期,"
        "低保家庭成员名单截止日期,列入低保家庭成员名单日期,贷款申请日期,申请贷款金额\n"
        'P1,是,2025/3/1,是,2024-01-01,2025年1月5日,,,2025-09-01,"200,000"\n'
        "P2,否,,否,,,2024-12-31,2023-01-01,,\n",
        "utf-8",
    )
    persons = read_registry(tmp_path, today=TODAY).tables["persons"].collect()
    assert persons.select(
        "registered_unemployed_since", "ui_insured", "difficult_person_since", "low_income_family_until"
    ).rows() == [
        (dt.date(2025, 3, 1), True, dt.date(2025, 1, 5), None),
        (None, False, None, dt.date(2024, 12, 31)),
    ]
    assert str(persons["startup_loan_amount"][0]) == "200000.00"


def test_a_status_contradicting_its_own_dates_is_reported_by_line(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text(
        "id,registered_unemployed,registered_unemployed_since,disabled_since,disabled_until\n"
        "P1,否,2025-03-01,,\n"
        "P2,,,2025-03-01,2025-02-01\n"
        "P3,是,,,\n",
        "utf-8",
    )
    (tmp_path / "certificates.csv").write_text(
        "person,level,held,issued_on\nP3,中级工,否,2025-06-01\nP3,高级工,否,\n", "utf-8"
    )
    with pytest.raises(RegistryError) as caught:
        read_registry(tmp_path, today=TODAY)
    found = {(p.file, p.line, p.field) for p in caught.value.problems}
    assert found == {
        ("persons.csv", 2, "registered_unemployed_since"),
        ("persons.csv", 3, "disabled_until"),
        ("certificates.csv", 2, "issued_on"),
    }


def test_old_contract_columns_fold_into_the_contract_type_and_contradictions_are_reported(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text("id\nP1\n", "utf-8")
    (tmp_path / "employers.csv").write_text("id\nE1\n", "utf-8")
    (tmp_path / "招用记录.csv").write_text(
        "人员编号,单位编号,招用（入职）日期,签订劳动合同,无固定期限劳动合同,合同期限,合同类型\n"
        "P1,E1,2025-03-01,是,是,,\n"
        "P1,E1,2025-03-02,否,,,\n"
        "P1,E1,2025-03-03,是,,24,\n"
        "P1,E1,2025-03-04,,,,以完成一定工作任务为期限\n"
        "P1,E1,2025-03-05,是,,,未签订\n"
        "P1,E1,2025-03-06,,,12,无固定期限\n",
        "utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        read_registry(tmp_path, today=TODAY)
    assert {(p.line, p.field) for p in caught.value.problems} == {(6, "labour_contract"), (7, "contract_months")}
    registry = read_registry(tmp_path, today=TODAY, skip_bad=True)
    table = tables_from_registry(registry.tables)[Unit.employment].collect()
    assert table.select("employment_contract_type", "employment_contract_signed").rows() == [
        ("open_ended", True),
        ("none", False),
        ("fixed_term", True),
        ("task_based", True),
    ]
    assert table.schema["employment_contract_signed"] == pl.Boolean
