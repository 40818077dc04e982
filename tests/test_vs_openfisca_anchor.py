"""The hand-written Polars anchors of benchmarks/vs_openfisca.py agree with jiuye, hire by hire and
employer by employer to the fen, on a few thousand of its synthetic records (no OpenFisca here:
the benchmark checks that side itself). Not a timing: if jiuye's rules or engine change what they
decide, the anchors (written from the rule texts) no longer compare like with like."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from vs_openfisca_anchors import flat_qualifying, jiuye_answer, jiuye_run, jiuye_tables, polars_flat, polars_on_tables
from vs_openfisca_records import EXPANSION, REFUND, rule_values, synth

from jiuye.params import load_parameters

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def world() -> tuple[object, object, object, dict[str, object]]:
    params = load_parameters()
    records = synth(5_000, seed=3)
    return params, records, jiuye_tables(records, params, AS_OF), rule_values(params, AS_OF)


@pytest.mark.parametrize("rule", [EXPANSION, REFUND])
def test_anchors_decide_as_jiuye(world: tuple[object, ...], rule: str) -> None:
    params, records, tables, values = world
    rows, decisions = jiuye_run(tables, params, AS_OF, rule)  # type: ignore[arg-type]
    assert set(decisions["status"]) <= {"eligible", "ineligible"}  # the records leave nothing unknown
    mine = jiuye_answer(rows, decisions, rule, records.hires.height)  # type: ignore[attr-defined]
    assert mine.employers[rule].height > 20  # the rule is exercised, not vacuously equal
    for other in (polars_flat(records, values, rule), polars_on_tables(tables, values, rule)):  # type: ignore[arg-type]
        if rule == EXPANSION:
            assert other.hires is not None and mine.hires is not None
            assert np.array_equal(other.hires, mine.hires)
        assert other.employers[rule].sort("employer").equals(mine.employers[rule].sort("employer"))


def test_once_per_person_is_exercised(world: tuple[object, ...]) -> None:
    """Some persons qualify through more than one hire: one hire each earns it, the earliest."""
    _, records, _, values = world
    qualifying = flat_qualifying(records, values).collect()  # type: ignore[arg-type]
    assert (qualifying.group_by("person").len()["len"] > 1).sum() > 0
    earns = np.flatnonzero(polars_flat(records, values, EXPANSION).hires)  # type: ignore[arg-type]
    assert len(earns) == qualifying["person"].n_unique()
