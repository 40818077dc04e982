"""Decisions: what a beneficiary gets under one measure, and why, built from evaluated rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ConditionResult", "Conflict", "Decision", "Line", "PartLine"]


@dataclass
class ConditionResult:
    key: str
    label: str
    result: bool | None
    citation: str
    basis: str | None = None  # which facts decided a status it reads: declared, or derived from dates

    def to_json(self) -> dict[str, Any]:
        out = {"key": self.key, "label": self.label, "result": self.result, "citation": self.citation}
        return out | ({"basis": self.basis} if self.basis else {})


@dataclass
class PartLine:
    label: str
    quantity: int
    quantity_unit: str
    quantity_text: str  # "2人", or a base amount "48,000.00元" for ratio parts
    rate: str
    subtotal_fen: int  # for a ceiling part: the ceiling
    ceiling: bool = False  # the subtotal is an up-to figure (最高, 不超过, 为限额)
    due_fen: int | None = None  # a ceiling part's amount due, when the fact that settles it is known
    due_fact: str = ""  # the label of that fact


@dataclass
class Line:
    """One evaluated row (a hire, an internship month count, a certificate...)."""

    key: str
    label: str
    status: str
    amount_fen: int | None
    conditions: list[ConditionResult]
    parts: list[PartLine]
    missing_facts: list[str]
    values: dict[str, str]  # facts and variables used, masked, for the trace
    info: dict[str, str]
    ceiling_fen: int | None = None  # up-to figure; amount_fen is then the amount due, or None
    near_miss: str | None = None  # 差一点: the one failed condition and how far ("缴费差1个月")


@dataclass
class Conflict:
    kind: str  # once | exclusive
    measures: list[str]
    chosen: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "measures": self.measures, "chosen": self.chosen, "message": self.message}


@dataclass
class Decision:
    measure: str
    title: str
    subject_kind: str
    subject_id: str
    subject_name: str | None
    region: str | None
    status: str
    amount_fen: int | None
    lines: list[Line]
    reasons: list[str]
    citations: list[str]
    missing_facts: list[str]
    assumptions: list[str]
    fund: str | None
    pays_money: bool
    exclusion_group: str | None = None
    notes: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    selected: bool = True  # false when a better exclusive alternative was chosen
    # An up-to figure (最高, 不超过, 为限额); ``amount_fen`` is then the amount due when the facts
    # settle it, else None (the bureau sets it within the ceiling). Never add a ceiling to amounts.
    ceiling_fen: int | None = None
