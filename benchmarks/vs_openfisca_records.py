"""The records and rule values `vs_openfisca.py` feeds to every engine, and the hand-written Polars anchors.

Records (seeded): persons, employers and hires (one row per hire; a person may be hired more than
once, so once-per-person matters). Every fact the two rules read is known (OpenFisca has no
"unknown"), declared statuses are absent (registration is read from its dates) and every employer
states its size (so the 300号 derivation, done once per employer when jiuye builds its tables,
decides nothing). Rule values come from jiuye's parameters, resolved at the evaluation date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from jiuye.engine.applicability import jurisdiction_code
from jiuye.engine.epochs import epochs_of
from jiuye.money import ratio_to_ppm, to_fen
from jiuye.params import ParameterSet
from jiuye.policies.registry import get_measure
from jiuye.regions import prefix_of

EXPANSION, REFUND = "gx.expansion", "gx.ui.refund"
KINDS = ["enterprise", "social_organisation", "individual_business", "public_institution", "government"]
SIZES = ["large", "medium", "small", "micro"]
CONTRACTS = ["fixed_term", "open_ended", "task_based", "none"]
SME_SIZES = ["medium", "small", "micro"]  # 中小微企业, as jiuye.engine.variables.IS_SME reads the size
REGION = "450000"  # the run's region (广西); every employer states its own
EPOCH = dt.date(1970, 1, 1)


@dataclass
class Flat:
    """Minimal typed tables with integer keys: what OpenFisca and the flat Polars anchor read."""

    persons: pl.DataFrame
    employers: pl.DataFrame
    hires: pl.DataFrame


def _days(rng: np.random.Generator, start: dt.date, end: dt.date, n: int) -> np.ndarray:
    lo, hi = (start - EPOCH).days, (end - EPOCH).days
    return rng.integers(lo, hi + 1, n).astype("datetime64[D]")


def synth(persons: int, seed: int = 13) -> Flat:
    """``persons`` persons, ``persons // 25`` employers (~15 hires each), ``0.6 × persons`` hires."""
    rng = np.random.default_rng(seed)
    n, e, h = persons, max(persons // 25, 1), int(persons * 0.6)
    grad = rng.random(n) < 0.35
    ever = rng.random(n) < 0.45
    reg_on = _days(rng, dt.date(2023, 1, 1), dt.date(2025, 11, 30), n)
    ended = ever & (rng.random(n) < 0.5)
    people = pl.DataFrame(
        {
            "pid": np.arange(n, dtype=np.int32),
            "birth_date": _days(rng, dt.date(1996, 1, 1), dt.date(2010, 12, 31), n),
            "college_graduate": grad,
            "graduation_date": _days(rng, dt.date(2021, 1, 1), dt.date(2025, 12, 31), n),
            "employed_since_graduation": rng.random(n) < 0.4,
            "ever_registered_unemployed": ever,
            "unemployment_registered_on": reg_on,
            "unemployment_registration_ended_on": reg_on + rng.integers(0, 400, n).astype("timedelta64[D]"),
        }
    ).with_columns(
        pl.when(pl.col("college_graduate")).then(pl.col("graduation_date")),
        pl.when(pl.col("college_graduate")).then(pl.col("employed_since_graduation")),
        pl.when(pl.col("ever_registered_unemployed")).then(pl.col("unemployment_registered_on")),
        pl.when(pl.Series(ended)).then(pl.col("unemployment_registration_ended_on")),
    )
    insured = rng.integers(1, 400, e)
    laid_off = np.where(rng.random(e) < 0.6, 0, (rng.random(e) * insured * 0.3).astype(np.int64))
    employers = pl.DataFrame(
        {
            "eid": np.arange(e, dtype=np.int32),
            "kind": rng.choice(KINDS, e, p=[0.8, 0.08, 0.06, 0.03, 0.03]),
            "region": rng.choice(["450103", "450203", "450305", "440106", "451002"], e, p=[0.4, 0.2, 0.2, 0.1, 0.1]),
            "size": rng.choice(SIZES, e, p=[0.05, 0.15, 0.4, 0.4]),
            "related_enterprise": rng.random(e) < 0.3,
            "ui_paid_months": rng.integers(0, 40, e),
            "insured_staff": insured,
            "layoffs_last_year": laid_off,
            "ui_contributions_fen": insured * 12 * rng.integers(5_000, 30_001, e),  # 50–300 yuan a month each
        }
    )
    hires = pl.DataFrame(
        {
            "person": rng.integers(0, n, h).astype(np.int32),
            "employer": rng.integers(0, e, h).astype(np.int32),
            "hire_date": _days(rng, dt.date(2024, 9, 1), dt.date(2025, 12, 31), h),
            "contract_type": rng.choice(CONTRACTS, h, p=[0.7, 0.1, 0.05, 0.15]),
            "months_paid_ui": rng.integers(0, 9, h),
            "months_paid_injury": rng.integers(1, 9, h),
            "months_paid_pension": rng.integers(1, 9, h),
        }
    )
    employers = employers.with_columns(
        pl.col("kind").cast(pl.Enum(KINDS)), pl.col("size").cast(pl.Enum(SIZES)), pl.col("region").cast(pl.Int32)
    )
    return Flat(people, employers, hires.with_columns(pl.col("contract_type").cast(pl.Enum(CONTRACTS))))


def rule_values(params: ParameterSet, as_of: dt.date) -> dict[str, Any]:
    """Both rules' values as in force on ``as_of`` (money in fen, ratios in ppm, dates as dates).

    Fails loudly unless each rule has the shape the anchors implement: no rule before its earliest
    basis, one rule from then on (a second dated rule would need a second branch in every anchor).
    """
    out: dict[str, Any] = {}
    for mid in (EXPANSION, REFUND):
        epochs = epochs_of(get_measure(mid), params, as_of)
        if [e.in_force for e in epochs] != [False, True]:
            msg = f"{mid}: {len(epochs)} epochs; the anchors implement one rule from its earliest basis"
            raise SystemExit(msg)
        out[mid] = {"in_force_from": epochs[1].earliest, "p": epochs[1].params}
    x, r = out[EXPANSION]["p"], out[REFUND]["p"]
    return {
        "as_of": as_of,
        "x_from": out[EXPANSION]["in_force_from"],
        "x_region_prefix": prefix_of(jurisdiction_code(params, get_measure(EXPANSION), as_of)),
        "x_kinds": list(x["gx.expansion.employer_kinds"]),
        "x_age_min": int(x["gx.expansion.youth_age_min"]),
        "x_age_max": int(x["gx.expansion.youth_age_max"]),
        "x_years_since_leaving": int(x["common.graduates.years_since_leaving"]),
        "x_min_months": int(x["gx.expansion.min_contribution_months"]),
        "x_start": x.date("gx.expansion.period_start"),
        "x_end": x.date("gx.expansion.period_end"),
        "x_amount_fen": to_fen(x["gx.expansion.amount_per_person"]),
        "r_from": out[REFUND]["in_force_from"],
        "r_region_prefix": prefix_of(jurisdiction_code(params, get_measure(REFUND), as_of)),
        "r_kinds": list(r["gx.ui.refund.employer_kinds"]),
        "r_sme_kinds": list(r["gx.ui.refund.sme_kinds"] or []),
        "r_min_ui_months": int(r["gx.ui.refund.min_ui_paid_months"]),
        "r_max_rate_ppm": ratio_to_ppm(r["gx.ui.refund.max_layoff_rate"]),
        "r_small_staff_max": int(r["gx.ui.refund.small_insured_staff_max"]),
        "r_small_rate_ppm": ratio_to_ppm(r["gx.ui.refund.small_max_layoff_rate"]),
        "r_ratio_large_ppm": ratio_to_ppm(r["gx.ui.refund.ratio_large"]),
        "r_ratio_sme_ppm": ratio_to_ppm(r["gx.ui.refund.ratio_sme"]),
        "r_ratio_related_large_ppm": ratio_to_ppm(r["gx.ui.refund.ratio_related_large"]),
        "r_ratio_related_sme_ppm": ratio_to_ppm(r["gx.ui.refund.ratio_related_sme"]),
        "r_end": r.date("gx.ui.refund.period_end"),
    }
