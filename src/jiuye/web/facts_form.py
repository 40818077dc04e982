"""A questionnaire as a page form: the fields to draw, how many rows, and what a button asked for.

Shared by the calculator and the claimant's application form. Without script, the number of
rows changes by submit buttons (增加一名人员 / 删去最后一名), which post every answer back:
nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jiuye.facts.answers import ROWS_MAX, name_of
from jiuye.facts.questions import TABLES, Question, Questionnaire
from jiuye.service.errors import InputError

__all__ = ["ACTIONS", "FieldView", "SectionView", "action_of", "form_view", "rows_after", "rows_of"]

#: What the buttons of a questions form post as ``action``.
ACTIONS = frozenset({"add", "remove", "calculate", "check", "save", "submit"})
_UNKNOWN = ("", "不知道")
_BOOL_OPTIONS = (_UNKNOWN, ("true", "是"), ("false", "否"))
_INPUT_MODES = {"int": "numeric", "money": "decimal", "wan": "decimal", "ratio": "decimal"}


@dataclass(frozen=True)
class FieldView:
    name: str
    label: str
    widget: str  # select | date | text
    hint: str
    options: tuple[tuple[str, str], ...] = ()
    inputmode: str | None = None
    required: bool = False


@dataclass(frozen=True)
class SectionView:
    legend: str
    error_key: str  # where a rule across this section's fields reports
    fields: tuple[FieldView, ...]
    row: int | None = None
    heading: bool = False  # a sub-section of a row: shown as a heading inside the row's fieldset


def _field(q: Question, row: int | None) -> FieldView:
    unit = f"单位：{q.unit}" if q.unit and q.unit not in ("比例",) else ("填小数，如 0.05 即 5%" if q.unit else "")
    hint = "；".join(
        x for x in (unit, q.note, "不知道可留空" if q.kind not in ("bool", "enum") and not q.required else "") if x
    )
    if q.kind == "bool":
        return FieldView(name_of(q, row), q.label, "select", hint, _BOOL_OPTIONS, required=q.required)
    if q.kind == "enum":
        return FieldView(name_of(q, row), q.label, "select", hint, (_UNKNOWN, *q.options), required=q.required)
    widget = "date" if q.kind == "date" else "text"
    return FieldView(name_of(q, row), q.label, widget, hint, inputmode=_INPUT_MODES.get(q.kind), required=q.required)


def form_view(q: Questionnaire, rows: int) -> tuple[SectionView | None, list[list[SectionView]]]:
    """The applicant's own section (None when nothing about them is asked) and, per row, its sections."""
    own = None
    if q.subject.questions:
        own = SectionView(q.subject.title, "s", tuple(_field(x, None) for x in q.subject.questions))
    shown: list[list[SectionView]] = []
    for i in range(rows if q.repeated else 0):
        shown.append(
            [
                SectionView(
                    _row_section_title(q, s.table), f"r{i}-{s.table}", tuple(_field(x, i) for x in s.questions), i, True
                )
                for s in q.rows
                if s.questions
            ]
        )
    return own, shown


def _row_section_title(q: Questionnaire, table: str) -> str:
    if table == "employers":
        return "用工单位" if q.kind == "employer" else "所在单位"
    if table == "persons":
        return "人员情况"
    return TABLES[table][0]


def rows_of(values: dict[str, Any], default: int = 1) -> int:
    """The row count a form posted (hidden ``rows``): 1 to ROWS_MAX, else a 422 page."""
    raw = values.get("rows", "")
    if raw in ("", None):
        return default
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= ROWS_MAX:
        msg = f"人数（行数）应为 1 至 {ROWS_MAX} 的整数"
        raise InputError(msg)
    return int(raw)


def action_of(values: dict[str, Any], default: str) -> str:
    action = values.get("action", default)
    if not isinstance(action, str) or action not in ACTIONS:
        msg = "无法识别的操作；提示：请使用页面上的按钮提交"
        raise InputError(msg)
    return action


def rows_after(action: str, rows: int) -> tuple[int, str | None]:
    """Rows after an add or remove button, and a note when the bound stops it."""
    if action == "add":
        return (rows + 1, None) if rows < ROWS_MAX else (rows, f"一张表最多 {ROWS_MAX} 行；提示：更多的分件申请")
    if action == "remove":
        return (rows - 1, None) if rows > 1 else (rows, "至少保留一行")
    return rows, None
