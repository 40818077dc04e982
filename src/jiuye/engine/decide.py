"""Rows → decisions for a whole batch, one block of rows per (measure, beneficiary kind).

The rows of a batch come measure by measure (``jiuye.batch.evaluate_batch``), so grouping them
by the text keys (measure, kind, beneficiary) at once hashes millions of strings for nothing.
Each block is decided alone: a measure whose unit is its own beneficiary (a person's measures
over the persons table, an employer's over the employers table) has one row per beneficiary,
and its rows *are* its decisions; the others are grouped by beneficiary within the block, with
aggregations that do not depend on the order rows reach a group. The catalog columns are
literals per block (no join), and the exclusive choice is made only among blocks that can
compete (same exclusion group and kind, more than one measure).

The result is :func:`jiuye.batch.aggregate_decisions` followed by
:func:`jiuye.engine.exclusions.select_exclusive`, as sets of rows; ties between near misses at
the same distance go to the beneficiary's first row in input order (``row_id``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from jiuye.engine.amounts import has_ceiling
from jiuye.engine.exclusions import select_exclusive
from jiuye.engine.keyed_decisions import grouped_by_key, keyed
from jiuye.engine.measure import Measure
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP, NO_DISTANCE
from jiuye.engine.once import unique_id_unit
from jiuye.engine.variants import with_variants
from jiuye.facts.tables import UNITS

__all__ = ["DECISION_SCHEMA", "decide_blocks", "decide_rows"]

ELIGIBLE, INELIGIBLE, NEEDS_FACTS = "eligible", "ineligible", "needs_facts"

DECISION_SCHEMA = {
    "measure": pl.String,
    "subject_kind": pl.String,
    "subject_id": pl.String,
    "status": pl.String,
    "amount_fen": pl.Int64,
    "ceiling_fen": pl.Int64,
    "region": pl.String,
    NEAR_MISS: pl.String,
    NEAR_MISS_GAP: pl.Int64,
    "exclusion_group": pl.String,
    "chosen": pl.String,
    "selected": pl.Boolean,
}
_DECIDED = [c for c in DECISION_SCHEMA if c not in ("chosen", "selected")]


@dataclass(frozen=True)
class _Catalog:
    """What a block's decisions take from its measure's declaration (None: not declared)."""

    order: int | None
    exclusion_group: str | None
    pays_money: bool | None
    has_ceiling: bool | None
    one_row_per_subject: bool


_UNKNOWN = _Catalog(None, None, None, None, one_row_per_subject=False)


def _catalog(measures: Iterable[Measure]) -> dict[tuple[str, str], _Catalog]:
    chosen = list(measures)
    order = {m.id: i for i, m in enumerate(chosen)}
    return {
        (m.id, m.beneficiary): _Catalog(
            order[m.id], m.exclusion_group, m.pays_money, has_ceiling(m), _one_row_per_subject(m)
        )
        for m in with_variants(chosen)
    }


def _one_row_per_subject(measure: Measure) -> bool:
    """A unit whose own id is unique (persons, employers, businesses) and is the beneficiary."""
    return unique_id_unit(measure.unit.value) and UNITS[measure.unit].prefix == measure.beneficiary


def decide_blocks(rows: pl.DataFrame, measures: Iterable[Measure]) -> pl.DataFrame:
    """One decision per (measure, kind, beneficiary), exclusive choices made (see the module)."""
    catalog = _catalog(measures)
    if rows.is_empty():
        return pl.DataFrame(schema=DECISION_SCHEMA)
    slices: dict[tuple[str, str], list[pl.DataFrame]] = {}
    runs = _runs(rows)
    # The keys of each run read at its first row, in one select: ``measure`` and ``subject_kind``
    # are literal columns, which taking them as Series would write out row by row.
    starts = pl.Series([start for start, _ in runs], dtype=pl.UInt32)
    keys = rows.select(pl.col("measure").gather(starts), pl.col("subject_kind").gather(starts)).rows()
    for (start, length), key in zip(runs, keys, strict=True):
        slices.setdefault(key, []).append(rows.slice(start, length))
    decided: list[tuple[tuple[str, str], _Catalog, pl.LazyFrame]] = []
    blocks = {key: parts[0] if len(parts) == 1 else pl.concat(parts) for key, parts in slices.items()}
    grouped = [(k[1], b.height) for k, b in blocks.items() if not catalog.get(k, _UNKNOWN).one_row_per_subject]
    shapes = Counter(grouped)
    codes = _Codes()
    for key, block in blocks.items():
        info = catalog.get(key, _UNKNOWN)
        shared = shapes[(key[1], block.height)] > 1  # other blocks may be over the same rows
        frame = _per_row(block) if info.one_row_per_subject else _grouped(block, codes if shared else None).lazy()
        decided.append((key, info, _with_catalog(frame, key, info)))
    sides = Counter((i.exclusion_group, k[1]) for k, i, _ in decided if i.exclusion_group is not None)
    alone, compete = [], []
    for (_, kind), info, frame in decided:
        if info.exclusion_group is not None and sides[(info.exclusion_group, kind)] > 1:
            compete.append(frame)
        else:
            alone.append(
                frame.with_columns(pl.lit(None, dtype=pl.String).alias("chosen"), pl.lit(value=True).alias("selected"))
            )
    if compete:
        alone.append(_choose(compete))
    return pl.concat([f.select(list(DECISION_SCHEMA)) for f in alone]).collect()


def decide_rows(block: pl.DataFrame) -> pl.DataFrame:
    """One measure's rows, several per beneficiary (with ``row_id``), as one decision each: the
    block step of :func:`decide_blocks` for a caller that decides measure by measure (the
    registry matcher); a near miss is kept only on an ineligible decision. The catalog's
    columns are the caller's to add."""
    ineligible = pl.col("status") == INELIGIBLE
    return _grouped(block, None).with_columns(
        pl.when(ineligible).then(pl.col(c)).alias(c) for c in (NEAR_MISS, NEAR_MISS_GAP)
    )


