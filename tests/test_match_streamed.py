"""The streamed outputs of ``jiuye match`` (decisions spooled block by block as they are decided,
then written in order) equal what the in-memory writer made of the whole decisions at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from jiuye.engine.near_miss_text import describe_near_misses, near_miss_catalog
from jiuye.facts import facts_from_data
from jiuye.matching import MatchResult, match_registry, run, spool
from jiuye.matching.decision_table import DECISION_COLUMNS
from jiuye.matching.near_misses import near_miss_list
from jiuye.matching.output import near_miss_sheet, write_match
from jiuye.matching.sheets import DECISION_HEADERS, for_people, yuan
from jiuye.params import ParameterSet
from test_matching import _facts, _registry

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def registry() -> dict[str, pl.LazyFrame]:
    # named beneficiaries, ids out of order (the names are then searched in a sorted copy), and
    # persons and employers of a measure decided for both (gx.startup.loan) interleaved (their
    # blocks merged)
    tables = _registry(facts_from_data(_facts(60)))
    named = pl.format("名{}", pl.col("id")).alias("name")
    return {
        name: frame.with_columns(named).reverse() if name in ("persons", "employers", "businesses") else frame
        for name, frame in tables.items()
    }


@pytest.fixture(scope="module", params=[0, 400, None], ids=["on disk", "some on disk", "in memory"])
def result(
    registry: dict[str, pl.LazyFrame], params: ParameterSet, request: pytest.FixtureRequest
) -> Iterator[MatchResult]:
    """A match whose parts are all written to disk, the first few hundred rows kept in memory, or
    all kept in memory (the default room)."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param is not None:
            patch.setattr(spool, "SPOOL_MEMORY_ROWS", request.param)
        if request.param == 400:  # more decisions than foreseen: the parts after the first go to disk
            patch.setattr(run, "DECISIONS_PER_PERSON", 0)
        match = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    held = [p.held for near in (False, True) for p in match.spool.parts(near=near)]
    on_disk = sum(isinstance(h, Path) for h in held)
    expected = {0: range(len(held), len(held) + 1), 400: range(1, len(held)), None: range(1)}[request.param]
    assert on_disk in expected
    yield match


def _in_memory(result: MatchResult, registry: dict[str, pl.LazyFrame], params: ParameterSet) -> pl.DataFrame:
    """decisions.parquet as the writer made it before the spool: the decisions and the near misses
    whole, sorted by measure and beneficiary, the names joined, the near misses described."""
    names = pl.concat(
        registry[source]
        .select(pl.col("id").alias("subject_id"), pl.col("name").alias("subject_name"), pl.lit(kind).alias("_kind"))
        .collect()
        for source, kind in (("persons", "person"), ("employers", "employer"), ("businesses", "business"))
    )
    titles = pl.DataFrame(
        {
            "measure": [m.id for m in result.measures],
            "title": [m.title for m in result.measures],
            "rule_hash": [result.rules[m.id].rule_hash for m in result.measures],
        }
    )
    catalog = near_miss_catalog(result.measures, params.at(AS_OF))
    frames = [f.sort("order", "subject_id") for f in (result.decisions, result.near_misses)]
    assert frames[0].height and frames[1].height
    return (
        pl.concat([describe_near_misses(f, catalog) for f in frames])
        .with_columns(pl.col("subject_kind").replace({"agency": "employer"}).alias("_kind"))
        .join(names, on=["_kind", "subject_id"], how="left", maintain_order="left")
        .join(titles, on="measure", how="left", maintain_order="left")
        .with_columns(yuan(), yuan("ceiling_fen", "ceiling"))
        .select(DECISION_COLUMNS)
    )


def test_streamed_outputs_equal_the_in_memory_ones(
    result: MatchResult, registry: dict[str, pl.LazyFrame], params: ParameterSet, tmp_path: Path
) -> None:
    kinds = result.decisions.filter(pl.col("measure") == "gx.startup.loan").get_column("subject_kind").unique()
    assert sorted(kinds.to_list()) == ["employer", "person"]  # a measure decided in two blocks
    summary = write_match(result, registry, tmp_path / "out")
    out = tmp_path / "out"
    written = pl.read_parquet(out / "decisions.parquet")
    expected = _in_memory(result, registry, params)
    assert written.equals(expected)
    assert written.get_column("subject_name").drop_nulls().str.starts_with("名").all()
    assert written.get_column("subject_name").null_count() < written.height / 10
    payable = expected.filter((pl.col("status") == "eligible") & pl.col("selected"))
    for_people(payable, DECISION_HEADERS).write_csv(tmp_path / "eligible.csv", include_bom=True)
    assert (out / "eligible.csv").read_bytes() == (tmp_path / "eligible.csv").read_bytes()
    near = near_miss_list(expected)
    near_miss_sheet(near).write_csv(tmp_path / "near_misses.csv", include_bom=True)
    assert (out / "near_misses.csv").read_bytes() == (tmp_path / "near_misses.csv").read_bytes()
    assert summary["near_misses"] == near.height > 0
    assert summary["eligible_decisions"] == payable.height


def test_the_spool_goes_with_the_result(
    registry: dict[str, pl.LazyFrame], params: ParameterSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spool, "SPOOL_MEMORY_ROWS", 0)
    result = match_registry(registry, as_of=AS_OF, region="450000", params=params)
    folder = result.spool.folder
    assert any(folder.iterdir())
    del result
    assert not folder.exists()
