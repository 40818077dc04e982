"""The time axis of the qualifying event: which dated rule governs each row.

Two dates decide an answer (docs/time.md). The **event date** (hire, registration, internship
start...; the evaluation date when a unit has no event) selects the rule that governs it: each
parameter value has a ``since``, the first event date it governs. The **evaluation date** decides
what is known: a value counts only once the document stating it was published.

A measure's rows are cut into *epochs*: spans of event dates over which every parameter the
measure reads keeps one value. Each epoch is evaluated with its own resolved parameters, so a
hire in March and a hire in October can fall under different rules in one batch. Event dates
before the measure's earliest basis form the epoch "before", whose rows fail the time condition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jiuye.dates import cn_date
from jiuye.engine.measure import Measure
from jiuye.params import ParameterSet, Params
from jiuye.params.model import ValueEntry

__all__ = ["Epoch", "epochs_of", "in_force_label", "parameters_read"]

_ONE_DAY = dt.timedelta(days=1)


@dataclass
class Epoch:
    """Event dates in ``[start, end)`` (None: unbounded), all governed by the same values."""

    start: dt.date | None
    end: dt.date | None
    params: Params
    in_force: bool
    earliest: dt.date | None  # first event date any basis of the measure governs
    unpublished: list[str] = field(default_factory=list)  # governing values not yet published
    names: list[str] = field(default_factory=list)  # every parameter the measure reads
    # What the explanation derives from this epoch's rule alone (root columns, rendered labels),
    # kept with it: a cached plan's epochs explain every later document without rebuilding it.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def rows(self) -> pl.Expr:
        """The rows whose event date falls in this epoch."""
        event = pl.col("event_date")
        test = pl.lit(value=True)
        if self.start is not None:
            test = test & (event >= pl.lit(self.start))
        if self.end is not None:
            test = test & (event < pl.lit(self.end))
        return test


def parameters_read(measure: Measure, p: Params) -> set[str]:
    """The parameters a measure's declaration reads (found by building its expressions)."""
    from jiuye.engine.evaluate import null_parameters_allowed  # evaluate imports this module

    probe = Params(p.source, p.as_of, event=p.event)
    with null_parameters_allowed():
        for c in measure.conditions:
            c.test(probe)
        for v in measure.variables:
            v.expr(probe)
        for part in measure.parts:
            part.quantity(probe)
            part.rate(probe)
        for i in measure.info:
            i.value(probe)
        for c in measure.conditions:
            _render(c.label, probe)
    return set(probe.used) | probe.missing


def _render(label: str, p: Params) -> None:
    from jiuye.engine.evaluate import render_label

    render_label(label, p)


def epochs_of(measure: Measure, params: ParameterSet, as_of: dt.date) -> list[Epoch]:
    """The epochs of a measure's event axis as known on ``as_of``, earliest first."""
    names = parameters_read(measure, params.at(as_of))
    if not names:  # a rule that reads no dated value is the same rule at every date
        return [Epoch(None, None, params.at(as_of), in_force=True, earliest=None)]
    starts = sorted({e.since for n in names for e in params[n].entries if _known(e, as_of)})
    earliest = _earliest(names, params, as_of)
    bounds: list[dt.date | None] = [None, *starts]
    epochs: list[Epoch] = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else None
        if end == dt.date.min:
            continue  # a local setting in force at every date: nothing comes before it
        date = start if start is not None else (end - _ONE_DAY if end is not None else as_of)
        in_force = earliest is not None and date >= earliest
        # Before the earliest basis the time condition fails; the other conditions are still
        # judged, by the first rule that exists, so that every reason can be given.
        p = params.at(as_of, event=date if in_force or earliest is None else earliest)
        resolved = _resolve(p, names)
        epoch = Epoch(start, end, p, in_force, earliest, _unpublished(params, names, date, as_of), sorted(names))
        if epochs and epochs[-1].in_force == in_force and _same(epochs[-1].params, resolved, names):
            epochs[-1].end = end  # nothing changed at this boundary: one epoch
            continue
        epochs.append(epoch)
    return epochs


def _known(entry: ValueEntry, as_of: dt.date) -> bool:
    return entry.published is None or entry.published <= as_of


def _earliest(names: set[str], params: ParameterSet, as_of: dt.date) -> dt.date | None:
    """The first event date on which every parameter read has a (known) value."""
    firsts = []
    for name in names:
        known = [e.since for e in params[name].entries if _known(e, as_of)]
        if not known:
            return None
        firsts.append(min(known))
    return max(firsts) if firsts else None


def _resolve(p: Params, names: set[str]) -> dict[str, ValueEntry | None]:
    return {n: p.entry(n) for n in sorted(names)}


def _same(p: Params, resolved: dict[str, ValueEntry | None], names: set[str]) -> bool:
    return all(p.source[n].entry_at(p.event_date, known_by=p.as_of) is resolved[n] for n in names)


def _unpublished(params: ParameterSet, names: set[str], event: dt.date, as_of: dt.date) -> list[str]:
    """Values that would govern the event but whose document came out after the evaluation date."""
    out = []
    for name in sorted(names):
        latest = params[name].entry_at(event)
        if latest is not None and not _known(latest, as_of):
            out.append(name)
    return out


def in_force_label(epoch: Epoch, event: str, describe: Callable[[list[str]], str]) -> str:
    """The time condition's label for an epoch, stated positively as every condition is: true
    when the rule governs the event, false with the reason why not."""
    if epoch.in_force:
        since = f"（本政策依据自{cn_date(epoch.earliest)}起适用）" if epoch.earliest else ""
        return f"{event}在本政策适用期间{since}"
    if epoch.earliest is not None:
        return f"{event}不早于本政策最早依据的适用起始日（{cn_date(epoch.earliest)}）"
    pending = describe(epoch.unpublished or epoch.names)
    return f"评估日期{cn_date(epoch.params.as_of)}时本政策已施行（尚未施行：{pending or '尚无已发布的依据'}）"
