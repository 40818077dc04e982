# ruff: noqa: N801, N805  (OpenFisca names a variable by its class, and a formula's first argument is its entity)
"""The OpenFisca side of `vs_openfisca.py`: run only in the benchmark's own venv (numpy + openfisca-core).

Usage (by the driver): ``python vs_openfisca_side.py DIR REPEAT``. Reads ``DIR/inputs.npz`` (the
records as arrays, categories as codes) and ``DIR/values.json`` (jiuye's rule values as numbers),
computes both rules with the small TaxBenefitSystem below, writes ``DIR/results.npz`` and prints
one JSON line: compute seconds per rule and repeat (``calculate`` only, trace off).

Entities: ``hire`` is OpenFisca's person entity (one row per hire); ``worker`` (the person hired)
and ``employer`` are groups whose members are hires. OpenFisca 46's group reductions count members
with ``bincount`` and no ``minlength`` unless a role is named, so a memberless group at the end
would break them: the driver passes as workers only the persons hired, and employer sums name the
role. Computed for the year of the evaluation date, with values dated from the earliest basis.
"""

from __future__ import annotations

import datetime
import json
import sys
import time
from pathlib import Path

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

YEAR = DateUnit.YEAR
PPM = 1_000_000

Hire = build_entity("hire", "hires", "招用", is_person=True)
Worker = build_entity("worker", "workers", "人员", roles=[{"key": "hire", "plural": "hires"}])
Employer = build_entity("employer", "employers", "单位", roles=[{"key": "hire", "plural": "hires"}])


def _input(name: str, entity: object, value_type: type) -> type[Variable]:
    return type(name, (Variable,), {"value_type": value_type, "entity": entity, "definition_period": YEAR})


_INPUTS = {
    Hire: {
        "hire_date": "date",
        "contract_type": int,
        "months_paid_ui": int,
        "months_paid_injury": int,
        "months_paid_pension": int,
    },
    Worker: {
        "birth_date": "date",
        "college_graduate": bool,
        "graduation_date": "date",
        "employed_since_graduation": bool,
        "ever_registered_unemployed": bool,
        "unemployment_registered_on": "date",
        "registration_ended": bool,
        "unemployment_registration_ended_on": "date",
    },
    Employer: {
        "kind": int,
        "region": int,
        "size": int,
        "related_enterprise": bool,
        "ui_paid_months": int,
        "insured_staff": int,
        "layoffs_last_year": int,
        "ui_contributions_fen": int,
    },
}


