"""Continuing measures keep their base from the earliest basis (docs/time.md, lineage.yaml).

The central promise: for a continuing measure, asking one day before and one day after a
restating document gives the same answer for the same facts, except where that document
changed a value (recorded under ``changes``), which then applies to the events it governs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from jiuye.calculator import calculate
from jiuye.facts import facts_from_data
from jiuye.policies.documents import documents
from jiuye.policies.lineage import KINDS, lineages
from jiuye.policies.registry import all_measures, get_measure
from policy_cases import Case, load_cases

SHARED = Path(__file__).resolve().parents[2] / "shared" / "policies"
_DAY = dt.timedelta(days=1)


def _norm(text: str) -> str:
    return re.sub(r"[\s，。；、：“”\"…()（）]", "", text)


def test_every_measure_has_a_lineage() -> None:
    assert sorted(lineages()) == sorted(m.id for m in all_measures())


@pytest.mark.parametrize("measure", sorted(lineages()))
def test_lineage_is_well_formed(measure: str) -> None:
    lineage = lineages()[measure]
    docs = documents()
    assert lineage.kind in KINDS
    assert lineage.basis in docs, lineage.basis
    assert lineage.words.document in docs
    for doc in lineage.restated_by:
        assert doc in docs, doc
        assert docs[doc].date >= docs[lineage.basis].date, f"{doc} 早于其依据 {lineage.basis}"
    if lineage.kind == "new":
        assert not lineage.restated_by or lineage.basis not in lineage.restated_by
    else:
        assert lineage.restated_by, "延续性政策须写明重申它的文件"
    assert set(lineage.changes) <= set(lineage.restated_by)


@pytest.mark.parametrize("measure", sorted(lineages()))
def test_the_words_are_the_documents_own(measure: str) -> None:
    words = lineages()[measure].words
    doc = documents()[words.document]
    if doc.file is None or not (SHARED / doc.file).exists():
        pytest.skip("原文不在 shared/policies")  # external documents are checked in test_citations
    text = _norm((SHARED / doc.file).read_text("utf-8"))
    for piece in words.quote.split("……"):
        assert _norm(piece) in text, piece


def _changed(measure: str, doc: str) -> bool:
    return doc in lineages()[measure].changes


def _continuity_cases() -> list[tuple[str, str, Case]]:
    out = []
    by_measure: dict[str, list[Case]] = {}
    for case in load_cases():
        if case.measures == [case.measure]:
            by_measure.setdefault(case.measure, []).append(case)
    for measure, lineage in sorted(lineages().items()):
        if lineage.kind != "continuing":
            continue
        for doc in lineage.restated_by:
            if _changed(measure, doc):
                continue
            for case in by_measure.get(measure, []):
                if any(e.get("status") == "eligible" for e in case.expect):
                    out.append((measure, doc, case))
    return out


def _answers(case: Case, measure: str, as_of: dt.date) -> dict[str, tuple[str, int | None]]:
    report = calculate(facts_from_data(case.facts), as_of=as_of, region=case.region, measures=[get_measure(measure)])
    return {d.subject_id: (d.status, d.amount_fen) for d in report.decisions}


@pytest.mark.parametrize(("measure", "doc", "case"), _continuity_cases(), ids=lambda x: getattr(x, "name", str(x)))
def test_same_answer_a_day_before_and_after_a_restating_document(measure: str, doc: str, case: Case) -> None:
    published = documents()[doc].date
    before = _answers(case, measure, published - _DAY)
    after = _answers(case, measure, published + _DAY)
    assert before == after


_RELATED_SME = {
    "employers": [
        {
            "id": "E1",
            "kind": "enterprise",
            "size": "small",
            "related_enterprise": True,
            "insured_staff": 80,
            "ui_paid_months": 36,
            "layoffs_last_year": 0,
            "ui_contributions_last_year": "48000",
        }
    ]
}


def _refund(as_of: dt.date) -> tuple[str, int | None]:
    measures = [get_measure("gx.ui.refund")]
    report = calculate(facts_from_data(_RELATED_SME), as_of=as_of, region="450103", measures=measures)
    (decision,) = report.decisions
    return decision.status, decision.amount_fen


def test_a_restating_document_that_changed_a_value_applies_it_to_the_events_it_governs() -> None:
    """The 90% for a 相关企业 SME is the new increment: the base 60% (人社部发〔2025〕18号, continuing
    人社部发〔2024〕40号) until the first Guangxi document raising it is published, 90% after.
    That document is the action plan (十四) of 2025-08-25; 桂人社发〔2025〕38号 (二) restates the 90%."""
    assert lineages()["gx.ui.refund"].changes == {
        "gxys": ("gx.ui.refund.ratio_related_large", "gx.ui.refund.ratio_related_sme")
    }
    raised = documents()["gxys"].date
    assert _refund(raised - _DAY) == ("eligible", 2_880_000)  # 48000 × 60% = 28800 元
    assert _refund(raised + _DAY) == ("eligible", 4_320_000)  # 48000 × 90% = 43200 元
    restated = documents()["gx38"].date  # restates the same ratio: no change at 2025-09-10
    assert _refund(restated - _DAY) == _refund(restated + _DAY) == ("eligible", 4_320_000)
    # Asked before the base is published (人社部发〔2025〕18号, 2025-04-14), nothing governs 2025 yet.
    assert _refund(documents()["rsbf2025-18"].date - _DAY)[0] == "ineligible"
