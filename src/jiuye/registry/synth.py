"""Synthetic registries (``jiuye synth``): demo data and benchmark data, any size, reproducible.

A registry is a directory with one Parquet file per table — the columns are exactly
:func:`jiuye.facts.tables.registry_schema` of the entity — and ``manifest.json`` (seed, as-of
date, row counts, generator version). Persons come in chunks of :data:`CHUNK_SIZE`, each
written as it is drawn and merged by a streaming copy at the end, so ten million persons take
about 1 GB of memory; the same seed, size, as-of date and chunk size give byte-identical files.

Small registries are enriched in a few rare situations (new postdoctoral workstations,
doctorates, HR agencies, internship bases) so that a 20,000-person demo exercises every
measure of the catalog; from about a million persons on, the realistic rates apply.

What the rows look like, and why, is documented in each module of
:mod:`jiuye.registry.synthetic` (people, employers, jobs, internships, businesses, skills,
placements, grants, districts).

>>> TABLES[:3]
('persons', 'employers', 'employments')
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from jiuye.errors import JiuyeError
from jiuye.registry.synthetic.chunks import RegistryGenerator

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_AS_OF",
    "EARLIEST_AS_OF",
    "GENERATOR_VERSION",
    "LATEST_AS_OF",
    "MANIFEST",
    "TABLES",
    "Progress",
    "check_options",
    "synthesize",
]

#: Bumped whenever the same seed would give different rows.
GENERATOR_VERSION = "1"
DEFAULT_AS_OF = dt.date(2025, 12, 31)
#: Birth dates in ID numbers are generated between 1950 and 2049 (see ``IdSequences``).
EARLIEST_AS_OF, LATEST_AS_OF = dt.date(2016, 1, 1), dt.date(2049, 12, 31)
CHUNK_SIZE = 500_000
ROW_GROUP_SIZE = 262_144
MANIFEST = "manifest.json"
TABLES = (
    "persons",
    "employers",
    "employments",
    "internships",
    "businesses",
    "certificates",
    "apprenticeships",
    "placements",
    "trainings",
    "prior_grants",
    "districts",
)

#: Called as ``progress(persons_done, persons_total)`` after each chunk.
Progress = Callable[[int, int], None]


def synthesize(
    out_dir: Path,
    *,
    persons: int,
    seed: int = 0,
    as_of: dt.date = DEFAULT_AS_OF,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write a synthetic registry of ``persons`` persons to ``out_dir``; return its manifest.

    Files are assembled in a hidden directory inside ``out_dir`` and moved into place only
    when every table is complete: a failure leaves no partial registry behind.
    """
    check_options(persons=persons, seed=seed, as_of=as_of, chunk_size=chunk_size)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".synth-", dir=out_dir))
    try:
        generator = RegistryGenerator(persons=persons, seed=seed, as_of=as_of)
        parts: dict[str, list[Path]] = {name: [] for name in TABLES}
        _write_parts(work, parts, generator.fixed(), 0)
        for index, start in enumerate(range(0, persons, chunk_size)):
            size = min(chunk_size, persons - start)
            _write_parts(work, parts, generator.chunk(index, start, size), index)
            if progress:
                progress(start + size, persons)
        rows = {name: _merge(files, work / f"{name}.parquet") for name, files in parts.items()}
        manifest = {
            "generator": "jiuye synth",
            "version": GENERATOR_VERSION,
            "seed": seed,
            "as_of": as_of.isoformat(),
            "persons": persons,
            "chunk_size": chunk_size,
            "tables": {name: {"file": f"{name}.parquet", "rows": rows[name]} for name in TABLES},
        }
        for name in TABLES:
            (work / f"{name}.parquet").replace(out_dir / f"{name}.parquet")
        (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_options(*, persons: int, seed: int, as_of: dt.date, chunk_size: int = CHUNK_SIZE) -> None:
    """Raise :class:`JiuyeError` (in Chinese, with a hint) for options no registry can have."""
    if persons < 1:
        msg = f"人数须为正整数，收到 {persons}；提示：如 --persons 20000"
        raise JiuyeError(msg)
    if chunk_size < 1:
        msg = f"分块大小须为正整数，收到 {chunk_size}"
        raise JiuyeError(msg)
    if seed < 0:
        msg = f"随机种子须为非负整数，收到 {seed}；提示：如 --seed 0"
        raise JiuyeError(msg)
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        msg = (
            f"数据截止日期 {as_of.isoformat()} 超出可生成的范围；"
            f"提示：应在 {EARLIEST_AS_OF.isoformat()} 至 {LATEST_AS_OF.isoformat()} 之间"
        )
        raise JiuyeError(msg)


def _write_parts(work: Path, parts: dict[str, list[Path]], tables: dict[str, pl.DataFrame], index: int) -> None:
    for name, frame in tables.items():
        path = work / f"{name}-{index:05d}-{len(parts[name]):02d}.parquet"
        frame.write_parquet(path, row_group_size=ROW_GROUP_SIZE)
        parts[name].append(path)


def _merge(files: list[Path], target: Path) -> int:
    """One file per table: a single part is renamed, several are streamed into one."""
    if len(files) == 1:
        files[0].replace(target)
    else:
        pl.scan_parquet(files).sink_parquet(target, row_group_size=ROW_GROUP_SIZE)
        for file in files:
            file.unlink()
    return int(pl.scan_parquet(target).select(pl.len()).collect().item())
