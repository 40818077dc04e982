"""Dated parameter values (OpenFisca-style) resolved at an as-of date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import polars as pl

from jiuye.dates import cn_date
from jiuye.errors import ParameterError
from jiuye.facts.enums import LABELS
from jiuye.money import format_yuan, ratio_to_ppm, to_fen

__all__ = ["Parameter", "ParameterSet", "Params", "Reference", "ValueEntry"]


@dataclass(frozen=True)
class Reference:
    """Where a value comes from: a document short id (or 文号), a clause, and the quoted words."""

    document: str
    clause: str
    quote: str = ""

    def short(self) -> str:
        return f"{self.document}{self.clause}"


@dataclass(frozen=True)
class ValueEntry:
    since: dt.date
    value: Any
    reference: Reference | None
    assumption: str | None = None  # named assumption where the documents are silent
    # When the value became known: the citing document's date (set by the loader). None for a
    # local setting or what-if, which is known at any evaluation date.
    published: dt.date | None = None
    # Why ``since`` is not the citing document's one reading of its start (docs/time.md).
    since_note: str | None = None
    # A start date that departs from its document's one reading, under its own named assumption.
    own_reading: bool = False

    def cites(self) -> str:
        parts = []
        if self.reference:
            parts.append(self.reference.short())
        if self.assumption:
            parts.append(f"假设：{self.assumption}")
        return "；".join(parts)


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    entries: tuple[ValueEntry, ...]
    origin: str = ""  # the YAML file that declares it

    def entry_at(self, event: dt.date, known_by: dt.date | None = None) -> ValueEntry | None:
        """The value governing an event on ``event`` (its ``since`` is the first event date it
        governs), among the values already published on ``known_by`` (None: all)."""
        current = None
        for entry in self.entries:  # sorted by ``since``
            if entry.since <= event and (known_by is None or entry.published is None or entry.published <= known_by):
                current = entry
        return current

    def with_entry(self, entry: ValueEntry) -> Parameter:
        kept = tuple(e for e in self.entries if e.since != entry.since)
        return replace(self, entries=tuple(sorted((*kept, entry), key=lambda e: e.since)))

    def display(self, value: Any) -> str:
        return display_value(value, self.unit)


def display_value(value: Any, unit: str) -> str:
    """Render a value the way the documents write it."""
    if value is None:
        return "（未规定）"
    if unit == "CNY":
        return format_yuan(to_fen(value))
    if unit == "ratio":
        pct = Decimal(str(value)) * 100
        return f"{pct.normalize():f}%"
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, list):
        # Codes of the facts' enumerations (enterprise, fixed_term...) are shown in Chinese.
        return "、".join(LABELS.get(str(v), str(v)) for v in value)
    suffix = {"months": "个月", "years": "年", "persons": "人", "days": "天", "age": "岁"}.get(unit, "")
    return f"{value}{suffix}"


@dataclass
class ParameterSet:
    """All parameters, by full name (``gx.expansion.amount_per_person``)."""

    params: dict[str, Parameter]

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.params[name]
        except KeyError:
            msg = f"未定义的参数：{name}"
            raise ParameterError(msg) from None

    def __contains__(self, name: str) -> bool:
        return name in self.params

    def with_value(self, name: str, since: dt.date, value: Any, *, note: str) -> ParameterSet:
        """A copy with one more dated value (what-if, or a local setting); ``note`` says why."""
        entry = ValueEntry(since, value, None, assumption=note)
        return ParameterSet({**self.params, name: self[name].with_entry(entry)})

    def overridden(self, name: str, value: Any, *, note: str) -> ParameterSet:
        """A copy where ``name`` takes ``value`` at every date (a local setting or a what-if)."""
        entry = ValueEntry(dt.date.min, value, None, assumption=note)
        return ParameterSet({**self.params, name: replace(self[name], entries=(entry,))})

    def at(self, as_of: dt.date, *, event: dt.date | None = None) -> Params:
        """Values governing an event on ``event`` (default: the evaluation date itself), as known
        on the evaluation date ``as_of``: the two time axes (docs/time.md)."""
        return Params(self, as_of, event=event)


@dataclass
class Params:
    """Parameters resolved at one date; records which ones a rule used (for the explanation)."""

    source: ParameterSet
    as_of: dt.date
    used: dict[str, ValueEntry] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)  # read before their first dated value
    event: dt.date | None = None  # the qualifying event's date; None: the evaluation date

    @property
    def event_date(self) -> dt.date:
        return self.event or self.as_of

    def entry(self, name: str) -> ValueEntry | None:
        entry = self.source[name].entry_at(self.event_date, known_by=self.as_of)
        if entry is None:
            self.missing.add(name)
        else:
            self.used[name] = entry
        return entry

    def get(self, name: str) -> Any:
        entry = self.entry(name)
        if entry is None or entry.value is None:
            # An empty list keeps membership tests well-formed; the measure is reported as
            # not yet in force (or the setting as missing) elsewhere.
            return [] if self.source[name].unit == "list" else None
        return entry.value

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def fen(self, name: str) -> int | None:
        value = self.get(name)
        return None if value is None else to_fen(value)

    def ppm(self, name: str) -> int | None:
        value = self.get(name)
        return None if value is None else ratio_to_ppm(value)

    def date(self, name: str) -> dt.date | None:
        value = self.get(name)
        if value is None or isinstance(value, dt.date):
            return value
        msg = f"参数 {name} 应为日期，实为 {value!r}"
        raise ParameterError(msg)

    def lit(self, name: str) -> pl.Expr:
        """The value as a typed Polars literal: money in fen and ratios in ppm as Int64, so that
        every branch of an expression has one integer type whatever the magnitude."""
        unit = self.source[name].unit
        value = self.get(name)
        if unit == "CNY":
            return pl.lit(None if value is None else to_fen(value), dtype=pl.Int64)
        if unit == "ratio":
            return pl.lit(None if value is None else ratio_to_ppm(value), dtype=pl.Int64)
        if unit == "date":
            return pl.lit(value, dtype=pl.Date)
        if unit in ("text", "region"):
            return pl.lit(value, dtype=pl.String)
        if unit == "bool":
            return pl.lit(value, dtype=pl.Boolean)
        if unit == "list":
            return pl.lit(pl.Series(value, dtype=pl.String))
        return pl.lit(value, dtype=pl.Int64)

    def display_of(self, entry: ValueEntry, name: str) -> str:
        return self.source[name].display(entry.value)

    def text(self, name: str) -> str:
        """Display form, for labels: ``{gx.expansion.period_end}`` → 2025年12月31日."""
        param = self.source[name]
        return param.display(self.get(name))
