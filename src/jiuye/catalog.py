"""The policy catalog as people read it: ids, titles, clauses, parameters and their dated values."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from typing import Any

from jiuye.engine.evaluate import render_label
from jiuye.engine.measure import Measure
from jiuye.params import ParameterSet
from jiuye.params.model import display_value
from jiuye.policies.documents import citation_text
from jiuye.policies.registry import module_of

__all__ = ["FUND_NAMES", "measure_doc", "measure_json", "measure_parameters", "quoted_clauses"]

_JURISDICTION = {"gx": "广西壮族自治区", "xxq": "XX区", "cn": "全国"}
FUND_NAMES = {
    "ui_fund": "失业保险基金",
    "employment_fund": "就业补助资金",
    "fiscal": "财政资金",
    "tax": "税收减免",
    "loan": "贷款",
}


def measure_doc(measure: Measure) -> str:
    """The rule module's docstring: the clause quoted verbatim above the code."""
    module = importlib.import_module(_module_name(measure))
    return (module.__doc__ or "").strip()


_QUOTED = re.compile(r"：\s*“|「")  # a citation, then the words quoted


def quoted_clauses(doc: str) -> str:
    r"""The paragraphs of a rule module's docstring that quote a document (a citation, then “…” or
    「…」): what a reader of the catalog sees as the clauses, without the developers' notes around them.

    >>> quoted_clauses("x — “1131” note\n\n文件（六）：“原文。”\n\nDevelopers' “note”.")
    '文件（六）：“原文。”'
    """
    paragraphs = [p.strip() for p in doc.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if _QUOTED.search(p))


def _module_name(measure: Measure) -> str:
    return module_of(measure.id) or f"jiuye.policies.{measure.jurisdiction}"


def measure_parameters(measure: Measure, params: ParameterSet) -> list[dict[str, Any]]:
    out = []
    prefix = measure.id + "."
    for name, param in sorted(params.params.items()):
        if not name.startswith(prefix) or name[len(prefix) :].count(".") > 0:
            continue
        out.append(
            {
                "name": name,
                "description": param.description,
                "unit": param.unit,
                "values": [
                    {
                        "since": e.since.isoformat(),
                        "value": display_value(e.value, param.unit),
                        "raw": _raw(e.value),
                        "reference": (
                            {
                                "document": e.reference.document,
                                "citation": citation_text(e.reference.document, e.reference.clause),
                                "quote": e.reference.quote,
                            }
                            if e.reference
                            else None
                        ),
                        "assumption": e.assumption,
                    }
                    for e in param.entries
                ],
            }
        )
    return out


def _raw(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | list):
        return value
    return str(value)


def measure_json(
    measure: Measure, params: ParameterSet | None = None, *, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The catalog entry; with ``params``, also the clauses, parameters and validity."""
    resolved = params.at(as_of or dt.date.today()) if params is not None else None
    data: dict[str, Any] = {
        "id": measure.id,
        "title": measure.title,
        "jurisdiction": measure.jurisdiction,
        "jurisdiction_name": _JURISDICTION.get(measure.jurisdiction, measure.jurisdiction),
        "citations": [citation_text(c.document, c.clause) for c in measure.sources],
        "summary": measure.summary,
        "unit": measure.unit.value,
        "beneficiary": measure.beneficiary,
        "result": "amount" if measure.pays_money else "fact",
        "fund": measure.fund,
        "fund_name": FUND_NAMES.get(measure.fund or ""),
        "exclusion_group": measure.exclusion_group,
        "notes": list(measure.notes),
        "conditions": [
            {
                "key": c.key,
                "label": render_label(c.label, resolved) if resolved else c.label,
                "citation": citation_text(c.cite.document, c.cite.clause),
            }
            for c in measure.conditions
        ],
    }
    if params is not None:
        data["clauses"] = measure_doc(measure)
        data["parameters"] = measure_parameters(measure, params)
        data["validity"] = validity(data["parameters"])
    return data


def validity(parameters: list[dict[str, Any]]) -> dict[str, Any]:
    """When the measure starts and what bounds its qualifying events (period/deadline params)."""
    since = min((v["since"] for p in parameters for v in p["values"]), default=None)
    bounds = {
        p["name"]: p["values"][-1]["value"]
        for p in parameters
        if any(word in p["name"] for word in ("period", "deadline", "end", "start", "window"))
    }
    return {"in_force_from": since, "bounds": bounds}


def assumptions(params: ParameterSet) -> list[dict[str, str]]:
    """Every named assumption in the parameters: where the documents are silent, and our reading."""
    out = []
    for name, param in sorted(params.params.items()):
        for e in param.entries:
            if e.assumption:
                out.append(
                    {
                        "parameter": name,
                        "since": e.since.isoformat(),
                        "value": display_value(e.value, param.unit),
                        "assumption": e.assumption,
                        "nearest_reference": citation_text(e.reference.document, e.reference.clause)
                        if e.reference
                        else "",
                        "file": f"src/jiuye/{param.origin}",
                    }
                )
    return out


def assumptions_markdown(params: ParameterSet) -> str:
    lines = [
        "# 具名假设清单 / Named assumptions",
        "",
        "由 `jiuye policies assumptions --format markdown` 生成。文件未作规定之处的解读，均为参数数据，",
        "地方可在本地参数文件（`jiuye eval --params`）或事实文件的 `parameters` 中改写，无需改代码。",
        "",
        "| 参数 | 生效 | 取值 | 假设 | 最近的出处 | 文件 |",
        "|---|---|---|---|---|---|",
    ]
    for a in assumptions(params):
        lines.append(
            f"| `{a['parameter']}` | {a['since']} | {a['value']} | {a['assumption']} | "
            f"{a['nearest_reference']} | `{a['file']}` |"
        )
    return "\n".join(lines) + "\n"
