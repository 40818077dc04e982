"""The calculator (算得清): facts + date + region → every measure's decision, explained.

>>> from jiuye.facts import facts_from_data
>>> report = calculate(facts_from_data({}), as_of=dt.date(2025, 12, 31), region="450103")
>>> report.decisions
[]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from jiuye.engine.decision import Conflict, Decision
from jiuye.engine.evaluate import ELIGIBLE, run_measure
from jiuye.engine.explain import decisions_of
from jiuye.engine.measure import Measure
from jiuye.facts.model import Facts
from jiuye.facts.tables import UNITS, build_tables
from jiuye.money import format_yuan
from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.registry import all_measures
from jiuye.regions import validate_region

__all__ = ["Report", "calculate", "prior_grants_frame", "with_overrides"]

_EPOCH = dt.date(1900, 1, 1)


@dataclass
class Report:
    as_of: dt.date
    region: str | None
    decisions: list[Decision]


def with_overrides(params: ParameterSet, overrides: dict[str, object], note: str) -> ParameterSet:
    """Local settings or what-if values, in force from any date, each noted as an assumption."""
    for name, value in overrides.items():
        params = params.with_value(name, _EPOCH, value, note=note)
    return params


def prior_grants_frame(facts: Facts) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "measure": [g.measure for g in facts.prior_grants],
            "person": [g.person for g in facts.prior_grants],
            "employer": [g.employer for g in facts.prior_grants],
            "granted_on": [g.granted_on for g in facts.prior_grants],
        },
        schema={"measure": pl.String, "person": pl.String, "employer": pl.String, "granted_on": pl.Date},
    )


def _resolve_exclusions(decisions: list[Decision], order: dict[str, int]) -> None:
    """Mutually exclusive measures: the claimant takes one; name the better (larger) one."""
    groups: dict[tuple[str, str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        if d.exclusion_group and d.status == ELIGIBLE:
            groups[(d.exclusion_group, d.subject_kind, d.subject_id)].append(d)
    for (group, _, _), members in groups.items():
        if len(members) < 2:
            continue
        best = max(members, key=lambda d: (d.amount_fen or 0, -order[d.measure]))
        ids = [d.measure for d in members]
        for d in members:
            d.selected = d is best
            amounts = "，".join(f"{x.measure} {format_yuan(x.amount_fen or 0)}" for x in members)
            msg = (
                f"与{'、'.join(i for i in ids if i != d.measure)}不可同时享受（{group}），只能选择其一；"
                f"{amounts}；较优选择为 {best.measure}"
            )
            d.conflicts.append(Conflict("exclusive", ids, best.measure, msg))


def calculate(
    facts: Facts,
    *,
    as_of: dt.date,
    region: str | None,
    params: ParameterSet | None = None,
    measures: Iterable[Measure] | None = None,
) -> Report:
    region = validate_region(region) if region else facts.region
    params = params or load_parameters()
    if facts.parameters:
        unknown = [n for n in facts.parameters if n not in params]
        if unknown:
            from jiuye.errors import FactsError

            raise FactsError(
                [f"parameters.{n}：未定义的参数；提示：运行 jiuye policies show 查看参数名" for n in unknown]
            )
        params = with_overrides(params, facts.parameters, "事实文件中的参数设定")
    tables = build_tables(facts)
    prior = prior_grants_frame(facts)
    chosen = list(measures) if measures is not None else all_measures()
    order = {m.id: i for i, m in enumerate(chosen)}
    decisions: list[Decision] = []
    for measure in chosen:
        table = tables[measure.unit]
        if table.is_empty():
            continue
        run = run_measure(
            measure,
            table.with_row_index("row_id"),
            params=params,
            as_of=as_of,
            default_region=region,
            location=UNITS[measure.unit].location,
            prior=prior,
        )
        decisions += decisions_of(run, params.at(as_of))
    _resolve_exclusions(decisions, order)
    return Report(as_of, region, decisions)
