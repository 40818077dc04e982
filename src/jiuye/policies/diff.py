"""Policy diff: what changed in the law between two dates (政策变化对照).

The law governing an event on ``start`` is compared with the law governing an event on ``end``,
both as known on ``end`` (documents published by then). A measure

* **started** when the first day it governs falls in (start, end]: the latest first value among
  the parameters it reads, or its period start (``period_start``...) if later;
* **ended** when its period end (``period_end``, ``apply_end``, ``issued_until``), or the day
  before a parameter it reads is repealed (a dated null after a value), falls in (start, end];
* **changed a parameter** when the parameter's value differs between the two events, or a value
  was dated in between (an entry governing events in (start, end], or published in it).

Each change carries the old and new values as the documents write them, the citing clause with
its quoted words, and the named assumption where the documents are silent.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from jiuye.engine.evaluate import render_label
from jiuye.engine.measure import Measure
from jiuye.errors import JiuyeError
from jiuye.params import Parameter, ParameterSet, ValueEntry
from jiuye.policies.documents import citation_text, documents
from jiuye.policies.measure_params import measure_parameter_uses
from jiuye.regions import contains

__all__ = ["END_KEYS", "START_KEYS", "Event", "MeasureDiff", "ParameterChange", "Source", "Step", "policy_diff"]

#: Parameter keys (last name part) whose date value closes a measure's period.
END_KEYS = ("period_end", "apply_end", "issued_until")
#: Parameter keys whose date value opens it.
START_KEYS = ("period_start", "scope_start", "issued_from")
ABSENT = "（无）"


@dataclass(frozen=True)
class Source:
    """The citing clause of a value: 文号 + clause, the document's title, the quoted words."""

    citation: str
    document: str
    title: str
    quote: str
    assumption: str | None

    @classmethod
    def of(cls, entry: ValueEntry) -> Source:
        ref = entry.reference
        if ref is None:
            return cls("", "", "", "", entry.assumption)
        doc = documents().get(ref.document)
        return cls(citation_text(ref.document, ref.clause), ref.document, doc.title if doc else "", ref.quote,
                   entry.assumption)  # fmt: skip


@dataclass(frozen=True)
class Step:
    """A dated value inside the window: governs events from ``since``, known from ``published``."""

    since: dt.date
    published: dt.date | None
    value: str
    source: Source
    retroactive: bool  # published inside the window for events on or before its start


@dataclass(frozen=True)
class ParameterChange:
    name: str
    description: str
    # added | changed | removed; varied: the same at both ends, different in between; retroactive:
    # the same at both ends as known at the end, but published inside the window
    kind: str
    old: str
    new: str
    source: Source | None
    steps: tuple[Step, ...]
    governs: tuple[str, ...]  # condition labels, 金额, result labels, 适用地区
    # The value for an event on the window's start as known on that day (before what the window
    # published): where ``retroactive`` differs from ``old``.
    known_then: str = ABSENT


@dataclass(frozen=True)
class Event:
    kind: str  # started | ended
    date: dt.date
    parameter: str
    source: Source


@dataclass(frozen=True)
class MeasureDiff:
    measure: str
    title: str
    jurisdiction: str  # region code the measure applies in
    events: tuple[Event, ...]
    changes: tuple[ParameterChange, ...]


def _value(entry: ValueEntry | None) -> Any:
    return None if entry is None else entry.value


def _within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start < day <= end


class _Window:
    """The two dates, and what is known on the later one."""

    def __init__(self, params: ParameterSet, start: dt.date, end: dt.date) -> None:
        self.params, self.start, self.end = params, start, end

    def at(self, param: Parameter, event: dt.date) -> ValueEntry | None:
        return param.entry_at(event, known_by=self.end)

    def known(self, param: Parameter) -> list[ValueEntry]:
        """Its values published by the window's end (a value with no publication date is known)."""
        return [e for e in param.entries if e.published is None or e.published <= self.end]

    def steps(self, param: Parameter) -> tuple[Step, ...]:
        out, previous = [], None
        for entry in self.known(param):
            published = entry.published
            dated_inside = _within(entry.since, self.start, self.end)
            retroactive = entry.since <= self.start and _within(published, self.start, self.end)
            if entry.since <= self.end and (dated_inside or retroactive) and _value(previous) != entry.value:
                out.append(Step(entry.since, published, param.display(entry.value), Source.of(entry), retroactive))
            previous = entry
        return tuple(out)


