"""The plain-Python twins a single case's explanation uses agree with the frame versions the batch
uses: a gap's number, a near miss's words, the choice among exclusive measures."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jiuye.engine.exclusions import Competitor, choose_exclusive, select_exclusive
from jiuye.engine.gap import GapUnit, format_gap, gap_number
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP, near_miss_candidates
from jiuye.engine.near_miss_text import describe_near_misses, near_miss_catalog, near_miss_text
from jiuye.params import load_parameters
from jiuye.policies.registry import all_measures

AMOUNTS = st.one_of(st.integers(-5_000_000, 5_000_000), st.integers(-(2**62), 2**62))


@settings(max_examples=300, deadline=None)
@given(st.lists(AMOUNTS, min_size=1, max_size=20), st.sampled_from(list(GapUnit)))
def test_a_gaps_number_is_written_as_the_batch_writes_it(amounts: list[int], unit: GapUnit) -> None:
    column = pl.DataFrame({"gap": amounts}, schema={"gap": pl.Int64})
    batch = column.select(gap_number(pl.col("gap"), unit)).to_series().to_list()
    assert [format_gap(a, unit) for a in amounts] == batch


def test_near_miss_words_are_the_catalogues_for_every_condition_and_gap() -> None:
    p = load_parameters().at(dt.date(2025, 12, 31))
    measures = all_measures()
    gaps = [None, 0, 1, -1, 2, -3, 99, 100, 101, -5001, 150_050, 1_000_000, -12]
    rows = [
        (m.id, c.key, gap)
        for m in measures
        for c in [*near_miss_candidates(m.conditions), *m.conditions[:1]]  # and one that is none
        for gap in gaps
    ]
    assert len({r[0] for r in rows}) > 10
    frame = pl.DataFrame(
        rows, schema={"measure": pl.String, NEAR_MISS: pl.String, NEAR_MISS_GAP: pl.Int64}, orient="row"
    )
    batch = describe_near_misses(frame, near_miss_catalog(measures, p))["near_miss_text"].to_list()
    by_id = {m.id: m for m in measures}
    assert [near_miss_text(by_id[m], key, gap) for m, key, gap in rows] == batch


COMPETITORS = st.builds(
    Competitor,
    measure=st.sampled_from(["a", "b", "c", "d"]),
    order=st.just(0),
    subject_kind=st.sampled_from(["个人", "单位"]),
    subject_id=st.sampled_from(["P1", "P2"]),
    exclusion_group=st.sampled_from([None, "g1", "g2"]),
    status=st.sampled_from(["eligible", "ineligible", "needs_facts"]),
    amount_fen=st.one_of(st.none(), st.integers(0, 3), st.integers(0, 10**9)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(COMPETITORS, max_size=12))
def test_the_exclusive_choice_is_the_batchs(drawn: list[Competitor]) -> None:
    # one decision per measure and subject, as the engine gives them; order is the catalog's
    unique = list({(d.measure, d.subject_kind, d.subject_id): d for d in drawn}.values())
    decisions = [d._replace(order="abcd".index(d.measure)) for d in unique]
    frame = pl.DataFrame(
        [d._asdict() for d in decisions],
        schema={
            "measure": pl.String,
            "order": pl.Int64,
            "subject_kind": pl.String,
            "subject_id": pl.String,
            "exclusion_group": pl.String,
            "status": pl.String,
            "amount_fen": pl.Int64,
        },
    )
    batch = select_exclusive(frame.lazy()).collect()
    assert choose_exclusive(decisions) == list(zip(batch["selected"], batch["chosen"], strict=True))
