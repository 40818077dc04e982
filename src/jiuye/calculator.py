"""The calculator (算得清): facts + date + region → every measure's decision, explained.

>>> from jiuye.facts import facts_from_data
>>> report = calculate(facts_from_data({}), as_of=dt.date(2025, 12, 31), region="450103")
>>> report.decisions
[]
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import polars as pl

from jiuye.engine.decision import Conflict, Decision
from jiuye.engine.evaluate import MeasureRun
from jiuye.engine.exclusions import Competitor, choose_exclusive
from jiuye.engine.explain import decisions_of
from jiuye.engine.measure import Measure, Unit
from jiuye.engine.plans import parameters_key, plan_of
from jiuye.engine.provenance import Provenance, RuleProvenance, facts_hash, provenance_of, run_provenance
from jiuye.engine.row_case import guarded, run_rows
from jiuye.engine.single import collect_case, run_case
from jiuye.engine.variants import with_variants
from jiuye.errors import FactsError
from jiuye.facts.model import Facts
from jiuye.facts.row_tables import row_tables, unit_schema
from jiuye.facts.tables import UNITS, build_tables
from jiuye.money import format_yuan
from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.registry import all_measures
from jiuye.regions import validate_region

__all__ = ["Engine", "Report", "calculate", "evaluate", "evaluate_rows", "prior_grants_frame", "with_overrides"]

#: How a single case is evaluated: on dict rows by compiled row programs, or on Polars frames.
Engine = Literal["rows", "polars"]


@dataclass
class Report:
    as_of: dt.date
    region: str | None
    decisions: list[Decision]
    provenance: Provenance | None = None  # engine, rule and parameter hashes, facts hash


def with_overrides(params: ParameterSet, overrides: dict[str, object], note: str) -> ParameterSet:
    """Local settings or what-if values, in force from any date, each noted as an assumption."""
    problems = [
        f"parameters.{n}：未定义的参数；提示：运行 jiuye policies show 查看参数名" for n in overrides if n not in params
    ]
    coerced: dict[str, object] = {}
    for name, value in overrides.items():
        if name in params:
            try:
                coerced[name] = _coerce(value, params[name].unit)
            except (ValueError, ArithmeticError):
                problems.append(f"parameters.{name}：取值 {value!r} 不符合单位“{params[name].unit}”")
    if problems:
        raise FactsError(problems)
    for name, value in coerced.items():
        params = params.overridden(name, value, note=note)
    return params


def _coerce(value: object, unit: str) -> object:
    if value is None:
        return None
    if unit in ("CNY", "ratio"):
        return Decimal(str(value))
    if unit == "date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if unit in ("months", "years", "persons", "days", "age", "count"):
        return int(str(value))
    return value


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
    """Mark the better of mutually exclusive measures (see :mod:`jiuye.engine.exclusions`)."""
    if not any(d.exclusion_group for d in decisions):
        return
    competitors = [
        Competitor(d.measure, order[d.measure], d.subject_kind, d.subject_id, d.exclusion_group, d.status, d.amount_fen)
        for d in decisions
    ]
    by_group: dict[tuple[str, str, str], list[Decision]] = defaultdict(list)
    for d, (selected, chosen) in zip(decisions, choose_exclusive(competitors), strict=True):
        d.selected = selected
        if chosen is not None and d.exclusion_group is not None:
            by_group[(d.exclusion_group, d.subject_kind, d.subject_id)].append(d)
    for (group, _, _), members in by_group.items():
        best = next(d for d in members if d.selected)
        ids = [d.measure for d in members]
        amounts = "，".join(f"{x.measure} {format_yuan(x.amount_fen or 0)}" for x in members)
        for d in members:
            others = "、".join(i for i in ids if i != d.measure)
            msg = f"与{others}不可同时享受（{group}），只能选择其一；{amounts}；较优选择为 {best.measure}"
            d.conflicts.append(Conflict("exclusive", ids, best.measure, msg))


def _rule_provenance(run: MeasureRun) -> RuleProvenance:
    """A run's rule provenance, kept with its (cached) epochs while the values they read are the same."""
    if not run.epochs:
        return run_provenance(run)
    key = ("provenance", run.jurisdiction, tuple((len(e.params.used), len(e.params.missing)) for e in run.epochs))
    memo = run.epochs[0].memo
    found = memo.get(key)
    if not isinstance(found, RuleProvenance):
        found = memo[key] = run_provenance(run)
    return found


