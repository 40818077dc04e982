"""A match's decisions put aside as they are decided: one part per measure block, on disk once
there are more than a few million.

At ten million persons a match decides about twenty million rows (decisions, then near
misses); held in memory and sorted, joined to the beneficiaries' names and concatenated at the
end, they took the run to 14 GB. Each block is instead finished when it is decided (sorted by
beneficiary, the beneficiary's name and the near-miss words added) and put aside as a part of
its own (in memory up to :data:`SPOOL_MEMORY_ROWS` rows, then written to disk); the outputs read
the parts in the match's order (measures as in the catalog, then by beneficiary), so nothing
holds all the decisions at once. The folder lives as long as the :class:`DecisionSpool` (a
long-running service matches many registries).
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP
from jiuye.engine.near_miss_text import describe_near_misses

__all__ = ["ENGINE_COLUMNS", "SPOOL_MEMORY_ROWS", "DecisionSpool", "Names", "Part"]

#: The decisions as the matcher makes them (``MatchResult.decisions``).
ENGINE_COLUMNS = {
    "measure": pl.String,
    "subject_kind": pl.String,
    "subject_id": pl.String,
    "status": pl.String,
    "amount_fen": pl.Int64,
    "ceiling_fen": pl.Int64,
    "region": pl.String,
    NEAR_MISS: pl.String,
    NEAR_MISS_GAP: pl.Int64,
    "order": pl.Int64,
    "exclusion_group": pl.String,
    "pays_money": pl.Boolean,
    "fund": pl.String,
    "has_ceiling": pl.Boolean,
    "selected": pl.Boolean,
    "chosen": pl.String,
}
#: What a part adds for the outputs: who the beneficiary is, and the near miss in words.
_WORDS = {"subject_name": pl.String, "near_miss_condition": pl.String, "near_miss_text": pl.String}
#: What the outputs add per measure (``DecisionSpool.scan``'s ``extra``).
_EXTRA = ("title", "rule_hash")
_SOURCES = {"person": "persons", "employer": "employers", "agency": "employers", "business": "businesses"}


class Names:
    """Beneficiaries' names by kind (an agency is an employer; a district has none), found by a
    binary search in the ids sorted once: a hash join rebuilds its table on the ten million
    persons for every block (about 20 s each on two cores), a search takes 0.6 s per million ids."""

    def __init__(self, registry: Mapping[str, pl.LazyFrame]) -> None:
        self._registry = registry
        self._tables: dict[str, pl.DataFrame] = {}

    def _table(self, source: str) -> pl.DataFrame:
        if source not in self._tables:
            table = self._registry[source].select("id", "name").collect()
            if not table.get_column("id").is_sorted():
                table = table.sort("id")
            self._tables[source] = table
        return self._tables[source]

    def of(self, kind: str, ids: pl.Series) -> pl.Series:
        """The name of each id (null where the registry has none), in the order of ``ids``."""
        source = _SOURCES.get(kind)
        if source is None or source not in self._registry or ids.is_empty():
            return pl.Series("subject_name", [None] * ids.len(), dtype=pl.String)
        table = self._table(source)
        if table.is_empty():
            return pl.Series("subject_name", [None] * ids.len(), dtype=pl.String)
        known = table.get_column("id")
        at = known.search_sorted(ids).clip(upper_bound=known.len() - 1)
        found = known.gather(at) == ids
        return pl.select(pl.when(found).then(table.get_column("name").gather(at)).alias("subject_name")).to_series()


#: Named assumption: rows of decisions a spool keeps in memory before it writes its parts to
#: disk (about 100 bytes a row: some 250 MB). A million persons make two million decisions and
#: near misses, held as before; ten million make twenty million, which go to disk. Writing and
#: reading back a part costs about a second of CPU per million rows.
SPOOL_MEMORY_ROWS = 2_500_000


@dataclass
class Part:
    """One block's decisions (or near misses), in memory or on disk, sorted by beneficiary."""

    order: int  # the measure's place in the match
    measure: str
    held: pl.DataFrame | Path
    rows: int
    misses: int  # rows with a near miss
    first: str | None  # least and greatest beneficiary id
    last: str | None


def _before(a: Part, b: Part) -> bool:
    """Every beneficiary of ``a`` comes before every one of ``b``."""
    return a.last is not None and b.first is not None and a.last < b.first


