"""Where and when a measure applies: the first two conditions of every measure.

Place is read at the evaluation date (where an entity is, is not a matter of when a document was
published); time is the epoch's verdict on the event (:mod:`jiuye.engine.epochs`).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from jiuye.dates import cn_date
from jiuye.engine.epochs import Epoch, in_force_label
from jiuye.engine.measure import Condition, Measure, cite
from jiuye.params import ParameterSet
from jiuye.policies.documents import citation_text
from jiuye.regions import region_in, region_name

__all__ = ["jurisdiction_code", "jurisdiction_condition", "time_condition"]


def jurisdiction_condition(measure: Measure, code: str) -> Condition:
    source = measure.sources[0]
    return Condition(
        "jurisdiction",
        f"所在地属于{region_name(code)}（本政策适用范围）",
        cite(source.document, source.clause),
        lambda p: region_in(pl.col("region"), code),
    )


def jurisdiction_code(params: ParameterSet, measure: Measure, as_of: dt.date) -> str:
    """Where a measure applies is a fact of place, read at the evaluation date whatever was
    published when (the first value if the evaluation date precedes them all)."""
    param = params[f"common.jurisdiction.{measure.jurisdiction}"]
    entry = param.entry_at(as_of) or param.entries[0]
    return str(entry.value)


def time_condition(measure: Measure, epoch: Epoch, event: str) -> Condition:
    source = measure.sources[0]
    label = in_force_label(epoch, event, lambda names: _published(epoch.params.source, names, epoch))
    in_force = epoch.in_force
    return Condition("in_force", label, cite(source.document, source.clause), lambda p: pl.lit(in_force))


def _published(params: ParameterSet, names: list[str], epoch: Epoch) -> str:
    shown: list[str] = []
    for name in names:
        entry = params[name].entry_at(epoch.params.event_date) or params[name].entries[0]
        published = entry is not None and entry.published is not None and entry.published <= epoch.params.as_of
        if published:  # already known: not a reason why the measure is not yet in force
            continue
        if entry is not None and entry.reference is not None and entry.published is not None:
            text = f"{citation_text(entry.reference.document, '')}于{cn_date(entry.published)}发布"
            if text not in shown:
                shown.append(text)
    return "；".join(shown)
