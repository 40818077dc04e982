"""How a measure is declared: once, as named columnar conditions, parts of an amount, and facts.

A declaration is pure data plus Polars expressions built from resolved parameters, so the
same declaration scores one enterprise (with a trace) or millions of rows (in batch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl

from jiuye.engine.gap import Gap
from jiuye.params import Params

__all__ = [
    "AT_APPLICATION",
    "Citation",
    "Condition",
    "Info",
    "Measure",
    "Once",
    "Part",
    "Unit",
    "Variable",
    "cite",
]

ExprFn = Callable[[Params], pl.Expr]


class Unit(StrEnum):
    """The table a measure is evaluated over (one row = one thing that can qualify)."""

    person = "person"
    employer = "employer"
    employment = "employment"
    internship = "internship"
    business = "business"
    certificate = "certificate"
    apprenticeship = "apprenticeship"
    placement = "placement"
    training = "training"
    district = "district"


@dataclass(frozen=True)
class Citation:
    """A clause of a source document: short id (see policies/documents.yaml) and clause number."""

    document: str
    clause: str
    quote: str = ""


def cite(document: str, clause: str, quote: str = "") -> Citation:
    return Citation(document, clause, quote)


@dataclass(frozen=True)
class Variable:
    """A derived quantity (age at hire, enterprise size...) shown in the trace with its label."""

    name: str
    label: str
    expr: ExprFn
    cite: Citation | None = None
    unit: str = ""  # "CNY": fen shown in yuan; "ppm": a ratio shown in %; "age", "months"...
    basis: ExprFn | None = None  # text: which fact decided (a declared status or a derived one)


@dataclass(frozen=True)
class Condition:
    """One legal condition: true, false, or null when a fact it needs is unknown.

    ``label`` may name parameters in braces, e.g. ``招用日期不晚于{gx.expansion.period_end}``;
    the explanation shows their values at the as-of date.
    """

    key: str
    label: str
    cite: Citation
    test: ExprFn
    gap: Gap | None = None  # how far a failing row is from passing (near misses, 差一点)
    timing: bool = False  # a time condition (policy period, application window): judged first


@dataclass(frozen=True)
class Part:
    """One line of an amount: ``quantity × rate`` (fen per unit), or ``base × ratio`` (ppm)."""

    label: str
    quantity: ExprFn
    rate: ExprFn
    quantity_unit: str = "人"
    ratio: bool = False  # rate is parts per million of a fen quantity
    # An up-to figure (最高, 不超过, 为限额), never an amount due by itself: see jiuye.engine.amounts.
    ceiling: bool = False
    due: ExprFn | None = None  # for a ceiling: the fact that settles the amount due (fen), capped by it
    due_pool: tuple[str, ...] = ()  # rows sharing one ``due`` fact (keys), drawn on in event order


@dataclass(frozen=True)
class Info:
    """A non-monetary result (loan limit, rate, deadline, plan) computed per row."""

    key: str
    label: str
    value: ExprFn
    unit: str = "text"  # CNY (fen), ratio (ppm), date, text, count
    needs: str = ""  # shown when the value is unknown: the facts that would give it


@dataclass(frozen=True)
class Once:
    """A grant a key may receive once (per ``period``): duplicates in the data and prior grants."""

    keys: tuple[str, ...]
    order: str
    label: str
    cite: Citation
    per_year_of: str | None = None  # a date column: once per calendar year of it


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    unit: Unit
    beneficiary: str  # entity prefix of the unit table: "employer", "person", "agency"...
    jurisdiction: str  # key of common.jurisdiction.* parameters: gx, xxq, cn
    sources: tuple[Citation, ...]
    summary: str
    conditions: tuple[Condition, ...]
    variables: tuple[Variable, ...] = ()
    parts: tuple[Part, ...] = ()
    info: tuple[Info, ...] = ()
    fund: str | None = None  # ui_fund | employment_fund | fiscal | tax | loan
    once: Once | None = None
    exclusion_group: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The column dating the qualifying event, when it is not the unit's own (facts.tables.UNITS);
    # AT_APPLICATION where the event is the application itself (a refund, a claim for months
    # already worked): the evaluation date then selects the rule.
    event: str | None = None
    # The same measure (same id) for another kind of applicant, evaluated over its own unit: the
    # small-enterprise side of a start-up loan whose main declaration is per person.
    variants: tuple[Measure, ...] = ()

    @property
    def pays_money(self) -> bool:
        return bool(self.parts)


#: ``Measure.event`` for measures whose qualifying event is the application (the evaluation date).
AT_APPLICATION = "@application"
