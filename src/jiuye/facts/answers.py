"""Form answers ↔ a facts document (the format ``jiuye eval`` reads and the API's ``facts`` carries).

A form names each answer ``s-<field>`` (the applicant's own entity) or ``r<i>-<table>-<field>``
(row ``i``: a person and their hire, a certificate...). A blank answer is "don't know" and is left
out of the facts, so the engine answers 待补充事实 naming it. The form makes the ids and the
references: the applicant is ``E1`` (a unit) or ``P1`` (a person), row ``i`` is person ``P<i+1>``
(a unit's hires), its own enterprise ``E<i+2>`` (a placement's employer) or ``E<i+1>`` (a person's
employer), its business ``B<i+1>``. Every problem is reported beside its field, in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from jiuye.facts.load import error_text
from jiuye.facts.model import Facts
from jiuye.facts.questions import TABLES, Question, Questionnaire

__all__ = ["ROWS_MAX", "Answers", "answers_from_facts", "facts_from_answers", "name_of"]

#: named assumption: a form lists at most 50 rows (persons, hires...); a larger claim is filed in
#: parts, or through the API (whose own bound is JIUYE_MAX_CLAIM_PERSONS).
ROWS_MAX = 50
_TEXT_MAX = 200
_BOOLS = {"true": True, "false": False}


@dataclass
class Answers:
    data: dict[str, Any] | None  # the facts document, when every answer is valid
    errors: dict[str, str] = field(default_factory=dict)  # form field name (or section) → Chinese text


def name_of(q: Question, row: int | None) -> str:
    """The form field of a question: ``s-kind``, ``r0-employments-hire_date``."""
    return f"s-{q.field}" if row is None else f"r{row}-{q.table}-{q.field}"


def _parse(q: Question, raw: str) -> tuple[Any, str | None]:
    """A typed value for the facts (JSON-ready: dates ISO, decimals as text), or a Chinese error."""
    text = raw.strip()
    if q.kind == "bool":
        return (_BOOLS[text], None) if text in _BOOLS else (None, "请选择“是”“否”或“不知道”")
    if q.kind == "enum":
        return (text, None) if text in dict(q.options) else (None, "请从列表中选择")
    if q.kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, f"日期格式不正确（收到 {text[:20]!r}）；提示：如 2025-03-01"
    if q.kind == "int":
        if not text.isascii() or not text.isdigit() or len(text) > 10:
            return None, f"应为不小于 0 的整数（收到 {text[:20]!r}）"
        return int(text), None
    if q.kind in ("money", "wan", "ratio"):
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None, f"应为数字（收到 {text[:20]!r}）；提示：如 1500 或 1500.50"
        return (str(number), None) if number.is_finite() else (None, "应为数字")
    if len(text) > _TEXT_MAX:
        return None, f"不能超过 {_TEXT_MAX} 个字"
    return text, None


def _record(
    questions: tuple[Question, ...], values: Mapping[str, Any], row: int | None, errors: dict[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in questions:
        raw = values.get(name_of(q, row))
        if not isinstance(raw, str) or not raw.strip():
            continue  # not given, or a repeated name: "don't know" (a list is refused below)
        value, problem = _parse(q, raw)
        if problem:
            errors[name_of(q, row)] = problem
        else:
            out[q.field] = value
    for q in questions:
        if isinstance(values.get(name_of(q, row)), list):
            errors[name_of(q, row)] = "同一栏目只能填写一个值"
    return out


def facts_from_answers(
    q: Questionnaire, values: Mapping[str, Any], rows: int, *, own: Mapping[str, Any] | None = None, own_id: str = ""
) -> Answers:
    """The facts document the answers give; ``own``: facts of the applicant kept server-side
    (their name and number on a claim), never read from the form."""
    errors: dict[str, str] = {}
    where: dict[tuple[str, int], tuple[int | None, tuple[Question, ...]]] = {}
    unit = q.kind == "employer"
    me = own_id or ("E1" if unit else "P1")
    subject = {**_record(q.subject.questions, values, None, errors), **(own or {}), "id": me}
    data: dict[str, list[dict[str, Any]]] = {q.subject.table: [subject]}
    where[(q.subject.table, 0)] = (None, q.subject.questions)
    for i in range(rows if q.repeated else 0):
        given = {s.table: _record(s.questions, values, i, errors) for s in q.rows}
        if not any(given.values()):
            continue  # an empty row: nobody there
        for section in q.rows:  # a row's person, and each event begun, must carry what it cannot lack
            if section.table == "persons" or given[section.table]:
                _required(section.questions, given[section.table], i, errors)
        person = f"P{i + 1}" if unit else me
        partner = f"E{i + 2}" if unit else f"E{i + 1}"  # the row's own enterprise
        used_partner = False
        for section in q.rows:
            record = given[section.table]
            if section.table == "employers" or (section.table != "persons" and not record):
                continue  # the row's enterprise is added below; a row without this event (no internship)
            if section.table == "persons":
                record = {**record, "id": person}
            else:
                employer = partner if section.table == "placements" or not unit else me
                links = {"person": person, "founder": person, "agency": me, "employer": employer, "id": f"B{i + 1}"}
                record = {**record, **{k: v for k, v in links.items() if k in _fields(section.table)}}
                used_partner |= "employer" in record and employer == partner
            where[(section.table, len(data.get(section.table, [])))] = (i, section.questions)
            data.setdefault(section.table, []).append(record)
        partner_section = next((s for s in q.rows if s.table == "employers"), None)
        if used_partner or given.get("employers"):
            where[("employers", len(data.setdefault("employers", [])))] = (
                i,
                partner_section.questions if partner_section else (),
            )
            data["employers"].append({**given.get("employers", {}), "id": partner})
    if errors:
        return Answers(None, errors)
    try:
        Facts.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            _place_error(error, where, errors)
        return Answers(None, errors)
    return Answers(dict(data), {})


def _required(questions: tuple[Question, ...], record: dict[str, Any], row: int, errors: dict[str, str]) -> None:
    for question in questions:
        if question.required and question.field not in record:
            errors.setdefault(name_of(question, row), f"请填写“{question.label}”")


def _fields(table: str) -> tuple[str, ...]:
    return tuple(TABLES[table][1].model_fields)


def _place_error(
    error: Any, where: dict[tuple[str, int], tuple[int | None, tuple[Question, ...]]], errors: dict[str, str]
) -> None:
    loc: tuple[Any, ...] = tuple(error.get("loc") or ())
    found = where.get((str(loc[0]), int(loc[1]))) if len(loc) >= 2 and isinstance(loc[1], int) else None
    if found is None:
        errors.setdefault("_form", error_text(error))
        return
    row, questions = found
    scope = "s" if row is None else f"r{row}-{loc[0]}"
    asked = {x.field: x for x in questions}
    if len(loc) >= 3 and str(loc[2]) in asked:
        question = asked[str(loc[2])]
        text = f"请填写“{question.label}”" if error["type"] == "missing" else error_text(error)
        errors.setdefault(name_of(question, row), text)
    else:  # a rule across fields (a separation before the hire), or the applicant's own record
        errors.setdefault(scope if len(loc) == 2 else "_form", error_text(error))


def answers_from_facts(q: Questionnaire, data: Mapping[str, Any], own_id: str = "") -> tuple[dict[str, str], int]:
    """The answers a facts document gives (to correct a draft or a returned claim), and its rows."""
    unit = q.kind == "employer"
    me = own_id or ("E1" if unit else "P1")
    tables = {t: [r for r in data.get(t) or [] if isinstance(r, dict)] for t in ("employers", "persons")}
    values: dict[str, str] = {}
    subject = next((r for r in tables[q.subject.table] if r.get("id") == me), {})
    _fill(values, q.subject.questions, subject, None)
    relations = [s for s in q.rows if s.table not in ("persons", "employers")]
    by_id = {r.get("id"): r for r in tables["employers"]}
    if unit:
        people = list(tables["persons"])
        rows = [{"persons": p} | _linked(data, relations, "person", p.get("id")) for p in people]
    else:
        count = max((len(data.get(s.table) or []) for s in relations), default=0)
        rows = [{s.table: (data.get(s.table) or [{}] * count)[i] for s in relations if i < len(data.get(s.table) or [])}
                for i in range(count)]  # fmt: skip
    for i, row in enumerate(rows[:ROWS_MAX]):
        partner = next((r.get("employer") for t, r in row.items() if t in ("placements",) or not unit), None)
        if partner in by_id and partner != me:
            row["employers"] = by_id[partner]
        for section in q.rows:
            _fill(values, section.questions, row.get(section.table) or {}, i)
    return values, max(1, min(len(rows), ROWS_MAX))


def _linked(data: Mapping[str, Any], relations: list[Any], key: str, ref: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for section in relations:
        match = next((r for r in data.get(section.table) or [] if isinstance(r, dict) and r.get(key) == ref), None)
        if match is not None:
            found[section.table] = match
    return found


def _fill(values: dict[str, str], questions: tuple[Question, ...], record: Mapping[str, Any], row: int | None) -> None:
    for question in questions:
        value = record.get(question.field)
        if value is None:
            continue
        values[name_of(question, row)] = ("true" if value else "false") if isinstance(value, bool) else str(value)
