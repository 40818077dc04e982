"""政策找人 runs started from the caseworker console: what ``jiuye synth``, ``jiuye match`` and
``jiuye cases import-matches`` do, as a background job of the caller's region.

A run's folder (under the data directory, ``matching/<job id>``) holds its registry as canonical
Parquet tables (``registry/``: generated there, or an uploaded registry checked and converted
when it was uploaded) and the match's output (``out/``: decisions.parquet, eligible.csv, the
capped workbooks under eligible/, budget.parquet, near_misses.csv..., exactly as ``jiuye match``
writes them, docs/matching.md). Pages read their lists from the Parquet files (whole, whatever
went to Excel); turning matches into cases goes through :func:`jiuye.service.proactive.import_matches`,
which decides again as of the import day.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from jiuye.engine.evaluate import ELIGIBLE
from jiuye.errors import JiuyeError
from jiuye.matching import match_registry
from jiuye.matching.output import write_match
from jiuye.params import load_parameters
from jiuye.policies.registry import all_measures
from jiuye.regions import region_name, validate_region
from jiuye.registry.io import read_registry
from jiuye.registry.problems import RegistryError, RowProblem
from jiuye.registry.sources import registry_files_hash
from jiuye.registry.synth import EARLIEST_AS_OF, LATEST_AS_OF, synthesize
from jiuye.service.applications import Engine
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.background import Background, Progress, get_job, new_job
from jiuye.service.errors import ForbiddenError, InputError
from jiuye.service.models import BackgroundJob
from jiuye.service.proactive import ProactiveReport, import_matches

__all__ = [
    "KIND",
    "MAX_PERSONS",
    "MIN_PERSONS",
    "RunRequest",
    "checked_upload",
    "get_run",
    "import_run",
    "record_export",
    "run_folder",
    "run_params",
    "start_run",
]

KIND = "matching"
#: Named assumption: a synthetic registry made from the console has 100 to 20,000 persons (a
#: demonstration or a training session); larger ones are made with ``jiuye synth``.
MIN_PERSONS, MAX_PERSONS = 100, 20_000
#: The seed of registries generated from the console: the same size and date give the same rows.
SEED = 0


@dataclass(frozen=True)
class RunRequest:
    as_of: dt.date
    region: str
    persons: int | None = None  # a synthetic registry of this many persons, else an uploaded one


def run_folder(data_dir: Path, job_id: int) -> Path:
    return data_dir / "matching" / str(job_id)


def _check(caller: Caller, request: RunRequest) -> str:
    if caller.role != "caseworker":
        msg = "只有经办人员可以发起政策找人"
        raise ForbiddenError(msg)
    try:
        region = validate_region(request.region)
    except JiuyeError as exc:
        raise InputError(str(exc)) from None
    if not caller.covers(region):
        msg = f"地区 {region} 不在您的辖区（{caller.region}）内；提示：只能选本辖区或其下级地区"
        raise InputError(msg)
    if not EARLIEST_AS_OF <= request.as_of <= LATEST_AS_OF:
        msg = f"评估日期应在 {EARLIEST_AS_OF.isoformat()} 至 {LATEST_AS_OF.isoformat()} 之间"
        raise InputError(msg)
    return region


def start_run(
    session: Session,
    background: Background,
    caller: Caller,
    request: RunRequest,
    *,
    data_dir: Path,
    registry: Path | None = None,
) -> BackgroundJob:
    """Queue a run; it starts when ``session`` commits. ``registry`` is an uploaded registry
    already checked and converted (:func:`checked_upload`), moved into the run's folder."""
    region = _check(caller, request)
    if (registry is None) == (request.persons is None):
        msg = "须选择合成台账人数或上传台账文件（二者选一）"
        raise InputError(msg)
    if request.persons is not None and not MIN_PERSONS <= request.persons <= MAX_PERSONS:
        msg = f"合成台账人数应在 {MIN_PERSONS:,} 至 {MAX_PERSONS:,} 之间，收到 {request.persons:,}"
        raise InputError(msg)
    source = "synthetic" if registry is None else "upload"
    params = {"as_of": request.as_of.isoformat(), "source": source, "persons": request.persons, "seed": SEED}
    job = new_job(session, caller, kind=KIND, region=region, params=params)
    folder = run_folder(data_dir, job.id)
    if folder.exists():  # left by a transaction that rolled back after its folder was made
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if registry is not None:
        registry.rename(folder / "registry")
    record(session, actor=caller.username, action="matching.start", entity="background_job", entity_id=job.id,
           detail={"region": region, **params})  # fmt: skip
    background.submit_after_commit(session, job.id, lambda progress: _run(progress, folder, request, region))
    return job


