"""Citations of national rules: every summary (要旨) is marked unchecked, every checked rule names its source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from jiuye.params import ParameterSet
from jiuye.policies.documents import Document, documents

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = "要旨"
EXTERNAL = {key: d for key, d in documents().items() if d.external and key != "jiuye"}


def _yaml_references() -> Iterator[tuple[str, dict[str, object]]]:
    """Every {document, quote} mapping in the bundled YAML (parameters, sizing rules, ...)."""

    def walk(node: object, where: str) -> Iterator[tuple[str, dict[str, object]]]:
        if isinstance(node, dict):
            if "document" in node and "quote" in node:
                yield where, node
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{where}[{i}]")

    for path in sorted((ROOT / "src" / "jiuye").rglob("*.yaml")):
        if path.name == "documents.yaml" or path.name.endswith(".cases.yaml"):
            continue
        yield from walk(yaml.safe_load(path.read_text("utf-8")), path.name)


def test_every_external_rule_says_whether_its_text_was_checked() -> None:
    for key, doc in EXTERNAL.items():
        assert doc.text_checked is not None, f"{key}：须写明 text_checked（原文是否已核对）"
        assert isinstance(doc.checked, dt.date), f"{key}：须写明核对日期 checked"


@pytest.mark.parametrize("key", sorted(EXTERNAL))
def test_a_checked_rule_names_its_source_and_an_unchecked_one_what_was_searched(key: str) -> None:
    doc: Document = EXTERNAL[key]
    if doc.text_checked:
        assert doc.source_url, f"{key}：已核对原文，须列出 source_url"
        assert all(url.startswith(("http://", "https://")) for url in doc.source_url), doc.source_url
    else:
        assert doc.searched, f"{key}：原文未核对，须在 searched 中列出检索了什么"


def test_every_summary_quote_cites_a_rule_marked_unchecked(params: ParameterSet) -> None:
    found = 0
    for name, param in params.params.items():
        for entry in param.entries:
            ref = entry.reference
            if ref is None or SUMMARY not in ref.quote:
                continue
            found += 1
            doc = documents().get(ref.document)
            assert doc is not None and doc.external, (name, ref.document)
            assert doc.text_checked is False, f"{name}：引文为要旨，但 {ref.document} 标为已核对原文"
            assert doc.searched, f"{name}：{ref.document} 未核对原文，须写明检索记录"
            assert entry.assumption, f"{name}：要旨引文须同时写具名假设"
    assert found, "至少应检查到一处要旨（扩大社会保险补贴范围一条原文未收录）"


def test_summary_quotes_outside_parameters_are_marked_too() -> None:
    for where, ref in _yaml_references():
        if SUMMARY in str(ref["quote"]):
            doc = documents().get(str(ref["document"]))
            assert doc is not None and doc.text_checked is False, where


def test_a_rule_marked_checked_is_never_cited_by_a_summary() -> None:
    checked = {key for key, doc in EXTERNAL.items() if doc.text_checked}
    assert checked, "至少应有一份已核对原文的国家规则"
    for where, ref in _yaml_references():
        if ref["document"] in checked:
            assert SUMMARY not in str(ref["quote"]), where
