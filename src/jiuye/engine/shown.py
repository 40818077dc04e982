"""How facts and results are shown in a trace: masked, in Chinese, in the documents' units."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from jiuye.dates import cn_date
from jiuye.engine.measure import Info, Measure
from jiuye.facts.enums import LABELS
from jiuye.facts.tables import column_kind, column_label
from jiuye.identifiers import mask_id, mask_phone
from jiuye.money import format_yuan
from jiuye.params.model import display_value

__all__ = ["info_text", "line_label", "shown", "shown_as"]


def shown(column: str, value: Any) -> str:
    return shown_as(column)(value)


@functools.cache
def shown_as(column: str) -> Callable[[Any], str]:
    """:func:`shown` for one column, what its name decides (masking, unit) decided once."""
    mask = mask_id if column.endswith("id_number") else mask_phone if column.endswith("phone") else None
    kind = column_kind(column)

    def show(value: Any) -> str:
        if value is None:
            return "（未知）"
        if mask is not None:
            return mask(str(value))
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, dt.date):
            return cn_date(value)
        if isinstance(value, str):
            return LABELS.get(value, value)
        if kind == "fen":
            return format_yuan(int(value))
        if kind == "wan":
            return f"{value / 1_000_000:g}万元"
        if kind == "ppm":
            return f"{value / 10_000:g}%"
        return str(value)

    return show


def info_text(info: Info, value: Any) -> str:
    if value is None:
        return f"（需填写{info.needs}）" if info.needs else "（未规定）"
    if info.unit == "CNY":
        return format_yuan(int(value))
    if info.unit == "ratio":
        return display_value(str(int(value) / 1_000_000), "ratio")
    return shown("", value)


@functools.cache
def _event_labels() -> tuple[tuple[str, str], ...]:
    """The dates that tell one line from another, with their labels."""
    columns = (
        "employment_hire_date",
        "internship_start_date",
        "business_registered_on",
        "certificate_issued_on",
        "apprenticeship_start_date",
        "placement_placed_on",
        "training_start_date",
    )
    return tuple((column, column_label(column)) for column in columns)


def line_label(measure: Measure, row: dict[str, Any]) -> str:
    who = row.get("person_name") or row.get("person_id")
    bits = []
    if who:
        masked = row.get("person_id_number")
        bits.append(f"{who}（{mask_id(masked)}）" if masked else str(who))
    for column, label in _event_labels():
        if row.get(column):
            bits.append(f"{label} {cn_date(row[column])}")
    if not bits:
        name = row.get(f"{measure.beneficiary}_name") or row.get(f"{measure.beneficiary}_id")
        bits.append(str(name or row.get("district_region") or ""))
    return "，".join(bits)
