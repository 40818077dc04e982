"""jiuye and the hand-written Polars anchors over the records of `vs_openfisca_records.py`.

Every runner returns :class:`Answer`: per hire whether it earns the expansion subsidy, and per
employer the amount (fen) of each rule it is eligible for. The anchors are written straight from
the rule texts quoted in ``src/jiuye/policies/gx/{expansion,ui_refund}.py``, with the values of
:func:`vs_openfisca_records.rule_values`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import polars as pl
from vs_openfisca_records import EXPANSION, REFUND, REGION, SME_SIZES, Flat

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.engine.evaluate import ELIGIBLE, columns_used
from jiuye.engine.measure import Unit
from jiuye.facts import model as m
from jiuye.facts.tables import UNITS, registry_schema, tables_from_registry
from jiuye.params import ParameterSet
from jiuye.policies.registry import get_measure

col = pl.col
PPM = 1_000_000


@dataclass
class Answer:
    hires: np.ndarray | None  # bool per hire, input order (expansion rule only)
    employers: dict[str, pl.DataFrame]  # rule → eligible employers: employer (int), amount_fen


def _age(birth: pl.Expr, day: pl.Expr) -> pl.Expr:
    had = (day.dt.month() > birth.dt.month()) | (
        (day.dt.month() == birth.dt.month()) & (day.dt.day() >= birth.dt.day())
    )
    return day.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32) - (~had).cast(pl.Int32)


def _expansion_base(v: dict[str, Any], *, kind: pl.Expr, region: pl.Expr, signed: pl.Expr) -> pl.Expr:
    """Every condition but once-per-person, on a hire row carrying its person's and employer's facts."""
    day = col("hire_date")
    age = _age(col("birth_date"), day)
    registered = col("ever_registered_unemployed") & (col("unemployment_registered_on") <= day)
    ended = col("unemployment_registration_ended_on")
    registered = registered & (ended.is_null() | (ended >= day))
    grad, left = col("college_graduate"), col("graduation_date")
    in_year = grad & (left.dt.year() == day.dt.year())
    recent = grad & (left <= day) & (day <= left.dt.offset_by(f"{v['x_years_since_leaving']}y"))
    recent = recent & col("employed_since_graduation").not_()
    youth = (age >= v["x_age_min"]) & (age <= v["x_age_max"]) & registered
    months = pl.min_horizontal("months_paid_ui", "months_paid_injury", "months_paid_pension")
    return (
        (day >= pl.lit(v["x_from"]))
        & region
        & kind.is_in(v["x_kinds"])
        & (youth | in_year.fill_null(value=False) | recent.fill_null(value=False))
        & signed
        & (months >= v["x_min_months"])
        & (day >= pl.lit(v["x_start"]))
        & (day <= pl.lit(v["x_end"]))
    )


def _first_per_person(rows: pl.LazyFrame, person: str) -> pl.LazyFrame:
    """Once per person: of a person's qualifying hires, the earliest (input order breaks ties)."""
    return rows.sort("hire_date", "row").filter(col(person).is_first_distinct())