def _change(window: _Window, param: Parameter, governs: list[str]) -> ParameterChange | None:
    old, new = window.at(param, window.start), window.at(param, window.end)
    steps = window.steps(param)
    before, after = _value(old), _value(new)
    if before == after and not steps:
        return None
    if before == after:
        kind = "retroactive" if all(step.retroactive for step in steps) else "varied"
    else:
        kind = "added" if before is None else "removed" if after is None else "changed"
    shown = new if new is not None and new.value is not None else old
    source = Source.of(shown) if shown is not None else (steps[-1].source if steps else None)
    if steps and (new is None or new.value is None):
        source = steps[-1].source
    then = param.entry_at(window.start, known_by=window.start)
    return ParameterChange(
        param.name,
        param.description,
        kind,
        param.display(before) if old is not None else ABSENT,
        param.display(after) if new is not None else ABSENT,
        source,
        steps,
        tuple(governs),
        param.display(then.value) if then is not None else ABSENT,
    )


def _start(window: _Window, names: list[str], sources: set[str]) -> Event | None:
    """The first day the measure governs, as known on the window's end."""
    firsts: list[tuple[dt.date, str, ValueEntry]] = []
    for name in names:
        known = window.known(window.params[name])
        if not known:
            return None  # a parameter it needs is not yet published: not in force at all
        firsts.append((known[0].since, name, known[0]))
        entry = window.at(window.params[name], window.end)
        if name.rsplit(".", 1)[-1] in START_KEYS and entry is not None and isinstance(entry.value, dt.date):
            firsts.append((entry.value, name, entry))
    day = max(f[0] for f in firsts)
    if not _within(day, window.start, window.end):
        return None
    _, name, entry = min((f for f in firsts if f[0] == day), key=lambda f: _preference(f[1], f[2], sources, START_KEYS))
    return Event("started", day, name, Source.of(entry))


def _preference(
    name: str, entry: ValueEntry, sources: set[str], bounds: tuple[str, ...]
) -> tuple[bool, bool, bool, str]:
    """Which parameter to cite for a date: a period bound first, then one citing the measure's
    own documents, then one the documents state rather than an assumption."""
    cited = entry.reference is not None and entry.reference.document in sources
    return name.rsplit(".", 1)[-1] not in bounds, not cited, entry.assumption is not None, name


def _end(window: _Window, names: list[str], sources: set[str]) -> Event | None:
    ends: list[tuple[dt.date, str, ValueEntry]] = []
    for name in names:
        param = window.params[name]
        if name.rsplit(".", 1)[-1] in END_KEYS:
            entry = window.at(param, window.end) or window.at(param, window.start)
            if entry is not None and isinstance(entry.value, dt.date):
                ends.append((entry.value, name, entry))
        known = window.known(param)
        for before, entry in itertools.pairwise(known):
            if before.value is not None and entry.value is None:  # a dated repeal or expiry
                ends.append((entry.since - dt.timedelta(days=1), name, entry))
    inside = [e for e in ends if _within(e[0], window.start, window.end)]
    if not inside:
        return None
    day = min(e[0] for e in inside)
    _, name, entry = min((e for e in inside if e[0] == day), key=lambda e: _preference(e[1], e[2], sources, END_KEYS))
    return Event("ended", day, name, Source.of(entry))


def _measure_diff(window: _Window, measure: Measure) -> MeasureDiff:
    uses = measure_parameter_uses(measure, window.params, (window.start, window.end))
    names = sorted(uses)
    resolved = window.params.at(window.end)
    changes = []
    for name in names:
        if window.params[name].unit == "region":
            continue  # the territory decides whether a measure is listed, it is no change of law
        governs = [render_label(label, resolved) for label in uses[name]]
        change = _change(window, window.params[name], governs)
        if change is not None:
            changes.append(change)
    sources = {c.document for c in measure.sources}
    events = tuple(e for e in (_start(window, names, sources), _end(window, names, sources)) if e is not None)
    territory = window.params[f"common.jurisdiction.{measure.jurisdiction}"]
    code = window.at(territory, window.end) or window.at(territory, window.start)
    return MeasureDiff(measure.id, measure.title, str(_value(code) or ""), events, tuple(changes))


def policy_diff(
    measures: list[Measure], params: ParameterSet, *, start: dt.date, end: dt.date, region: str | None = None
) -> list[MeasureDiff]:
    """The measures (in catalog order) that started, ended or changed a parameter in (start, end],
    only those whose jurisdiction covers ``region`` when it is given."""
    if end < start:
        msg = f"对照区间的终止日 {end.isoformat()} 早于起始日 {start.isoformat()}；提示：--from 应不晚于 --to"
        raise JiuyeError(msg)
    window = _Window(params, start, end)
    out = []
    for measure in measures:
        found = _measure_diff(window, measure)
        if region is not None and not (found.jurisdiction and contains(found.jurisdiction, region)):
            continue
        if found.events or found.changes:
            out.append(found)
    return out
