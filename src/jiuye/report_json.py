"""The stable JSON contract of a calculation (``jiuye eval --format json``)."""

from __future__ import annotations

from typing import Any

from jiuye.calculator import Report
from jiuye.engine.decision import Decision, Line
from jiuye.engine.provenance import Provenance
from jiuye.money import fen_to_decimal
from jiuye.regions import region_name

__all__ = ["SCHEMA_VERSION", "decision_json", "report_json"]

SCHEMA_VERSION = 2  # 2: amounts due and ceilings apart ("ceiling")


def _amount(fen: int | None) -> str | None:
    return None if fen is None else str(fen_to_decimal(fen))


def _line_json(line: Line) -> dict[str, Any]:
    return {
        "label": line.label,
        "status": line.status,
        "amount": _amount(line.amount_fen),
        "ceiling": _amount(line.ceiling_fen),
        "conditions": [c.to_json() for c in line.conditions],
        "breakdown": [
            {
                "label": p.label,
                "quantity": p.quantity,
                "quantity_text": p.quantity_text,
                "unit": p.quantity_unit,
                "rate": p.rate,
                "amount": None if p.ceiling else _amount(p.subtotal_fen),
                "ceiling": _amount(p.subtotal_fen) if p.ceiling else None,
                "due": _amount(p.due_fen),
            }
            for p in line.parts
        ],
        "facts_used": line.values,
        "info": line.info,
        "missing_facts": line.missing_facts,
    }


def decision_json(d: Decision, provenance: Provenance | None = None) -> dict[str, Any]:
    data = {
        "measure": d.measure,
        "title": d.title,
        "subject": {"kind": d.subject_kind, "id": d.subject_id, "name": d.subject_name},
        "region": d.region,
        "status": d.status,
        # the amount due (null when only a ceiling is known) and the ceiling (最高, 不超过), apart
        "amount": _amount(d.amount_fen) if d.pays_money else None,
        "ceiling": _amount(d.ceiling_fen) if d.pays_money else None,
        "pays_money": d.pays_money,
        "fund": d.fund,
        "reasons": d.reasons,
        "citations": d.citations,
        "conditions": [c.to_json() for c in d.lines[0].conditions] if len(d.lines) == 1 else [],
        "lines": [_line_json(x) for x in d.lines],
        "missing_facts": d.missing_facts,
        "assumptions": d.assumptions,
        "notes": d.notes,
        "conflicts": [c.to_json() for c in d.conflicts],
        "selected": d.selected,
    }
    if provenance is not None:
        data["provenance"] = provenance.decision(d.measure)
    return data


def report_json(report: Report) -> dict[str, Any]:
    eligible = [d for d in report.decisions if d.status == "eligible" and d.selected and d.pays_money]
    total = sum(d.amount_fen or 0 for d in eligible)
    unsettled = [d.ceiling_fen for d in eligible if d.amount_fen is None and d.ceiling_fen is not None]
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": report.as_of.isoformat(),
        "region": report.region,
        "region_name": region_name(report.region) if report.region else None,
        "decisions": [decision_json(d, report.provenance) for d in report.decisions],
        "total_amount": _amount(total),
        "total_ceiling_unsettled": _amount(sum(unsettled)),
        "provenance": _provenance(report.provenance),
    }


def _provenance(provenance: Provenance | None) -> dict[str, Any] | None:
    """The run's provenance without the per-measure detail each decision already carries."""
    if provenance is None:
        return None
    data = provenance.to_json()
    data.pop("rules")
    return data