class DecisionSpool:
    """The parts of a match, decisions apart from near misses, in the match's order."""

    def __init__(self, folder: Path | None = None, *, memory_rows: int | None = None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="jiuye-match-", dir=folder))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        self._parts: dict[bool, list[Part]] = {True: [], False: []}  # near misses?
        self._room = SPOOL_MEMORY_ROWS if memory_rows is None else memory_rows  # rows still kept in memory

    def add(self, frame: pl.DataFrame, names: Names, catalog: pl.DataFrame, *, near: bool) -> None:
        """Finish one block (decisions of one measure and kind, in the engine's columns) and write
        it: sorted by beneficiary, with the beneficiary's name and the near miss in words."""
        if frame.is_empty():
            return
        if not frame.get_column("subject_id").is_sorted():
            frame = frame.sort("subject_id")
        kind = frame.get_column("subject_kind")[0]
        frame = frame.select(pl.col(c).cast(t) for c, t in ENGINE_COLUMNS.items())
        frame = frame.with_columns(names.of(kind, frame.get_column("subject_id")))
        if frame.get_column(NEAR_MISS).null_count() == frame.height:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in _WORDS if c != "subject_name")
        else:
            frame = describe_near_misses(frame, catalog)
        frame = frame.select(pl.col(c).cast(t) for c, t in {**ENGINE_COLUMNS, **_WORDS}.items())
        ids = frame.get_column("subject_id")
        parts = self._parts[near]
        order = int(frame.get_column("order")[0])
        misses = frame.height - frame.get_column(NEAR_MISS).null_count()
        held = self._held(frame, f"{'near' if near else 'kept'}-{len(parts):04d}")
        parts.append(Part(order, frame.get_column("measure")[0], held, frame.height, misses, ids[0], ids[-1]))

    def _held(self, frame: pl.DataFrame, name: str) -> pl.DataFrame | Path:
        """``frame`` itself while there is room in memory, else the file it is written to."""
        if frame.height <= self._room:
            self._room -= frame.height
            return frame
        path = self.folder / f"{name}.parquet"
        # lz4: written once and read twice (decisions.parquet, the lists), a fifth of the zstd time
        frame.write_parquet(path, compression="lz4", statistics=False)
        return path

    def parts(self, *, near: bool) -> list[Part]:
        """The parts in the match's order: by measure, then by beneficiary. The kinds of one
        measure (an employer and an agency) are merged unless their ids do not interleave."""
        by_order: dict[int, list[Part]] = {}
        for part in self._parts[near]:
            by_order.setdefault(part.order, []).append(part)
        ordered: list[Part] = []
        for order in sorted(by_order):
            group = sorted(by_order[order], key=lambda p: (p.first or "", p.last or ""))
            if all(_before(a, b) for a, b in itertools.pairwise(group)):
                ordered += group
            else:
                ordered.append(self._merged(group, near=near))
        self._parts[near] = ordered
        return ordered

    def _merged(self, group: list[Part], *, near: bool) -> Part:
        frames = [p.held if isinstance(p.held, pl.DataFrame) else pl.read_parquet(p.held) for p in group]
        merged = frames[0]
        for frame in frames[1:]:
            merged = merged.merge_sorted(frame, key="subject_id")
        for p in group:
            if isinstance(p.held, Path):
                p.held.unlink()
            else:
                self._room += p.held.height
        held = self._held(merged, f"{'near' if near else 'kept'}-merged-{group[0].order:04d}")
        ids = merged.get_column("subject_id")
        misses = sum(p.misses for p in group)
        return Part(group[0].order, group[0].measure, held, merged.height, misses, ids.min(), ids.max())  # type: ignore[arg-type]

    def scan(
        self,
        *,
        near: bool,
        extra: Mapping[str, Mapping[str, str | None]] | None = None,
        measures: Collection[str] | None = None,
        misses: bool = False,
    ) -> pl.LazyFrame:
        """The parts of one kind (of ``measures``, or all; ``misses``: only those with a near
        miss) as one lazy frame, in order; ``extra`` adds literal columns per measure (its title
        and rule hash)."""
        scans = []
        for part in self.parts(near=near):
            if (measures is not None and part.measure not in measures) or (misses and not part.misses):
                continue
            scan = part.held.lazy() if isinstance(part.held, pl.DataFrame) else pl.scan_parquet(part.held)
            if extra:
                scan = scan.with_columns(
                    pl.lit(value, dtype=pl.String).alias(name) for name, value in extra[part.measure].items()
                )
            scans.append(scan)
        if not scans:
            empty = pl.DataFrame(schema={**ENGINE_COLUMNS, **_WORDS}).lazy()
            if extra:
                empty = empty.with_columns(pl.lit(None, dtype=pl.String).alias(n) for n in _EXTRA)
            return empty
        return pl.concat(scans, how="vertical")

    def frame(self, *, near: bool) -> pl.DataFrame:
        """The decisions (or near misses) in the engine's columns, in memory."""
        return self.scan(near=near).select(list(ENGINE_COLUMNS)).collect()

    def close(self) -> None:
        self._cleanup()
