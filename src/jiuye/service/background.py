"""Long-running work in the service's own process, its progress in the database.

A job is a row of ``background_jobs`` (queued → running → done | failed) and a function run by
a small thread pool started with the application. The function reports progress through a
:class:`Progress`; each report is a short transaction of its own, so a page reload, or another
member of staff of the job's region, reads the same progress from the database.

Guarantees:

- A job is handed to the pool only once the transaction that created its row has committed
  (the worker would otherwise not find it, and a request that fails starts nothing).
- A job that raises is marked failed with a Chinese message (personal data masked); it never
  leaves a row in "running".
- Named assumption: one service process runs the jobs (``jiuye serve`` runs one). A job still
  queued or running when that process ends cannot finish: at the next start-up (``recover``) it
  is marked failed, saying so, and the caseworker starts it again.
- Named assumption: one worker. Matching is itself multi-threaded (Polars), and a bureau starts
  a handful of runs a day; more workers would only share the same cores.

Staff see a job when their region covers the job's region; anyone else is told it does not exist.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from jiuye.errors import JiuyeError
from jiuye.identifiers import redact
from jiuye.regions import prefix_of
from jiuye.service.auth import Caller
from jiuye.service.db import transaction
from jiuye.service.errors import NotFoundError
from jiuye.service.models import BackgroundJob

__all__ = ["INTERRUPTED", "WORKERS", "Background", "Progress", "get_job", "list_jobs", "new_job"]

log = logging.getLogger(__name__)

WORKERS = 1
INTERRUPTED = "服务重启时该任务尚未完成，已中止；提示：请重新发起"
_UNFINISHED = ("queued", "running")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Progress:
    """What a job's function reports: ``step(done, total, message)`` after each piece of work."""

    def __init__(self, sessions: sessionmaker[Session], job_id: int) -> None:
        self._sessions = sessions
        self.job_id = job_id

    def step(self, done: int, total: int, message: str) -> None:
        with transaction(self._sessions) as session:
            job = session.get(BackgroundJob, self.job_id)
            if job is not None:
                job.done, job.total, job.message = done, max(total, done), message[:500]


Work = Callable[[Progress], str]
"""A job's function: does the work, reports progress, returns where its result is."""


def new_job(session: Session, caller: Caller, *, kind: str, region: str, params: dict[str, Any]) -> BackgroundJob:
    """A queued job's row (flushed, so it has an id), in the caller's transaction."""
    job = BackgroundJob(
        kind=kind, state="queued", done=0, total=0, message="排队等候执行", created_by=caller.user_id,
        region=region, params=json.dumps(params, ensure_ascii=False, default=str),
    )  # fmt: skip
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, caller: Caller, job_id: int, *, kind: str | None = None) -> BackgroundJob:
    """The job, if the caller is staff whose region covers the job's; else NotFoundError."""
    job = session.get(BackgroundJob, job_id)
    if job is None or (kind is not None and job.kind != kind) or not caller.covers(job.region):
        msg = f"任务 {job_id} 不存在或不在您的辖区"
        raise NotFoundError(msg)
    return job


def list_jobs(
    session: Session, caller: Caller, *, kind: str, offset: int, limit: int
) -> tuple[int, list[BackgroundJob]]:
    """The jobs of ``kind`` in the caller's region (newest first) and how many there are."""
    if not caller.is_staff:
        return 0, []
    scope = (BackgroundJob.kind == kind) & BackgroundJob.region.startswith(prefix_of(caller.region))
    total = session.scalar(select(func.count()).select_from(BackgroundJob).where(scope)) or 0
    rows = session.scalars(
        select(BackgroundJob).where(scope).order_by(BackgroundJob.id.desc()).offset(offset).limit(limit)
    ).all()
    return int(total), list(rows)


class Background:
    """The pool of workers and the database they record progress in."""

    def __init__(self, sessions: sessionmaker[Session], workers: int = WORKERS) -> None:
        self.sessions = sessions
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jiuye-job")

    @staticmethod
    def recover(session: Session) -> int:
        """Mark every unfinished job failed (at start-up: no worker of this process runs it)."""
        jobs = session.scalars(select(BackgroundJob).where(BackgroundJob.state.in_(_UNFINISHED))).all()
        for job in jobs:
            job.state, job.error, job.message, job.finished_at = "failed", INTERRUPTED, INTERRUPTED, _now()
        return len(jobs)

    def submit_after_commit(self, session: Session, job_id: int, work: Work) -> None:
        """Run ``work`` for the job once ``session``'s transaction has committed (never if it rolls back).
        A savepoint released on the way also fires "after_commit": it is not the commit awaited."""
        started = False

        def start(committed: Session) -> None:
            nonlocal started
            if started or committed.in_nested_transaction():
                return
            started = True
            self._pool.submit(self._run, job_id, work)

        event.listen(session, "after_commit", start)

    def shutdown(self) -> None:
        """At the application's end: queued jobs never start (the next start-up marks them failed);
        a job already running finishes before the process exits (seconds to minutes for a
        district), unless the process is killed, when the next start-up marks it failed too."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def shutdown_and_wait(self) -> None:
        """Let every submitted job finish (a command-line run, a test)."""
        self._pool.shutdown(wait=True)

    def _run(self, job_id: int, work: Work) -> None:
        with transaction(self.sessions) as session:
            job = session.get(BackgroundJob, job_id)
            if job is None or job.state != "queued":
                return
            job.state, job.started_at, job.message = "running", _now(), "正在执行"
        try:
            result = work(Progress(self.sessions, job_id))
        except Exception as exc:  # the job fails, the worker goes on to the next
            if isinstance(exc, JiuyeError):
                error = redact(str(exc))
            else:
                log.exception("background job %s failed", job_id)
                error = f"任务执行出错（{type(exc).__name__}）；提示：请联系系统管理员查看服务日志"
            self._finish(job_id, "failed", error=error, message="任务失败")
        else:
            self._finish(job_id, "done", result=result, message="已完成")

    def _finish(
        self, job_id: int, state: str, *, message: str, result: str | None = None, error: str | None = None
    ) -> None:
        with transaction(self.sessions) as session:
            job = session.get(BackgroundJob, job_id)
            if job is None:
                return
            job.state, job.finished_at, job.result, job.error = state, _now(), result, error
            job.message = message if state == "failed" else (job.message or message)
            if state == "done":
                job.done = job.total = max(job.total, job.done, 1)
