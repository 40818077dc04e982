"""Importing a channel's posting file in the background (岗位归集, 桂人社发〔2025〕38号（十四）（十五）).

The file is checked and kept under the data directory in the request; a ``postings_import`` job
of the caller's region then reads it, codes each title with its 大典 occupation, merges the
postings with those stored (:func:`jiuye.service.jobs.import_posting_files`, as the API's
``POST /jobs/postings/import``) and writes its report (imported, repeats skipped, rows refused
and why) beside the file. Starting one is audited; storing is audited by ``store_postings``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jiuye.jobs.intake import IntakeResult, check_channel
from jiuye.service import jobs
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.background import Background, Progress, get_job, new_job
from jiuye.service.db import transaction
from jiuye.service.errors import ForbiddenError, InputError
from jiuye.service.models import BackgroundJob

__all__ = ["IMPORTERS", "KIND", "MAX_BYTES", "SUFFIXES", "get_import", "import_params", "read_report", "start_import"]

KIND = "postings_import"
IMPORTERS = ("caseworker", "admin")
SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".json", ".jsonl")  # as the API
#: The largest file a page takes for an upload path (``jiuye.web`` allows 50 MB on ``/import``).
MAX_BYTES = 50 * 1024 * 1024
_LISTED = 200  # rows refused or repeated shown in a report (the count says how many more)


def _folder(data_dir: Path, job_id: int) -> Path:
    return data_dir / "postings" / "imports" / str(job_id)


def check_importer(caller: Caller) -> None:
    """Only caseworkers and administrators import postings (as ``store_postings`` enforces)."""
    if caller.role not in IMPORTERS:
        msg = f"角色 {caller.role} 不能导入岗位；提示：由经办人员导入"
        raise ForbiddenError(msg)


def start_import(
    session: Session,
    background: Background,
    caller: Caller,
    *,
    name: str,
    data: bytes,
    channel: str,
    strict: bool,
    reference: dt.date,
    data_dir: Path,
) -> BackgroundJob:
    """Queue the import of one file (already type-checked by its name); it starts when ``session`` commits.
    Every refusal comes before anything is written (callers need no savepoint)."""
    check_importer(caller)
    channel = check_channel(channel)
    if not data:
        msg = f"文件“{name}”是空的；提示：确认导出的文件有内容后重新上传"
        raise InputError(msg)
    if len(data) > MAX_BYTES:
        msg = f"文件“{name}”超过 {MAX_BYTES // 1024 // 1024} MB；提示：分成几个文件分别导入"
        raise InputError(msg)
    params = {"name": name, "channel": channel, "strict": strict, "reference": reference.isoformat(),
              "bytes": len(data)}  # fmt: skip
    job = new_job(session, caller, kind=KIND, region=caller.region, params=params)
    folder = _folder(data_dir, job.id)
    if folder.exists():  # left by a transaction that rolled back after its folder was made
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / name
    path.write_bytes(data)
    record(session, actor=caller.username, action="jobs.import.start", entity="background_job", entity_id=job.id,
           detail=params)  # fmt: skip
    sessions = background.sessions
    background.submit_after_commit(
        session, job.id, lambda progress: _run(sessions, caller, progress, path, channel, strict, reference)
    )
    return job


def _run(
    sessions: sessionmaker[Session], caller: Caller, progress: Progress, path: Path, channel: str, strict: bool,
    reference: dt.date,
) -> str:  # fmt: skip
    progress.step(0, 0, f"正在读取文件 {path.name}")
    with transaction(sessions) as session:
        result, stored = jobs.import_posting_files(
            session, caller, [path], channel=channel, strict=strict, reference=reference, progress=progress.step
        )
    report = path.parent / "report.json"
    report.write_text(json.dumps(_report(result, stored, path.name), ensure_ascii=False), encoding="utf-8")
    progress.step(result.rows, result.rows, f"已完成：读取 {result.rows:,} 行，导入 {result.imported:,} 条")
    return str(report)


def _report(result: IntakeResult, stored: jobs.StoreReport, name: str) -> dict[str, Any]:
    return {
        "name": name, "channel": result.channel, "rows": result.rows, "imported": result.imported,
        "rejected": result.rejected, "by_reason": result.rejected_by_reason(),
        "stored": {"added": stored.added, "updated": stored.updated, "unchanged": stored.unchanged},
        "duplicate_count": len(result.duplicates), "duplicates": [str(d) for d in result.duplicates[:_LISTED]],
        "problems": [str(p) for p in result.problems[:_LISTED]], "notes": [str(n) for n in result.notes[:100]],
        "files_failed": list(result.files_failed), "more_problems": max(0, len(result.problems) - _LISTED),
    }  # fmt: skip


def get_import(session: Session, caller: Caller, job_id: int) -> BackgroundJob:
    """An import of the caller's region; staff of another region (or anyone else) are told it is not there."""
    return get_job(session, caller, job_id, kind=KIND)


def import_params(job: BackgroundJob) -> dict[str, Any]:
    params: dict[str, Any] = json.loads(job.params or "{}")
    return params


def read_report(job: BackgroundJob) -> dict[str, Any] | None:
    """The finished import's report, if its file is still in the data directory."""
    if job.state != "done" or not job.result or not Path(job.result).is_file():
        return None
    report: dict[str, Any] = json.loads(Path(job.result).read_text(encoding="utf-8"))
    return report
