"""Every measure has a plain-language guide; every item cites a clause in its words or names an assumption."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiuye.policies.documents import documents
from jiuye.policies.guides import GuideItem, guides
from jiuye.policies.registry import all_measures


def _norm(text: str) -> str:
    return re.sub(r"[\s，。；、：“”‘’\"'…()（）]", "", text)


def _items() -> list[tuple[str, GuideItem]]:
    return [(mid, item) for mid, g in sorted(guides().items()) for item in (*g.materials, *g.apply)]


def test_every_measure_has_a_guide_with_materials_and_steps() -> None:
    assert sorted(guides()) == sorted(m.id for m in all_measures())
    for mid, guide in guides().items():
        assert guide.materials and guide.apply, mid


@pytest.mark.parametrize(("measure_id", "item"), _items(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_item_cites_a_clause_or_names_an_assumption(measure_id: str, item: GuideItem) -> None:
    assert item.text.strip(), measure_id
    assert bool(item.document) != bool(item.assumption), f"{measure_id}：{item.text} 须有出处或具名假设，且只有其一"
    if item.document:
        assert item.document in documents(), item.document
        assert item.clause and item.quote, f"{measure_id}：{item.text} 的出处须写条款和原文"


def _quoted_from_a_copy() -> list[tuple[str, GuideItem]]:
    """Items quoting a document of which the project keeps a copy; a document without one
    (``file`` unset in documents.yaml, such as 财社〔2017〕164号) is checked by its citation only."""
    return [(m, i) for m, i in _items() if i.document and documents()[i.document].file is not None]


@pytest.mark.parametrize(("measure_id", "item"), _quoted_from_a_copy(), ids=lambda v: v if isinstance(v, str) else "")
def test_quotes_are_the_documents_own_words(measure_id: str, item: GuideItem, shared: Path) -> None:
    doc = documents()[item.document]
    assert doc.file is not None
    text = _norm((shared / "policies" / doc.file).read_text("utf-8"))
    for piece in item.quote.split("……"):
        assert _norm(piece) in text, f"{measure_id}：{piece}"


def test_every_measure_shows_its_quoted_clauses_without_the_developers_notes() -> None:
    import re

    from jiuye.catalog import measure_doc, quoted_clauses
    from jiuye.policies.registry import all_measures

    for measure in all_measures():
        shown = quoted_clauses(measure_doc(measure))
        assert "“" in shown or "「" in shown, measure.id
        assert not re.search(r"[A-Za-z]{3,} [a-z]{2,} [a-z]{2,}", shown), (measure.id, "英文说明不应出现在原文引文中")
