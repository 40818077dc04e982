"""Which parameters a measure reads, and what each one governs (a condition, the amount...).

Found by running the measure's declaration once against a recording :class:`Params`: every
parameter an expression builder or a label reads is noted. The parameters its own file declares
are added, so one the builders skip at some dates (a branch on a value) is not lost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

import polars as pl

from jiuye.engine.evaluate import null_parameters_allowed
from jiuye.engine.measure import Measure
from jiuye.errors import JiuyeError
from jiuye.params import ParameterSet, Params
from jiuye.policies.registry import module_of

__all__ = ["measure_parameter_uses", "own_parameters"]

_AMOUNT, _TERRITORY = "金额", "适用地区"
_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")  # as in labels: 招用日期不晚于{gx.expansion.period_end}


def own_parameters(measure: Measure, params: ParameterSet) -> list[str]:
    """The parameters declared in the measure's own ``.params.yaml`` (beside its rule module)."""
    module = module_of(measure.id) or ""
    origin = module.removeprefix("jiuye.").replace(".", "/") + ".params.yaml"
    return sorted(name for name, p in params.params.items() if p.origin == origin)


def _read(build: Callable[[Params], object], params: ParameterSet, day: dt.date) -> set[str]:
    p = params.at(day)
    try:
        with null_parameters_allowed():
            build(p)
    except (TypeError, ValueError, ArithmeticError, JiuyeError, pl.exceptions.PolarsError):
        pass  # a builder that cannot take a missing value: what it read before failing is noted
    return set(p.used) | p.missing


def measure_parameter_uses(measure: Measure, params: ParameterSet, days: Iterable[dt.date]) -> dict[str, list[str]]:
    """Parameter name → what it governs in the measure (condition labels, 金额, result labels), traced at
    each of ``days``; parameters of the measure's own file that no builder read govern nothing
    listed."""
    uses: dict[str, list[str]] = {name: [] for name in own_parameters(measure, params)}

    def note(names: Iterable[str], what: str) -> None:
        for name in sorted(names):
            listed = uses.setdefault(name, [])
            if what not in listed:
                listed.append(what)

    note([f"common.jurisdiction.{measure.jurisdiction}"], _TERRITORY)
    for day in days:
        for c in measure.conditions:
            note(_read(c.test, params, day) | set(_PLACEHOLDER.findall(c.label)), c.label)
        for variable in measure.variables:
            note(_read(variable.expr, params, day), variable.label)
        for part in measure.parts:
            note(_read(part.quantity, params, day) | _read(part.rate, params, day), _AMOUNT)
        for info in measure.info:
            note(_read(info.value, params, day), info.label)
    return {name: found for name, found in uses.items() if name in params}