def _refund(v: dict[str, Any], *, kind: pl.Expr, region: pl.Expr, size: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The refund's conditions and amount on an employer row."""
    layoffs, insured = col("layoffs_last_year"), col("insured_staff")
    layoffs_ok = (
        (layoffs == 0)
        | (layoffs * PPM <= insured * v["r_max_rate_ppm"])
        | ((insured <= v["r_small_staff_max"]) & (layoffs * PPM <= insured * v["r_small_rate_ppm"]))
    )
    sme = kind.is_in(v["r_sme_kinds"]) | size.is_in(SME_SIZES)
    related = col("related_enterprise")
    ratio = (
        pl.when(related & sme)
        .then(v["r_ratio_related_sme_ppm"])
        .when(related)
        .then(v["r_ratio_related_large_ppm"])
        .when(sme)
        .then(v["r_ratio_sme_ppm"])
        .otherwise(v["r_ratio_large_ppm"])
    )
    ok = (
        pl.lit(v["as_of"] >= v["r_from"] and v["as_of"] <= v["r_end"])
        & region
        & kind.is_in(v["r_kinds"])
        & (col("ui_paid_months") >= v["r_min_ui_months"])
        & layoffs_ok
    )
    amount = (col("ui_contributions_fen") * ratio * 2 + PPM) // (2 * PPM)  # half-up, exact
    return ok, amount


def _in_region(region: pl.Expr, prefix: str) -> pl.Expr:
    return region.cast(pl.String).str.starts_with(prefix)


def polars_flat(f: Flat, v: dict[str, Any], rule: str) -> Answer:
    """Hand-written Polars on the minimal typed tables (integer keys, enum codes), joins included."""
    if rule == REFUND:
        ok, amount = _refund(
            v, kind=col("kind"), region=_in_region(col("region"), v["r_region_prefix"]), size=col("size")
        )
        out = f.employers.lazy().filter(ok).select(col("eid").alias("employer"), amount.alias("amount_fen"))
        return Answer(None, {REFUND: out.collect()})
    first = _first_per_person(flat_qualifying(f, v), "person")
    rows, by_employer = pl.collect_all(
        [
            first.select("row"),
            first.group_by("employer").agg((pl.len().cast(pl.Int64) * v["x_amount_fen"]).alias("amount_fen")),
        ]
    )
    return Answer(_mask(rows["row"], f.hires.height), {EXPANSION: by_employer})


def flat_qualifying(f: Flat, v: dict[str, Any]) -> pl.LazyFrame:
    """The hires that meet every condition of the expansion subsidy but once-per-person."""
    joined = (
        f.hires.lazy()
        .with_row_index("row")
        .join(f.persons.lazy(), left_on="person", right_on="pid", how="left")
        .join(f.employers.lazy().select("eid", "kind", "region"), left_on="employer", right_on="eid", how="left")
    )
    base = _expansion_base(
        v,
        kind=col("kind"),
        region=_in_region(col("region"), v["x_region_prefix"]),
        signed=col("contract_type") != "none",
    )
    return joined.filter(base).select("row", "person", "employer", "hire_date")


def _mask(rows: pl.Series, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[rows.to_numpy()] = True
    return out


# --- jiuye's own tables -----------------------------------------------------------------------


def _registry(f: Flat) -> dict[str, pl.LazyFrame]:
    """The records as registry tables (text ids, yuan amounts), every other field null."""

    def full(frame: pl.DataFrame, model: type[Any]) -> pl.LazyFrame:
        schema = registry_schema(model)
        have = frame.lazy().with_columns(col(c).cast(t) for c, t in schema.items() if c in frame.columns)
        return have.with_columns(pl.lit(None, dtype=t).alias(c) for c, t in schema.items() if c not in frame.columns)

    persons = f.persons.with_columns(pl.format("P{}", col("pid")).alias("id")).drop("pid")
    employers = f.employers.with_columns(
        pl.format("E{}", col("eid")).alias("id"),
        (col("ui_contributions_fen").cast(pl.Decimal(20, 0)) * pl.lit(Decimal("0.01"))).alias(
            "ui_contributions_last_year"
        ),
    ).drop("eid", "ui_contributions_fen")
    hires = f.hires.with_columns(pl.format("P{}", col("person")).alias("person"), pl.format("E{}", col("employer")))
    return {
        "persons": full(persons, m.Person),
        "employers": full(employers, m.Employer),
        "employments": full(hires, m.Employment),
    }


def jiuye_tables(f: Flat, params: ParameterSet, as_of: dt.date) -> dict[Unit, pl.DataFrame]:
    """jiuye's unit tables for the two rules, joined and in memory, with the columns its rules
    read (as ``jiuye match`` reads them)."""
    units = tables_from_registry(_registry(f))
    out = {}
    for rule in (EXPANSION, REFUND):
        measure = get_measure(rule)
        spec, table = UNITS[measure.unit], units[measure.unit]
        available = table.collect_schema().names()
        needed = {*spec.location, *([spec.key_date] if spec.key_date else [])}
        needed |= set(columns_used(measure, params, as_of, available, spec.key_date))
        out[measure.unit] = table.select([c for c in available if c in needed]).collect()
    return out


def jiuye_run(
    tables: dict[Unit, pl.DataFrame], params: ParameterSet, as_of: dt.date, rule: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """jiuye evaluate + decide (the timed part): its decisions."""
    measures = [get_measure(rule)]
    rows = evaluate_batch(tables, as_of=as_of, region=REGION, params=params, measures=measures)
    decisions = decide_batch(rows, measures)
    return rows, decisions


def jiuye_answer(rows: pl.DataFrame, decisions: pl.DataFrame, rule: str, hires: int) -> Answer:
    chosen = decisions.filter((col("status") == ELIGIBLE) & col("selected")).select(
        col("subject_id").str.slice(1).cast(pl.Int32).alias("employer"), "amount_fen"
    )
    mask = None
    if rule == EXPANSION:
        mask = _mask(rows.filter(col("status") == ELIGIBLE)["row_id"], hires)
    return Answer(mask, {rule: chosen})


def polars_on_tables(t: dict[Unit, pl.DataFrame], v: dict[str, Any], rule: str) -> Answer:
    """Hand-written Polars on jiuye's joined tables (text ids, text codes, its column names)."""
    if rule == REFUND:
        e = t[Unit.employer].lazy().rename(lambda c: c.removeprefix("employer_"))
        e = e.rename({"ui_contributions_last_year": "ui_contributions_fen"})
        ok, amount = _refund(
            v, kind=col("kind"), region=col("region").str.starts_with(v["r_region_prefix"]), size=col("size")
        )
        out = e.filter(ok).select(col("id").str.slice(1).cast(pl.Int32).alias("employer"), amount.alias("amount_fen"))
        return Answer(None, {REFUND: out.collect()})
    rows = (
        t[Unit.employment]
        .lazy()
        .with_row_index("row")
        .rename(lambda c: c.removeprefix("employment_").removeprefix("person_"), strict=False)
    )
    base = _expansion_base(
        v,
        kind=col("employer_kind"),
        region=col("employer_region").str.starts_with(v["x_region_prefix"]),
        signed=col("contract_signed"),
    )
    first = _first_per_person(rows.filter(base).select("row", "id", "employer_id", "hire_date"), "id")
    got, by_employer = pl.collect_all(
        [
            first.select("row"),
            first.group_by("employer_id").agg((pl.len().cast(pl.Int64) * v["x_amount_fen"]).alias("amount_fen")),
        ]
    )
    by_employer = by_employer.select(col("employer_id").str.slice(1).cast(pl.Int32).alias("employer"), "amount_fen")
    return Answer(_mask(got["row"], t[Unit.employment].height), {EXPANSION: by_employer})


def scan_floor(f: Flat) -> int:
    """Read every input column once (sum of its physical values): the memory-scan floor."""
    frames = [f.persons, f.employers, f.hires]
    exprs = [[col(c).to_physical().cast(pl.Int64).sum() for c in x.columns] for x in frames]
    done = pl.collect_all([x.lazy().select(e) for x, e in zip(frames, exprs, strict=True)])
    return sum(int(v or 0) for d in done for v in d.row(0))