def _in_mask(codes: np.ndarray, mask: float) -> np.ndarray:
    """Whether each category code is in the set the bit mask holds."""
    return ((int(mask) >> codes.astype(np.int64)) & 1).astype(bool)


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of datetime64[D] dates, in integer arithmetic (numpy's own conversion to
    months and years is several times slower): the civil-from-days algorithm (H. Hinnant)."""
    z = d.astype("datetime64[D]").astype(np.int64) + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, doy - (153 * mp + 2) // 5 + 1


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day numbers (since 1970-01-01) of civil dates: days-from-civil, the inverse of :func:`_ymd`."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468


def _plus_years(d: np.ndarray, years: int) -> np.ndarray:
    """Day numbers of the same month and day ``years`` later; 29 February becomes the 28th in a
    common year (the last day of the month, as Polars' ``offset_by`` does)."""
    y, mo, day = _ymd(d)
    y = y + years
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    return _days(y, mo, np.where((mo == 2) & (day == 29) & ~leap, 28, day))


def _date_parts(name: str, entity: object) -> tuple[type[Variable], ...]:
    """``<name>_ymd`` (year × 10000 + month × 100 + day) and ``<name>_day`` (day number), computed
    once per entity and cached by OpenFisca like any variable."""

    def ymd(population, period, parameters):
        year, month, day = _ymd(population(name, period))
        return year * 10_000 + month * 100 + day

    def day(population, period, parameters):
        return population(name, period).astype("datetime64[D]").astype(np.int64)

    return tuple(
        type(
            f"{name}_{part}",
            (Variable,),
            {"value_type": int, "entity": entity, "definition_period": YEAR, "formula": f},
        )
        for part, f in (("ymd", ymd), ("day", day))
    )


class graduation_window_end(Variable):
    """The last day of 离校N年内 (day number)."""

    value_type, entity, definition_period = int, Worker, YEAR

    def formula(worker, period, parameters):
        return _plus_years(worker("graduation_date", period), int(parameters(period).expansion.years_since_leaving))


class age_at_hire(Variable):
    value_type, entity, definition_period = int, Hire, YEAR

    def formula(hire, period, parameters):
        hired, born = hire("hire_date_ymd", period), hire.worker("birth_date_ymd", period)
        had_birthday = hired % 10_000 >= born % 10_000
        return hired // 10_000 - born // 10_000 - np.where(had_birthday, 0, 1)


class registered_at_hire(Variable):
    value_type, entity, definition_period = bool, Hire, YEAR

    def formula(hire, period, parameters):
        day = hire("hire_date", period)
        ended = hire.worker("registration_ended", period)
        active = hire.worker("unemployment_registered_on", period) <= day
        active &= ~ended | (hire.worker("unemployment_registration_ended_on", period) >= day)
        return hire.worker("ever_registered_unemployed", period) & active


class graduate_at_hire(Variable):
    """毕业年度, or 离校N年内未就业, 高校毕业生."""

    value_type, entity, definition_period = bool, Hire, YEAR

    def formula(hire, period, parameters):
        day, left = hire("hire_date_day", period), hire.worker("graduation_date_day", period)
        in_year = hire.worker("graduation_date_ymd", period) // 10_000 == hire("hire_date_ymd", period) // 10_000
        recent = (left <= day) & (day <= hire.worker("graduation_window_end", period))
        recent &= ~hire.worker("employed_since_graduation", period)
        return hire.worker("college_graduate", period) & (in_year | recent)


class expansion_qualifies(Variable):
    """Every condition of gx.expansion except once-per-person."""

    value_type, entity, definition_period = bool, Hire, YEAR

    def formula(hire, period, parameters):
        p = parameters(period).expansion
        day = hire("hire_date_day", period)
        age = hire("age_at_hire", period)
        youth = (age >= p.youth_age_min) & (age <= p.youth_age_max) & hire("registered_at_hire", period)
        months = np.minimum(
            np.minimum(hire("months_paid_ui", period), hire("months_paid_injury", period)),
            hire("months_paid_pension", period),
        )
        return (
            (day >= p.in_force_from)
            & (hire.employer("region", period) // p.region_divisor == p.region_prefix)
            & _in_mask(hire.employer("kind", period), p.kind_mask)
            & (youth | hire("graduate_at_hire", period))
            & (hire("contract_type", period) != p.contract_none)
            & (months >= p.min_contribution_months)
            & (day >= p.period_start)
            & (day <= p.period_end)
        )


class expansion_eligible(Variable):
    """Once per person: the person's earliest qualifying hire (input order breaks ties) earns it."""

    value_type, entity, definition_period = bool, Hire, YEAR

    def formula(hire, period, parameters):
        ok = hire("expansion_qualifies", period)
        day = hire("hire_date_day", period).astype(np.int64)
        key = np.where(ok, day * hire.count + np.arange(hire.count), np.iinfo(np.int64).max)
        return ok & (hire.worker.min(key) == key)


class expansion_employer_eligible(Variable):
    value_type, entity, definition_period = bool, Employer, YEAR

    def formula(employer, period, parameters):
        return employer.any(employer.members("expansion_eligible", period), role=Employer.HIRE)


class expansion_employer_fen(Variable):
    value_type, entity, definition_period = int, Employer, YEAR

    def formula(employer, period, parameters):
        hires = employer.members("expansion_eligible", period)
        return employer.sum(np.where(hires, parameters(period).expansion.amount_fen, 0), role=Employer.HIRE)


class refund_eligible(Variable):
    value_type, entity, definition_period = bool, Employer, YEAR

    def formula(employer, period, parameters):
        p = parameters(period).refund
        kind = employer("kind", period)
        layoffs = employer("layoffs_last_year", period).astype(np.int64)
        insured = employer("insured_staff", period).astype(np.int64)
        layoffs_ok = (layoffs == 0) | (layoffs * PPM <= insured * p.max_rate_ppm)
        layoffs_ok |= (insured <= p.small_staff_max) & (layoffs * PPM <= insured * p.small_rate_ppm)
        return (
            (p.as_of >= p.in_force_from)
            & (p.as_of <= p.period_end)
            & (employer("region", period) // p.region_divisor == p.region_prefix)
            & _in_mask(kind, p.kind_mask)
            & (employer("ui_paid_months", period) >= p.min_ui_paid_months)
            & layoffs_ok
        )


class refund_fen(Variable):
    """gx.ui.refund: ratio × last year's UI contributions, rounded half up to the fen; 0 if not eligible."""

    value_type, entity, definition_period = int, Employer, YEAR

    def formula(employer, period, parameters):
        p = parameters(period).refund
        sme = _in_mask(employer("kind", period), p.sme_kind_mask) | _in_mask(employer("size", period), p.sme_size_mask)
        related = employer("related_enterprise", period)
        ratio = np.select(
            [related & sme, related, sme],
            [p.ratio_related_sme_ppm, p.ratio_related_large_ppm, p.ratio_sme_ppm],
            p.ratio_large_ppm,
        ).astype(np.int64)
        amount = (employer("ui_contributions_fen", period).astype(np.int64) * ratio * 2 + PPM) // (2 * PPM)
        return np.where(employer("refund_eligible", period), amount, 0)


def _node(values: dict[str, dict[str, object]], since: str) -> ParameterNode:
    """Every value dated from the rule's earliest basis (numbers only: dates as day numbers since
    1970-01-01, lists of categories as bit masks of their codes)."""
    data = {rule: {k: {"values": {since: {"value": x}}} for k, x in v.items()} for rule, v in values.items()}
    return ParameterNode("", data=data)


class _System(TaxBenefitSystem):
    def __init__(self, values: dict[str, dict[str, object]], since: str) -> None:
        super().__init__([Hire, Worker, Employer])
        for entity, names in _INPUTS.items():
            for name, kind in names.items():
                self.add_variable(_input(name, entity, datetime.date if kind == "date" else kind))
        self.add_variables(*_date_parts("hire_date", Hire), *_date_parts("birth_date", Worker))
        self.add_variables(*_date_parts("graduation_date", Worker), graduation_window_end)
        self.add_variables(age_at_hire, registered_at_hire, graduate_at_hire, expansion_qualifies, expansion_eligible)
        self.add_variables(expansion_employer_eligible, expansion_employer_fen, refund_eligible, refund_fen)
        self.parameters = _node(values, since)


def _simulation(system: TaxBenefitSystem, data: dict[str, np.ndarray], period: str) -> object:
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("hire", np.arange(len(data["hire_date"])))
    for group, link, count in (("worker", "hire_worker", "workers"), ("employer", "hire_employer", "employers")):
        population = builder.declare_entity(group, np.arange(int(data[count])))
        population.members_entity_id = data[link]  # positions; a group may have no hires
    sim = builder.build(system)
    for names in _INPUTS.values():
        for name in names:
            sim.set_input(name, period, data[name])
    return sim


_EXPANSION_OUT = ("expansion_eligible", "expansion_employer_eligible", "expansion_employer_fen")
_REFUND_OUT = ("refund_eligible", "refund_fen")


def main() -> None:
    folder, repeat = Path(sys.argv[1]), int(sys.argv[2])
    spec = json.loads((folder / "values.json").read_text())
    with np.load(folder / "inputs.npz") as z:
        data = {k: z[k] for k in z.files}
    system = _System(spec["values"], spec["since"])
    seconds: dict[str, list[float]] = {"gx.expansion": [], "gx.ui.refund": []}
    for _ in range(repeat):
        sim = _simulation(system, data, spec["period"])
        t0 = time.perf_counter()
        out = {name: sim.calculate(name, spec["period"]) for name in _EXPANSION_OUT}
        t1 = time.perf_counter()
        out |= {name: sim.calculate(name, spec["period"]) for name in _REFUND_OUT}
        t2 = time.perf_counter()
        seconds["gx.expansion"].append(t1 - t0)
        seconds["gx.ui.refund"].append(t2 - t1)
    np.savez(folder / "results.npz", **out)
    print(json.dumps({"seconds": seconds, "trace": False}))


if __name__ == "__main__":
    main()