def _per_row(block: pl.DataFrame) -> pl.LazyFrame:
    """A block with one row per beneficiary: each row is its decision."""
    eligible = pl.col("status") == ELIGIBLE
    return block.lazy().select(
        "subject_id",
        "status",
        pl.when(eligible).then(pl.col("amount_fen")).alias("amount_fen"),
        pl.when(eligible).then(pl.col("ceiling_fen").fill_null(0)).alias("ceiling_fen"),  # a sum of one
        "region",
        NEAR_MISS,
        NEAR_MISS_GAP,
    )


def _runs(rows: pl.DataFrame) -> list[tuple[int, int]]:
    """(start, length) of each stretch of rows with one measure and one kind (one rle per column:
    an rle of the pair as a struct costs several times more)."""
    ends: set[int] = set()
    for column in ("measure", "subject_kind"):
        ends |= set(rows.select(pl.col(column).rle().struct.field("len").cum_sum()).to_series().to_list())
    bounds = sorted(ends)
    return [(start, end - start) for start, end in zip([0, *bounds[:-1]], bounds, strict=True)]


class _Codes:
    """Beneficiaries as integer codes, shared by the blocks of one table: the measures over one
    unit table (six over the hires) have the same rows in the same order, so the text ids are
    hashed once and each block groups by a small integer."""

    def __init__(self) -> None:
        self._known: list[tuple[pl.Series, pl.Series, pl.Series, pl.Series]] = []

    def of(self, block: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
        """Each row's code (UInt32, in order of first appearance) and the id of each code."""
        row_id, subject = block["row_id"], block["subject_id"]
        for known_row_id, known_subject, codes, ids in self._known:
            if known_row_id.len() == row_id.len() and known_row_id.equals(row_id) and known_subject.equals(subject):
                return codes, ids
        groups = (
            block.select("subject_id")
            .with_row_index("_i")
            .group_by("subject_id", maintain_order=True)
            .agg("_i")
            .with_row_index("_code")
        )
        codes = groups.select("_code", "_i").explode("_i").sort("_i").get_column("_code")
        ids = groups.get_column("subject_id")
        self._known.append((row_id, subject, codes, ids))
        return codes, ids


def _grouped(block: pl.DataFrame, codes: _Codes | None) -> pl.DataFrame:
    """Several rows per beneficiary: status by precedence, sums over eligible rows, the region of
    the first row (least ``row_id``) and the closest near miss, all independent of row order.
    Grouped by integer codes where other blocks share the rows (``codes``), else by the text id:
    for a block alone, hashing its ids to codes would cost more than it saves."""
    if keyed(block):
        return grouped_by_key(block)
    if codes is None:
        return _grouped_by(block, "subject_id", None)
    code, ids = codes.of(block)  # numbered in order of first appearance
    return _grouped_by(block.with_columns(code.alias("_code")), "_code", ids)


def _grouped_by(block: pl.DataFrame, key: str, ids: pl.Series | None) -> pl.DataFrame:
    eligible = pl.col("status") == ELIGIBLE
    rank = (eligible.cast(pl.UInt8) * 2) + (pl.col("status") == NEEDS_FACTS).cast(pl.UInt8)
    lf = block.lazy().select(
        key,
        "row_id",
        "region",
        rank.alias("_rank"),
        pl.when(eligible).then(pl.col("amount_fen")).alias("_due"),
        (eligible & pl.col("amount_fen").is_null()).alias("_unsettled"),
        pl.when(eligible).then(pl.col("ceiling_fen")).alias("_ceiling"),
    )
    sums = [
        pl.col("_rank").max(),
        pl.when(pl.col("_unsettled").any()).then(None).otherwise(pl.col("_due").sum()).alias("amount_fen"),
        pl.col("_ceiling").sum().alias("ceiling_fen"),
    ]
    if ids is not None and block["row_id"].is_sorted():
        # in input order, a code's first row is its least row_id, and first rows come in code order
        first = block.select(pl.col("region").filter(pl.col(key).is_first_distinct())).to_series()
        decided = lf.group_by(key).agg(*sums).sort(key).with_columns(first)
    else:
        region = pl.col("region").get(pl.col("row_id").arg_min())
        decided = lf.group_by(key, maintain_order=True).agg(*sums, region)
    misses = (
        block.lazy()
        .filter(pl.col(NEAR_MISS).is_not_null())
        .select(key, NEAR_MISS, NEAR_MISS_GAP, pl.col(NEAR_MISS_GAP).abs().fill_null(NO_DISTANCE).alias("_d"), "row_id")
        .sort("_d", "row_id")
        .unique(key, keep="first")
        .drop("_d", "row_id")
    )
    status = pl.col("_rank").replace_strict({2: ELIGIBLE, 1: NEEDS_FACTS, 0: INELIGIBLE}, return_dtype=pl.String)
    subject = pl.col(key) if ids is None else pl.lit(ids).gather(pl.col(key))
    return (
        decided.join(misses, on=key, how="left", maintain_order="left")
        .select(
            subject.alias("subject_id"),
            status.alias("status"),
            "amount_fen",
            "ceiling_fen",
            "region",
            NEAR_MISS,
            NEAR_MISS_GAP,
        )
        .collect()
    )


def _with_catalog(frame: pl.LazyFrame, key: tuple[str, str], info: _Catalog) -> pl.LazyFrame:
    """The measure's columns, and money only where the measure pays it and the decision is
    eligible; a near miss only on an ineligible decision."""
    eligible = pl.col("status") == ELIGIBLE
    ineligible = pl.col("status") == INELIGIBLE
    none = pl.lit(None, dtype=pl.Int64)
    return frame.select(
        pl.lit(key[0], dtype=pl.String).alias("measure"),
        pl.lit(key[1], dtype=pl.String).alias("subject_kind"),
        "subject_id",
        "status",
        (pl.when(eligible).then(pl.col("amount_fen")) if info.pays_money else none).alias("amount_fen"),
        (pl.when(eligible).then(pl.col("ceiling_fen")) if info.has_ceiling else none).alias("ceiling_fen"),
        "region",
        *(pl.when(ineligible).then(pl.col(c)).alias(c) for c in (NEAR_MISS, NEAR_MISS_GAP)),
        pl.lit(info.exclusion_group, dtype=pl.String).alias("exclusion_group"),
        pl.lit(info.order, dtype=pl.Int64).alias("order"),
    )


def _choose(frames: list[pl.LazyFrame]) -> pl.LazyFrame:
    """The exclusive choice among the blocks that compete."""
    return select_exclusive(pl.concat(frames)).drop("order")