def record_export(session: Session, caller: Caller, job: BackgroundJob, *, which: str, rows: int) -> None:
    """A list of persons leaving the service as a file is on the audit trail (who, which run, how many)."""
    record(session, actor=caller.username, action="matching.export", entity="background_job", entity_id=job.id,
           detail={"list": which, "rows": rows})  # fmt: skip


def checked_upload(folder: Path) -> Path:
    """Check an uploaded registry (every bad header, row and cell, by file and line, as
    :class:`~jiuye.registry.problems.RegistryError`) and write it beside as canonical Parquet
    tables, which later readings take as they are. Returns the canonical folder."""
    scratch = folder.parent / f"{folder.name}-scratch"
    scratch.mkdir()
    canonical = folder.parent / f"{folder.name}-canonical"
    try:
        registry = read_registry(folder, scratch=scratch)
        canonical.mkdir()
        for table, frame in registry.tables.items():
            frame.sink_parquet(canonical / f"{table}.parquet")
    except pl.exceptions.PolarsError as exc:  # a damaged Parquet file fails where it is read, not checked
        shutil.rmtree(canonical, ignore_errors=True)
        detail = str(exc).splitlines()[0][:200]
        message = f"文件无法读取（{detail}）；提示：确认文件未损坏，Parquet 文件应由程序写出"
        raise RegistryError([RowProblem(registry_names(folder), 0, "文件", message)]) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # the parsed text, now in the canonical tables
    return canonical


def registry_names(folder: Path) -> str:
    return "、".join(sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".parquet")) or "上传的文件"


def _run(progress: Progress, folder: Path, request: RunRequest, region: str) -> str:
    measures = all_measures()
    total = len(measures) + 2
    registry_dir = folder / "registry"
    if request.persons is not None:
        progress.step(0, total, f"正在生成合成台账（{request.persons:,} 人）")
        synthesize(registry_dir, persons=request.persons, seed=SEED, as_of=request.as_of)
    progress.step(1, total, "正在读取台账")
    registry = read_registry(registry_dir)
    done = [1]

    def measured(measure: Any) -> None:
        done[0] += 1
        progress.step(done[0], total, f"已评估 {measure.title}（{done[0] - 1}/{len(measures)}）")

    result = match_registry(
        registry.tables, as_of=request.as_of, region=region, params=load_parameters(), measures=measures,
        progress=measured,
    )  # fmt: skip
    progress.step(total - 1, total, "正在写出结果")
    summary = write_match(result, registry.tables, folder / "out", registry_hash=registry_files_hash(registry_dir))
    progress.step(
        total, total, f"已完成：符合条件 {summary['eligible_decisions']:,} 项，差一点 {summary['near_misses']:,} 项"
    )
    return str(folder / "out")


def get_run(session: Session, caller: Caller, run_id: int) -> BackgroundJob:
    """A run of the caller's region (caseworkers only; any other caller is refused or told it is not there)."""
    if caller.role != "caseworker":
        msg = "只有经办人员可以查看政策找人结果"
        raise ForbiddenError(msg)
    return get_job(session, caller, run_id, kind=KIND)


def run_params(job: BackgroundJob) -> dict[str, Any]:
    params: dict[str, Any] = json.loads(job.params or "{}")
    params["region_name"] = region_name(job.region)
    return params


def import_run(
    session: Session,
    engine: Engine,
    caller: Caller,
    job: BackgroundJob,
    *,
    measures: list[str],
    row: int | None = None,
    today: dt.date,
) -> ProactiveReport:
    """Turn a finished run's eligible, selected matches of ``measures`` (or only the decision at
    ``row`` of decisions.parquet) into pre-checked cases, as ``jiuye cases import-matches`` does.

    A row is named by its number in the run's file, which never changes once written: a page never
    has to carry a beneficiary's identifier (an uploaded registry may use ID numbers as ids)."""
    if job.state != "done" or not job.result:
        msg = "该次政策找人尚未完成，不能转为案件"
        raise InputError(msg)
    out = Path(job.result)
    if not (out / "decisions.parquet").is_file() or not (out.parent / "registry").is_dir():
        msg = "该次政策找人的结果文件已不存在；提示：重新发起一次政策找人"
        raise InputError(msg)
    decisions = pl.read_parquet(out / "decisions.parquet")
    if row is not None:
        if not 0 <= row < decisions.height:
            msg = f"该次结果中没有第 {row} 行"
            raise InputError(msg)
        decisions = decisions.slice(row, 1)
        if decisions["status"][0] != ELIGIBLE or not decisions["selected"][0]:
            msg = "该行不是符合条件（且已选定）的决定，不能转为案件"
            raise InputError(msg)
        measures = decisions["measure"].to_list()
    if not measures:
        msg = "请至少选择一项政策"
        raise InputError(msg)
    registry = read_registry(out.parent / "registry")
    return import_matches(session, engine, caller, registry.tables, decisions, measures=measures, today=today)
