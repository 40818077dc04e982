"""The hand-written Polars anchors of benchmarks/vs_openfisca.py agree with jiuye, hire by hire and
employer by employer to the fen, on a few thousand of its synthetic records (no OpenFisca here:
the benchmark checks that side itself). Not a timing: if jiuye's rules or engine change what they
decide, the anchors (written from the rule texts) no longer compare like with like."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from vs_openfisca_anchors import flat_qualifying, jiuye_answer, jiuye_run, jiuye_tables, polars_flat, polars_on_tables
from vs_openfisca_records import EXPANSION, REFUND, Flat, rule_values, synth

from jiuye.engine.measure import Unit
from jiuye.params import ParameterSet, load_parameters

AS_OF = dt.date(2025, 12, 31)
World = tuple[ParameterSet, Flat, dict[Unit, pl.DataFrame], dict[str, Any]]


@pytest.fixture(scope="module")
def world() -> World:
    params = load_parameters()
    records = synth(5_000, seed=3)
    return params, records, jiuye_tables(records, params, AS_OF), rule_values(params, AS_OF)


@pytest.mark.parametrize("rule", [EXPANSION, REFUND])
def test_anchors_decide_as_jiuye(world: World, rule: str) -> None:
    params, records, tables, values = world
    rows, decisions = jiuye_run(tables, params, AS_OF, rule)
    assert set(decisions["status"]) <= {"eligible", "ineligible"}  # the records leave nothing unknown
    mine = jiuye_answer(rows, decisions, rule, records.hires.height)
    assert mine.employers[rule].height > 20  # the rule is exercised, not vacuously equal
    for other in (polars_flat(records, values, rule), polars_on_tables(tables, values, rule)):
        if rule == EXPANSION:
            assert other.hires is not None and mine.hires is not None
            assert np.array_equal(other.hires, mine.hires)
        assert other.employers[rule].sort("employer").equals(mine.employers[rule].sort("employer"))


def test_once_per_person_is_exercised(world: World) -> None:
    """Some persons qualify through more than one hire, and each of them earns it through one hire only."""
    _, records, _, values = world
    qualifying = flat_qualifying(records, values).collect()
    assert (qualifying.group_by("person").len()["len"] > 1).sum() > 0
    earns = np.flatnonzero(polars_flat(records, values, EXPANSION).hires)
    assert len(earns) == qualifying["person"].n_unique()