def evaluate(
    facts: Facts,
    *,
    as_of: dt.date,
    region: str | None,
    params: ParameterSet | None = None,
    measures: Iterable[Measure] | None = None,
    engine: Engine = "rows",
) -> tuple[list[MeasureRun], ParameterSet, str | None]:
    """Each chosen measure run over the document's unit tables, rows collected and traced (what
    :func:`calculate` explains; the case service also reads the rows), with the parameters used
    (the document's own settings applied) and the region. ``engine``: the single case on dict
    rows (:mod:`jiuye.engine.row_case`), or on Polars frames (the oracle the tests compare with)."""
    region = validate_region(region) if region else facts.region
    params = params or load_parameters()
    if facts.parameters:
        params = with_overrides(params, facts.parameters, "事实文件中的参数设定")
    chosen = with_variants(measures if measures is not None else all_measures())
    key = parameters_key(params)
    if engine == "rows":
        return evaluate_rows(facts, chosen, params=params, params_key=key, as_of=as_of, region=region), params, region
    built = build_tables(facts, {m.unit for m in chosen})
    tables = {unit: t.with_row_index("row_id") for unit, t in built.items() if not t.is_empty()}
    prior = prior_grants_frame(facts)
    runs = [
        run_case(
            measure,
            tables[measure.unit],
            params=params,
            params_key=key,
            as_of=as_of,
            default_region=region,
            location=UNITS[measure.unit].location,
            key_date=UNITS[measure.unit].key_date,
            prior=prior,
        )
        for measure in chosen
        if measure.unit in tables
    ]
    return collect_case(runs), params, region


def evaluate_rows(
    facts: Facts,
    chosen: list[Measure],
    *,
    params: ParameterSet,
    params_key: tuple[int, ...],
    as_of: dt.date,
    region: str | None,
) -> list[MeasureRun]:
    """:func:`evaluate` on dict rows (:mod:`jiuye.engine.row_case`); a measure the row compiler
    cannot take runs through Polars on the same rows."""
    tables = {u: rows for u, rows in row_tables(facts, {m.unit for m in chosen}).items() if rows}
    prior = [(g.measure, g.person, g.employer, g.granted_on) for g in facts.prior_grants]
    frames: dict[Unit, pl.DataFrame] = {}
    columns = {unit: tuple(unit_schema(unit)) for unit in tables}
    runs: list[MeasureRun] = []
    for measure in chosen:
        unit = measure.unit
        if unit not in tables:
            continue
        spec, schema = UNITS[unit], unit_schema(unit)
        plan = plan_of(
            measure,
            params,
            as_of=as_of,
            default_region=region,
            columns=columns[unit],
            location=spec.location,
            key_date=spec.key_date,
            params_key=params_key,
        )

        def polars(measure: Measure = measure, unit: Unit = unit) -> MeasureRun:
            if unit not in frames:
                frames[unit] = pl.DataFrame(tables[unit], schema=unit_schema(unit), orient="row")
            run = run_case(
                measure,
                frames[unit],
                params=params,
                params_key=params_key,
                as_of=as_of,
                default_region=region,
                location=UNITS[unit].location,
                key_date=UNITS[unit].key_date,
                prior=prior_grants_frame(facts),
            )
            return collect_case([run])[0]

        runs.append(guarded(plan, functools.partial(run_rows, plan, tables[unit], schema, as_of, prior), polars))
    return runs


def calculate(
    facts: Facts,
    *,
    as_of: dt.date,
    region: str | None,
    params: ParameterSet | None = None,
    measures: Iterable[Measure] | None = None,
    engine: Engine = "rows",
) -> Report:
    chosen = list(measures) if measures is not None else all_measures()
    runs, params, region = evaluate(facts, as_of=as_of, region=region, params=params, measures=chosen, engine=engine)
    order = {m.id: i for i, m in enumerate(chosen)}
    resolved = params.at(as_of)
    decisions: list[Decision] = []
    for run in runs:
        decisions += decisions_of(run, resolved)
    _resolve_exclusions(decisions, order)
    rules: dict[str, RuleProvenance] = {}
    for run in runs:
        if run.measure.id not in rules:  # a variant shares its measure's record
            rules[run.measure.id] = _rule_provenance(run)
    digest = facts_hash(facts)
    provenance = provenance_of(rules.values(), input_kind="facts", input_hash=digest, as_of=as_of, region=region)
    return Report(as_of, region, decisions, provenance)
