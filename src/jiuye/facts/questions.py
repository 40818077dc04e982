"""Questions from the facts schema: what a form must ask so the engine can decide the chosen measures.

The engine already knows which columns each measure reads (:func:`jiuye.engine.evaluate.columns_used`:
its conditions, variables, amount parts and once-only keys); a derived column (a contract signed,
an enterprise's size) is asked as the facts it is computed from. Each column names its entity by
prefix (``person_``, ``employer_``, ``employment_``...), and the questions are grouped the way an
applicant thinks of them: their own entity, asked once (the unit, or the person), and a repeated
*row* per person or event (a hire with its person, a certificate, a business).

Every question may be left unanswered ("don't know"): the engine then answers 待补充事实 naming
the fact. A question is *required* only where the facts model cannot hold the record without it
(a hire without its hire date), and only once some other answer of that record is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from jiuye.engine.evaluate import columns_used
from jiuye.engine.measure import Measure, Unit
from jiuye.engine.variants import with_variants
from jiuye.facts import model as m
from jiuye.facts.enums import LABELS
from jiuye.facts.tables import UNITS, _base_type, _kind, derived_inputs, entity_schema
from jiuye.params import ParameterSet

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "TABLES",
    "Kind",
    "Question",
    "Questionnaire",
    "Section",
    "applicant_kind",
    "measures_of_kind",
    "questionnaire",
]

Kind = Literal["employer", "person"]
KINDS: tuple[Kind, ...] = ("employer", "person")
KIND_LABELS: dict[str, str] = {"employer": "单位（企业、社会组织等）", "person": "个人"}

#: The facts tables a form can fill, with the title of their section and their model.
TABLES: dict[str, tuple[str, type[BaseModel]]] = {
    "employers": ("单位", m.Employer),
    "persons": ("人员", m.Person),
    "employments": ("招用", m.Employment),
    "internships": ("就业见习", m.Internship),
    "apprenticeships": ("新型学徒制培训", m.Apprenticeship),
    "placements": ("介绍就业", m.Placement),
    "certificates": ("证书", m.Certificate),
    "trainings": ("失业人员培训", m.Training),
    "businesses": ("创业经营主体", m.Business),
}
_TABLE_OF_PREFIX = {spec.prefix: spec.source for spec in UNITS.values()} | {"agency": "employers"}
#: Fields a form never asks: ids and references are made by the form, regions come from the
#: evaluation's region (or the applicant's record), and two legacy contract fields that
#: ``contract_type`` replaces.
_NOT_ASKED = frozenset({"id", "person", "employer", "agency", "founder", "region"})
_LEGACY = frozenset({"labour_contract", "open_ended_contract"})
#: Who receives under a measure, by the kind of applicant who may claim it (district measures: nobody).
_BENEFICIARIES: dict[Kind, tuple[str, ...]] = {"employer": ("employer", "agency"), "person": ("person", "business")}
_ROW_TITLES: dict[Kind, str] = {"employer": "人员", "person": "事项"}


@dataclass(frozen=True)
class Question:
    table: str  # facts table: employers, persons, employments...
    field: str
    label: str
    kind: str  # date | int | money | wan | ratio | bool | enum | text
    unit: str = ""
    note: str = ""
    options: tuple[tuple[str, str], ...] = ()  # enum values with their Chinese labels
    required: bool = False  # the record cannot exist without it (asked once the record is begun)
    needed: bool = True  # the engine reads it for the chosen measures (False: identity for a claim)


@dataclass(frozen=True)
class Section:
    table: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    kind: Kind
    measures: tuple[str, ...]
    subject: Section  # the applicant's own entity (employers or persons), asked once
    rows: tuple[Section, ...]  # asked once per row (a person and their hire, a certificate...)
    row_title: str

    @property
    def repeated(self) -> bool:
        return bool(self.rows)


def applicant_kind(measure: Measure) -> Kind | None:
    """Who claims a measure: a unit, a person, or nobody (a district target)."""
    return next((k for k, kinds in _BENEFICIARIES.items() if measure.beneficiary in kinds), None)


def measures_of_kind(measures: Iterable[Measure], kind: Kind) -> list[Measure]:
    return [x for x in measures if applicant_kind(x) == kind]


def _place(kind: Kind, measure: Measure, prefix: str) -> tuple[bool, str]:
    """Where a column of ``prefix`` is asked: (in the subject?, facts table)."""
    table = _TABLE_OF_PREFIX[prefix]
    if kind == "employer":
        # A placement's agency is the applicant; the enterprise it placed someone with is per row.
        own = prefix == "agency" or (prefix == "employer" and measure.beneficiary != "agency")
        return own, table
    return prefix == "person", table


def _question(table: str, field: str, *, needed: bool = True) -> Question:
    model = TABLES[table][1]
    info = model.model_fields[field]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    unit = str(extra.get("unit", ""))
    base = _base_type(info.annotation)
    options: tuple[tuple[str, str], ...] = ()
    stored = _kind(model, field)
    if isinstance(base, type) and issubclass(base, str) and base is not str:
        kind = "enum"
        options = tuple((str(e.value), LABELS.get(str(e.value), str(e.value))) for e in base)  # type: ignore[attr-defined]
    else:
        kind = {"fen": "money", "ppm": "ratio", "str": "text"}.get(stored, stored)
    note = "" if kind == "enum" else (info.description or "")  # enum notes list the English codes
    required = info.is_required() or not needed  # a claim's identity cannot be left out
    return Question(table, field, info.title or field, kind, unit, note, options, required, needed)


def _columns(measure: Measure, params: ParameterSet, as_of: dt.date) -> list[str]:
    spec = UNITS[measure.unit]
    available = list(entity_schema(spec.model, spec.prefix))
    for _, source, prefix in spec.joins:
        available += list(entity_schema(TABLES[source][1], prefix))
    columns: list[str] = []
    for column in columns_used(measure, params, as_of, available, spec.key_date):
        columns += derived_inputs(column) or [column]
    return columns


def questionnaire(
    measures: Iterable[Measure], kind: Kind, params: ParameterSet, as_of: dt.date, *, claim: bool = False
) -> Questionnaire:
    """The questions ``measures`` need, for an applicant of ``kind``. With ``claim``, the names and
    numbers a claim must carry are asked too (the persons of a unit's claim: the grant ledger
    allows each person once, by their number); the applicant's own come from their record."""
    chosen = measures_of_kind(with_variants(measures), kind)
    own_table = "employers" if kind == "employer" else "persons"
    own: dict[str, Question] = {}
    rows: dict[str, dict[str, Question]] = {}
    for measure in chosen:
        spec = UNITS[measure.unit]
        if measure.unit not in (Unit.person, Unit.employer):
            rows.setdefault(spec.source, {})  # the row's own record, even if no field of it is asked
        for column in _columns(measure, params, as_of):
            prefix, _, field = column.partition("_")
            if field in _NOT_ASKED or field in _LEGACY or prefix not in _TABLE_OF_PREFIX:
                continue
            in_subject, table = _place(kind, measure, prefix)
            target = own if in_subject else rows.setdefault(table, {})
            target.setdefault(field, _question(table, field))
    if kind == "employer" and any(t != "persons" for t in rows):
        rows.setdefault("persons", {})  # every hire, internship... is about a person
    if claim and "persons" in rows:
        rows["persons"] |= {f: _question("persons", f, needed=False) for f in ("name", "id_number")}
    for table in list(rows):
        for name, info in TABLES[table][1].model_fields.items():  # what the record cannot lack
            if info.is_required() and name not in _NOT_ASKED:
                rows[table].setdefault(name, _question(table, name))
    order = list(TABLES)
    sections = tuple(
        Section(t, TABLES[t][0], _in_model_order(t, rows[t])) for t in sorted(rows, key=order.index) if rows[t]
    )
    subject = Section(own_table, TABLES[own_table][0], _in_model_order(own_table, own))
    return Questionnaire(kind, tuple(x.id for x in chosen), subject, sections, _ROW_TITLES[kind])


def _in_model_order(table: str, found: dict[str, Question]) -> tuple[Question, ...]:
    fields = list(TABLES[table][1].model_fields)
    return tuple(sorted(found.values(), key=lambda q: fields.index(q.field)))
