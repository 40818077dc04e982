"""A claim's facts as tables a person reads: Chinese column titles from the facts model, every
identifier masked (the clear number is revealed only through the audited unmask form)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from jiuye.engine.shown import shown
from jiuye.facts.document import Facts
from jiuye.identifiers import mask_id, redact
from jiuye.web.formats import cn_date

__all__ = ["FactTable", "fact_tables"]

#: Fields whose value is an identifier: shown masked, whatever it looks like.
_IDENTIFYING = ("id_number", "uscc", "phone", "account", "address")


@dataclass(frozen=True)
class FactTable:
    title: str
    columns: list[str]
    rows: list[list[str]]


def _shown(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if any(marker in name for marker in _IDENTIFYING):
        return mask_id(str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, list):
        return "、".join(_shown(name, v) for v in value) or "—"
    return redact(shown(name, value))  # enumeration codes in Chinese (男, 企业...), as the engine's traces show them


def _table(title: str, items: list[BaseModel]) -> FactTable:
    model = type(items[0])
    names = [n for n in model.model_fields if any(getattr(item, n) not in (None, [], {}) for item in items)]
    columns = [model.model_fields[n].title or n for n in names]
    rows = [[_shown(n, getattr(item, n)) for n in names] for item in items]
    return FactTable(title, columns, rows)


def fact_tables(facts: Facts) -> list[FactTable]:
    """One table per kind of record the claim holds (persons, employers, hires...), in the model's order."""
    tables = []
    for name, field in Facts.model_fields.items():
        value = getattr(facts, name)
        if isinstance(value, list) and value:
            tables.append(_table(field.title or name, value))
    if facts.parameters:
        rows = [[key, redact(str(v))] for key, v in facts.parameters.items()]
        tables.append(FactTable("参数设定", ["参数", "取值"], rows))
    return tables
