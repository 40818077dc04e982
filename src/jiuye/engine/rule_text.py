"""What explaining an epoch's rows reads from its rule alone, derived once and kept on the epoch.

The conditions' citations, the labels rendered with the epoch's parameters, the columns behind
each condition and the way each value is shown depend on the measure, the epoch and the
conditions' labels, never on a row: a cached plan's epochs (:mod:`jiuye.engine.plans`) explain
every later document from a :class:`RuleText`, and :mod:`jiuye.engine.explain` does per row only
what the row's values decide.

Everything every row asks for is derived when the epoch is first explained; what only some rows
ask (the facts an amount needs, a near miss's words) on first use, as rows ask, so that the
parameters an explanation reads are the ones it read before this was cached.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jiuye.engine.amounts import due_col
from jiuye.engine.evaluate import basis_col, cond_col, info_col, null_parameters_allowed, part_cols, render_label
from jiuye.engine.measure import Condition, Info, Measure, Part
from jiuye.engine.near_miss_text import ONLY_THIS, GapWords, gap_words
from jiuye.engine.shown import shown_as
from jiuye.facts.tables import column_label, derived_inputs
from jiuye.money import format_yuan
from jiuye.params import Params
from jiuye.policies.documents import citation_text

__all__ = ["ConditionText", "PartText", "RuleText", "ValueText", "cited", "label_of", "rule_text"]

label_of = functools.cache(column_label)  # pure functions of a column name
_derived_inputs = functools.cache(derived_inputs)
cited = functools.cache(citation_text)


@dataclass(frozen=True)
class ConditionText:
    key: str
    label: str
    column: str  # the row's result
    citation: str
    bases: tuple[str, ...]  # basis columns of the statuses it reads, in the order they are told
    asked: tuple[tuple[str, str], ...]  # the facts behind it (column, label): what an unknown asks for
    # The columns its test reads when a status among them may, known on a row, spare its inputs
    # (the facts asked are then walked with the row); None: ``asked`` holds for every row.
    walk: tuple[str, ...] | None


@dataclass(frozen=True)
class PartText:
    index: int
    part: Part
    label: str
    columns: tuple[str, str, str]  # quantity, rate, subtotal
    due_column: str


@dataclass(frozen=True)
class ValueText:
    """A fact or variable the conditions read, as the trace shows it."""

    column: str
    label: str
    show: Callable[[Any], str]
    bases: tuple[str, ...]
    basis_label: str


class RuleText:
    """One epoch's rule as its rows are explained: the conditions, parts, values and info to show."""

    def __init__(self, measure: Measure, p: Params, conditions: list[tuple[Condition, str]]) -> None:
        self.measure = measure
        self.p = p
        self.variables = {v.name: v for v in measure.variables}
        self._reads: dict[str, list[str]] = {}
        self._later: dict[Any, Any] = {}  # what only some rows ask for, derived on first use
        with null_parameters_allowed():  # building a rule's expressions compares with unset values
            self.conditions, used = self._conditions(conditions)
            self.values = [self._value(column) for column in used]
        self.parts = [
            PartText(i, part, render_label(part.label, p), part_cols(i), due_col(i))
            for i, part in enumerate(measure.parts)
        ]
        self.info: list[tuple[str, str, Info]] = [(i.label, info_col(i.key), i) for i in measure.info]
        self.sized = "enterprise_size" in self.variables
        self._unset: tuple[int, list[str]] = (-1, [])

    def reads(self, name: str) -> list[str]:
        """The columns a variable's expression reads."""
        found = self._reads.get(name)
        if found is None:
            found = self._reads[name] = self.variables[name].expr(self.p).meta.root_names()
        return found

    def _conditions(self, conditions: list[tuple[Condition, str]]) -> tuple[list[ConditionText], list[str]]:
        tests = {c.key: c for c in self.measure.conditions}
        out: list[ConditionText] = []
        used: list[str] = []  # the columns the trace shows, in the order the conditions read them
        for cond, label in conditions:
            walk: tuple[str, ...] | None = None
            if cond.key in tests:
                direct = tests[cond.key].test(self.p).meta.root_names()
                used += [d for d in direct if d in self.variables and d not in used]
                roots = self.walk(direct)
                walk = tuple(direct) if self._statuses(direct) else None
            else:
                direct = []
                roots = ["region"] if cond.key == "jurisdiction" else ["event_date"] if cond.key == "in_force" else []
            used += [r for r in roots if r not in used]
            citation = cited(cond.cite.document, cond.cite.clause)
            asked = tuple((r, label_of(r)) for r in roots)
            out.append(ConditionText(cond.key, label, cond_col(cond.key), citation, self._bases(direct), asked, walk))
        return out, used

    def walk(self, names: list[str], row: dict[str, Any] | None = None) -> list[str]:
        """Base fact columns behind a set of columns, following variables to their inputs; with a
        ``row``, a status already known there (declared or derived) asks for none of its inputs."""
        variables = self.variables
        out: list[str] = []
        stack = list(names)
        seen: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in variables:
                if row is not None and variables[name].basis is not None and row.get(name) is not None:
                    continue
                stack.extend(self.reads(name))
            elif inputs := _derived_inputs(name):
                stack.extend(inputs)
            else:
                out.append(name)
        return out

    def _statuses(self, names: list[str]) -> bool:
        """Whether a status variable (one with a basis) lies behind ``names``."""
        stack, seen = list(names), set()
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.variables:
                if self.variables[name].basis is not None:
                    return True
                stack.extend(self.reads(name))
            else:
                stack.extend(_derived_inputs(name))
        return False

    def _bases(self, names: list[str]) -> tuple[str, ...]:
        """The basis columns of the status variables behind ``names`` (followed through other
        variables), in the order their texts are told."""
        out: list[str] = []
        stack, seen = list(reversed(names)), set()
        while stack:
            name = stack.pop()
            if name in seen or name not in self.variables:
                continue
            seen.add(name)
            if self.variables[name].basis is not None:
                out.append(basis_col(name))
            else:
                stack.extend(reversed(self.reads(name)))
        return tuple(out)

    def _value(self, column: str) -> ValueText:
        variable = self.variables.get(column)
        if variable is None:
            return ValueText(column, label_of(column), shown_as(column), (), "")
        label = render_label(variable.label, self.p)
        return ValueText(
            column, label, _variable_shown(column, variable.unit), self._bases([column]), f"{label}（依据）"
        )

    def part_needs(self, part: PartText) -> list[tuple[str, str]]:
        """The facts a part's amount reads (column, what is asked), but the region."""
        key = ("part", part.index)
        found: list[tuple[str, str]] | None = self._later.get(key)
        if found is None:
            with null_parameters_allowed():
                reads = [*part.part.quantity(self.p).meta.root_names(), *part.part.rate(self.p).meta.root_names()]
            found = self._later[key] = [
                (x, f"{label_of(x)}（用于计算{part.label}）") for x in self.walk(reads) if x != "region"
            ]
        return found

    def due_facts(self, part: PartText) -> list[tuple[str, str]]:
        """The facts that settle a ceiling part's amount due (column, label)."""
        key = ("due", part.index)
        found: list[tuple[str, str]] | None = self._later.get(key)
        if found is None:
            assert part.part.due is not None
            with null_parameters_allowed():
                reads = part.part.due(self.p).meta.root_names()
            found = self._later[key] = [(x, label_of(x)) for x in self.walk(reads)]
        return found

    def near_miss(self, key: str, gap: int | None) -> str:
        words: dict[str, GapWords] | None = self._later.get("near_miss")
        if words is None:
            words = self._later["near_miss"] = gap_words(self.measure)
        found = words.get(key)
        return found.text(gap) if found else ONLY_THIS

    def unset(self) -> list[str]:
        """Parameters the rule reads whose value is null (a local setting not yet made), as asked
        for; the parameters read can only grow, so their count says when to look again."""
        used = self.p.used
        if self._unset[0] != len(used):
            texts = [f"参数“{self.p.source[n].description}”（{n}）尚未设定" for n, e in used.items() if e.value is None]
            self._unset = (len(used), texts)
        return self._unset[1]


def _variable_shown(column: str, unit: str) -> Callable[[Any], str]:
    """A variable's value in the trace: money and ratios by the variable's unit, else as facts are."""
    plain = shown_as(column)
    if unit == "CNY":
        return lambda value: format_yuan(value) if isinstance(value, int) else plain(value)
    if unit in ("ppm", "ratio"):
        return lambda value: f"{value / 10_000:g}%" if isinstance(value, int) else plain(value)
    return plain


def rule_text(
    measure: Measure, epoch_memo: dict[Any, Any], p: Params, conditions: list[tuple[Condition, str]]
) -> RuleText:
    """The epoch's :class:`RuleText` for these labelled conditions (the same for every run of a
    plan but for the once conditions, which each run labels anew)."""
    texts: dict[tuple[tuple[str, str], ...], RuleText] = epoch_memo.setdefault("explain", {})
    key = tuple([(c.key, label) for c, label in conditions])
    found = texts.get(key)
    if found is None or found.measure is not measure:
        found = texts[key] = RuleText(measure, p, conditions)
    return found
