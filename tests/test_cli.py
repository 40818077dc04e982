"""The command line as users run it: catalog listing, the JSON contract, acceptance scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from catalog_ids import CATALOG_IDS
from jiuye.cli.app import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gx.expansion.yaml"


def _eval_json(path: Path, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["eval", str(path), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _decision(data: dict[str, object], measure: str) -> dict[str, object]:
    decisions = [d for d in data["decisions"] if d["measure"] == measure]  # type: ignore[attr-defined]
    assert len(decisions) == 1
    found: dict[str, object] = decisions[0]
    return found


def test_policies_list_json_has_every_catalog_id() -> None:
    result = runner.invoke(app, ["policies", "list", "--format", "json"])
    assert result.exit_code == 0
    ids = [m["id"] for m in json.loads(result.stdout)]
    assert sorted(ids) == sorted(CATALOG_IDS)


def test_policies_show_quotes_clauses_and_dated_parameters() -> None:
    result = runner.invoke(app, ["policies", "show", "gx.expansion", "--format", "json"])
    data = json.loads(result.stdout)
    assert "每吸纳1人1500元" in data["clauses"]
    amount = next(p for p in data["parameters"] if p["name"] == "gx.expansion.amount_per_person")
    assert amount["values"][0]["reference"]["quote"]
    assert data["validity"]["bounds"]["gx.expansion.period_end"] == "2025年12月31日"
    assert "3个月" in " ".join(c["label"] for c in data["conditions"])
    table = runner.invoke(app, ["policies", "show", "gx.expansion"])
    assert table.exit_code == 0 and "一次性扩岗补助" in table.output
    unknown = runner.invoke(app, ["policies", "show", "gx.nothing"])
    assert unknown.exit_code == 2 and "未知的政策编号" in unknown.output


def test_guangxi_sme_hiring_two_youths_in_2025_gets_3000() -> None:
    data = _eval_json(EXAMPLE, "--as-of", "2025-12-31", "--region", "450103")
    assert data["as_of"] == "2025-12-31" and data["region"] == "450103"
    d = _decision(data, "gx.expansion")
    assert d["status"] == "eligible"
    assert d["amount"] == "3000.00"
    assert d["reasons"] and d["citations"]
    assert {"measure", "status", "amount", "reasons", "citations"} <= d.keys()  # type: ignore[operator]


def test_the_same_hires_in_2026_are_ineligible_with_the_end_date(tmp_path: Path) -> None:
    facts = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    for e in facts["employments"]:
        e["hire_date"] = e["hire_date"].replace(year=2026)
    for p in facts["persons"]:
        for key in ("unemployment_registered_on", "unemployment_registration_ended_on"):
            if key in p:
                p[key] = p[key].replace(year=2026)
    path = tmp_path / "hires-2026.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    d = _decision(_eval_json(path, "--as-of", "2026-12-31", "--region", "450103"), "gx.expansion")
    assert d["status"] == "ineligible"
    assert d["amount"] is None
    assert "2025年12月31日" in "\n".join(d["reasons"])  # type: ignore[arg-type]


def test_an_enterprise_in_guangdong_gets_no_guangxi_measure(tmp_path: Path) -> None:
    facts = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    facts["region"] = "440300"
    path = tmp_path / "guangdong.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    data = _eval_json(path, "--as-of", "2025-12-31")
    guangxi = [d for d in data["decisions"] if d["measure"].startswith("gx.")]  # type: ignore[attr-defined]
    assert guangxi
    assert all(d["status"] == "ineligible" for d in guangxi)
    assert all(d["amount"] is None for d in guangxi)


def test_table_output_is_chinese() -> None:
    result = runner.invoke(app, ["eval", str(EXAMPLE)])
    assert result.exit_code == 0
    assert "一次性扩岗补助" in result.output and "3,000.00元" in result.output


def test_facts_schema_json_is_a_json_schema() -> None:
    result = runner.invoke(app, ["facts", "schema", "--format", "json"])
    schema = json.loads(result.stdout)
    assert schema["type"] == "object" and "employers" in schema["properties"]
    table = runner.invoke(app, ["facts", "schema"])
    assert "公民身份号码" in table.output


def test_generated_docs_are_up_to_date() -> None:
    dictionary = runner.invoke(app, ["facts", "schema", "--format", "markdown"]).stdout
    assert (ROOT / "docs" / "data-dictionary.md").read_text("utf-8") == dictionary, "运行 make docs 重新生成"
    listing = runner.invoke(app, ["policies", "assumptions", "--format", "markdown"]).stdout
    assert (ROOT / "docs" / "assumptions.md").read_text("utf-8") == listing, "运行 make docs 重新生成"


def test_demo_runs_every_example() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "已完成" in result.output


def test_text_output_ends_with_the_provenance_line() -> None:
    result = runner.invoke(app, ["eval", str(EXAMPLE), "--as-of", "2025-12-31", "--region", "450103"])
    assert result.exit_code == 0, result.output
    data = _eval_json(EXAMPLE, "--as-of", "2025-12-31", "--region", "450103")
    provenance = data["provenance"]
    assert isinstance(provenance, dict)
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("来源：引擎") and provenance["rule_set_hash"][:16] in line
    assert provenance["facts_hash"][:16] in line
