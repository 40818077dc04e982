"""Bad input gets a Chinese message naming the field; the CLI exits non-zero and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiuye.cli.app import app
from jiuye.errors import FactsError
from jiuye.facts import facts_from_data

runner = CliRunner()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"employers": [{"id": "E1", "colour": "red"}]}, "employers[0].colour：不是可识别的字段"),
        ({"persons": [{"id": "P1", "birth_date": "2001-13-01"}]}, "persons[0].birth_date（出生日期）：日期格式不正确"),
        ({"persons": [{"id": "P1", "id_number": "450103200101011235"}]}, "persons[0].id_number（公民身份号码）"),
        ({"employers": [{"id": "E1", "staff": -3}]}, "employers[0].staff（从业人员数）：不能为负数"),
        ({"employers": [{"id": "E1", "region": "4501"}]}, "employers[0].region（所在地行政区划代码）"),
        ({"employments": [{"person": "P9", "employer": "E1", "hire_date": "2025-01-01"}]}, "employments[0].person"),
        ({"employers": [{"id": "E1", "uscc": "91450100MA5KX12340"}]}, "统一社会信用代码"),
    ],
)
def test_bad_facts_name_the_field(data: dict[str, object], fragment: str) -> None:
    with pytest.raises(FactsError) as info:
        facts_from_data(data)
    assert fragment in str(info.value)


def test_id_numbers_are_masked_in_error_messages() -> None:
    with pytest.raises(FactsError) as info:
        facts_from_data({"persons": [{"id": "P1", "id_number": "450103200101011235"}]})
    assert "200101011235" not in str(info.value)
    assert "4501**********1235" in str(info.value)


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(FactsError) as info:
        facts_from_data({"employers": [{"id": "E1", "staff": -1, "kind": "bank"}], "persons": [{"id": 3}]})
    assert len(info.value.problems) == 3


def test_birth_date_and_sex_come_from_the_id_number() -> None:
    facts = facts_from_data({"persons": [{"id": "P1", "id_number": "11010519491231002X"}]})
    assert str(facts.persons[0].birth_date) == "1949-12-31"
    assert facts.persons[0].sex == "female"
    with pytest.raises(FactsError, match="不一致"):
        facts_from_data({"persons": [{"id": "P1", "id_number": "11010519491231002X", "birth_date": "1950-01-01"}]})


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("employers:\n  - {id: E1, staff: -3}\n", "staff（从业人员数）"),
        ("employers:\n  - {id: E1, foo: 1}\n", "foo"),
        ("persons:\n  - {id: P1, birth_date: 2001-02-30}\n", "birth_date（出生日期）"),
        ("persons:\n  - {id: P1, id_number: '450103200101011235'}\n", "id_number（公民身份号码）"),
        ("[1, 2", "无法解析"),
    ],
)
def test_cli_rejects_bad_input_in_chinese(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path), "--as-of", "2025-12-31", "--region", "450103"])
    assert result.exit_code == 2
    assert fragment in result.output


def test_cli_rejects_bad_options(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("employers: []\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path), "--as-of", "2025-31-12", "--region", "450103"])
    assert result.exit_code == 2 and "--as-of" in result.output
    result = runner.invoke(app, ["eval", str(path), "--as-of", "2025-12-31", "--region", "45"])
    assert result.exit_code == 2 and "行政区划代码" in result.output
    result = runner.invoke(app, ["eval", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "找不到" in result.output
