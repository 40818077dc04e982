"""How a unit table is spread over Spark partitions so that each measure sees whole windows.

A measure's windows are its ``once`` ranking (``rank().over(keys)``: a person gets a one-off
subsidy once, whichever employer claims it) and a shared ``due_pool`` (an enterprise's tax payable
drawn on by all its hires). Its rows must meet in one partition: the
table is partitioned by the region *of the keyed entity* (``person_id`` → ``person_region``),
which is the same for all rows of one key, so the data stays partitioned by region. A measure
with no ``once`` has no window and runs in any partition; a unit whose measures have none is
partitioned by its own region columns (``UNITS[unit].location``).

>>> from jiuye.engine.measure import Unit
>>> partition_plan(Unit.employment)[0].spread
('person_region',)
>>> partition_plan(Unit.internship)[0].spread
('coalesce(employer_region)',)
"""

from __future__ import annotations

from dataclasses import dataclass

from jiuye.engine.measure import Measure, Unit
from jiuye.engine.variants import with_variants
from jiuye.facts.tables import UNITS, empty_table
from jiuye.policies.registry import all_measures

__all__ = ["Group", "partition_plan"]


@dataclass(frozen=True)
class Group:
    """Measures evaluated together over one partitioning of their unit table."""

    spread: tuple[str, ...]  # Spark SQL expressions to hash-partition by
    measure_ids: tuple[str, ...]


def _window_keys(measure: Measure) -> tuple[str, ...] | None:
    if measure.once is not None:
        return measure.once.keys
    pools = {part.due_pool for part in measure.parts if part.due_pool}
    assert len(pools) <= 1, f"{measure.id}: one window per measure"
    return next(iter(pools), None)


def _once_spread(keys: tuple[str, ...], columns: list[str]) -> tuple[str, ...]:
    """The region of the first keyed entity (constant per key), else the keys themselves."""
    for key in keys:
        region = key.removesuffix("_id") + "_region"
        if key.endswith("_id") and region in columns:
            return (region,)
    return keys


def partition_plan(unit: Unit, measures: list[Measure] | None = None) -> list[Group]:
    """The groups of a unit's measures, the first being how the cached unit table is partitioned.

    Measures without a window join the first group, so today every unit needs one pass.
    """
    everything = with_variants(measures if measures is not None else all_measures())
    chosen = [m for m in everything if m.unit is unit]
    columns = list(empty_table(unit).schema)
    windows: dict[tuple[str, ...], list[str]] = {}
    for measure in chosen:
        if (keys := _window_keys(measure)) is not None:
            windows.setdefault(_once_spread(keys, columns), []).append(measure.id)
    free = [m.id for m in chosen if _window_keys(m) is None]
    if not windows:
        location = ", ".join(UNITS[unit].location)
        return [Group((f"coalesce({location})",), tuple(free))] if free else []
    groups = [Group(spread, tuple(ids)) for spread, ids in windows.items()]
    groups[0] = Group(groups[0].spread, (*free, *groups[0].measure_ids))
    return groups
