"""Code health: every catalog measure exists, is labelled, cited, tested and exemplified."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from catalog_ids import CATALOG_IDS
from jiuye.params import ParameterSet
from jiuye.policies.documents import documents
from jiuye.policies.registry import all_measures, module_of
from policy_cases import load_cases

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u4e00-\u9fff]")
MEASURES = {m.id: m for m in all_measures()}


def test_registry_matches_the_catalog() -> None:
    assert sorted(MEASURES) == sorted(CATALOG_IDS)


def test_catalog_ids_match_shared_catalog(shared: Path) -> None:
    text = (shared / "CATALOG.md").read_text(encoding="utf-8")
    ids = set(re.findall(r"^\| `([a-z0-9.]+)` \|", text, flags=re.M))
    assert ids == set(CATALOG_IDS)


@pytest.mark.parametrize("measure_id", CATALOG_IDS)
def test_measure_is_labelled_and_cited(measure_id: str) -> None:
    m = MEASURES[measure_id]
    known = documents()
    assert HAN.search(m.title) and HAN.search(m.summary)
    assert m.sources, "缺少出处"
    for c in [*m.sources, *(c.cite for c in m.conditions)]:
        assert c.document in known, c
        assert c.clause
    # A pure schedule (cn.report.quarterly) has no condition besides its jurisdiction.
    assert m.conditions or (m.info and not m.parts), "至少应有一个条件"
    for c in m.conditions:
        assert HAN.search(c.label), c.key
    for v in m.variables:
        assert HAN.search(v.label), v.name
    for part in m.parts:
        assert HAN.search(part.label)
    if m.pays_money:
        assert m.fund in {"ui_fund", "employment_fund", "fiscal", "tax", "loan"}


@pytest.mark.parametrize("measure_id", CATALOG_IDS)
def test_rule_module_quotes_its_clauses(measure_id: str) -> None:
    import importlib

    module = importlib.import_module(module_of(measure_id) or "")
    doc = module.__doc__ or ""
    assert measure_id in doc and ("“" in doc or "「" in doc), "模块文档应标明编号并引用条文原文"


@pytest.mark.parametrize("measure_id", CATALOG_IDS)
def test_measure_has_cases_on_both_sides(measure_id: str) -> None:
    cases = [c for c in load_cases() if c.measure == measure_id]
    assert len(cases) >= 3, "每项政策至少3个用例"
    statuses = {e["status"] for c in cases for e in c.expect if e.get("measure", measure_id) == measure_id}
    assert {"eligible", "ineligible"} <= statuses
    if MEASURES[measure_id].conditions:
        assert "needs_facts" in statuses, "应有一个“待补充事实”的用例"


@pytest.mark.parametrize("measure_id", CATALOG_IDS)
def test_measure_parameters_live_beside_the_rule(measure_id: str, params: ParameterSet) -> None:
    module = module_of(measure_id) or ""
    stem = Path(*module.split(".")[1:])
    path = ROOT / "src" / "jiuye" / stem.with_suffix(".params.yaml")
    assert path.exists(), f"缺少参数文件 {path}"
    namespace = yaml.safe_load(path.read_text("utf-8"))["namespace"]
    assert namespace == measure_id
    assert any(name.startswith(measure_id + ".") for name in params.params)


def test_no_policy_numbers_in_rule_code() -> None:
    """Amounts, ages, months and dates belong in parameters, not in Python."""
    suspicious = re.compile(r"(?<![\w.\"'])(?:1500|2000|5000|2025|3000|7800|9000|14400|0\.5|0\.6|0\.9)(?![\w\"'])")
    rules = ROOT / "src" / "jiuye" / "policies"
    for path in [*rules.glob("gx/*.py"), *rules.glob("xxq/*.py"), *rules.glob("cn/*.py")]:
        code = "\n".join(line.split("#")[0] for line in path.read_text("utf-8").splitlines())
        body = code.split('"""', 2)[-1]  # skip the module docstring that quotes the clause
        assert not suspicious.search(body), f"{path.name}: 规则代码中出现政策数值，应放入参数文件"
