"""Block-wise decisions (jiuye.engine.decide) are the text-key aggregation and exclusive choice."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from jiuye.batch import aggregate_decisions, decide_batch, evaluate_batch, measure_info
from jiuye.calculator import prior_grants_frame
from jiuye.engine.decide import DECISION_SCHEMA
from jiuye.engine.exclusions import select_exclusive
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP
from jiuye.facts import facts_from_data
from jiuye.facts.tables import build_tables
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures
from random_facts import random_facts

KEY = ["measure", "subject_kind", "subject_id"]


def _rows(as_of: dt.date, params: ParameterSet) -> pl.DataFrame:
    merged: dict[str, list[dict[str, object]]] = {}
    for seed in range(40):
        for key, rows in random_facts(seed, tag=f"K{seed}-").items():
            merged.setdefault(key, []).extend(rows)
    facts = facts_from_data(merged)
    return evaluate_batch(
        build_tables(facts), as_of=as_of, region="450103", params=params, prior=prior_grants_frame(facts)
    )


def _by_text_keys(rows: pl.DataFrame) -> pl.DataFrame:
    decided = aggregate_decisions(rows.lazy(), measure_info(all_measures()))
    return select_exclusive(decided).drop("order", "pays_money", "fund", "has_ceiling").collect()


@pytest.mark.parametrize("as_of", [dt.date(2025, 12, 31), dt.date(2025, 7, 1)])
def test_blocks_decide_as_the_text_key_aggregation(as_of: dt.date, params: ParameterSet) -> None:
    rows = _rows(as_of, params)
    ours, theirs = decide_batch(rows), _by_text_keys(rows)
    assert dict(ours.schema) == DECISION_SCHEMA
    assert ours.height == theirs.height and not ours.select(KEY).is_duplicated().any()
    both = ours.join(theirs, on=KEY, how="full", suffix="_t", coalesce=True)
    assert both.height == ours.height
    same = [c for c in DECISION_SCHEMA if c not in (*KEY, NEAR_MISS, NEAR_MISS_GAP)]
    for column in same:
        differ = both.filter(~pl.col(column).eq_missing(pl.col(f"{column}_t")))
        assert differ.is_empty(), (column, differ.head())
    # near misses: the same distance (ties between rows may be named by either row of the tie)
    distance = pl.col(NEAR_MISS_GAP).abs().fill_null(-1)
    differ = both.filter(
        (pl.col(NEAR_MISS).is_null() != pl.col(f"{NEAR_MISS}_t").is_null())
        | (distance != pl.col(f"{NEAR_MISS_GAP}_t").abs().fill_null(-1))
    )
    assert differ.is_empty(), differ.head()
    assert rows.filter(pl.col("status") == "eligible").height > 0


def test_grouping_by_integer_key_decides_as_grouping_by_text_id(params: ParameterSet) -> None:
    """Rows grouped by ``subject_key`` (person_key / employer_key) give the very decisions, in the
    same order, that grouping by the text id gives: near-miss ties included."""
    rows = _rows(dt.date(2025, 12, 31), params)
    assert rows["subject_key"].is_not_null().any()

    def decided(frame: pl.DataFrame) -> pl.DataFrame:  # (exclusive choices come in no set order)
        return decide_batch(frame).sort(KEY, nulls_last=True)

    keyed = decided(rows)
    assert keyed.equals(decided(rows.drop("subject_key")))
    # a key missing where the id is known: that block falls back to the text id
    first = pl.col("row_id") == 0
    holed = rows.with_columns(pl.when(first).then(None).otherwise(pl.col("subject_key")).alias("subject_key"))
    assert decided(holed).equals(keyed)


def test_near_miss_ties_go_to_the_first_row() -> None:
    rows = pl.DataFrame(
        {
            "measure": ["gx.expansion"] * 3,
            "subject_kind": ["employer"] * 3,
            "row_id": [2, 0, 1],
            "subject_id": ["E1"] * 3,
            "region": ["450103", "450102", "450101"],
            "event_date": [dt.date(2025, 3, 1)] * 3,
            "status": ["ineligible"] * 3,
            "amount_fen": [None, None, None],
            "ceiling_fen": [None, None, None],
            NEAR_MISS: ["contributions", "labour_contract", "target_group"],
            NEAR_MISS_GAP: [None, None, None],
        },
        schema_overrides={
            "row_id": pl.UInt32,
            "amount_fen": pl.Int64,
            "ceiling_fen": pl.Int64,
            NEAR_MISS_GAP: pl.Int64,
        },
    )
    decided = decide_batch(rows).row(0, named=True)
    assert (decided[NEAR_MISS], decided["region"], decided["status"]) == ("labour_contract", "450102", "ineligible")
