"""The resident posting index: one :class:`~jiuye.jobs.recommend.live.LivePostingIndex` per process and database.

Recommendations and pushes used to read every open posting nationwide and rebuild the search index on each
call (~20 s at 100,000 postings). Now:

* **Service** (:func:`serve`, called by ``create_app``): the index is built in a background thread at
  start-up from the postings not yet closed (a date filter in SQL). Until it is ready a request waits up to
  :data:`WAIT_SECONDS`, then gets 503 ``POSTINGS_INDEX_BUILDING``. Every committed :func:`~jiuye.service.jobs.
  store_postings` (import, creation, edit, closing: a new ``close_on``) reaches the index after its commit
  (a session hook); changes made by other processes (the CLI, other workers) arrive with the periodic sync
  (:data:`REFRESH_SECONDS`, in the background), which also drops postings past their end date. Queries
  never see an expired posting in between: the index ranks only the postings open on the query day.
* **Elsewhere** (the CLI, direct calls): each call syncs the index with the table by (id, revision) — two
  narrow columns — and reads only the payloads that changed; the CLI keeps the index on disk between runs
  (:mod:`jiuye.service.posting_cache`).

Several worker processes each hold their own index (see docs/jobs.md).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from jiuye.jobs.codec import posting_from_dict
from jiuye.jobs.model import Posting
from jiuye.jobs.recommend.live import LivePostingIndex
from jiuye.service.errors import ServiceError
from jiuye.service.models import JobPosting

__all__ = [
    "REFRESH_SECONDS",
    "WAIT_SECONDS",
    "IndexBuildingError",
    "ResidentPostings",
    "adopt",
    "index_for",
    "note_change",
    "resident_for",
    "serve",
]

log = logging.getLogger(__name__)

#: How long a request waits for the index being built before it is told to come back (assumption: a
#: caseworker's page may take a few seconds once after a restart, not a minute).
WAIT_SECONDS = 15.0
#: How often the service syncs with changes from other processes and drops expired postings (assumption:
#: a posting imported from the CLI may take a minute to be recommended by a running service).
REFRESH_SECONDS = 60.0
_CHUNK = 500  # ids per IN (...) query
_CHANGES = "jiuye.posting_changes"


class IndexBuildingError(ServiceError):
    status = 503
    code = "POSTINGS_INDEX_BUILDING"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "岗位索引正在建立（服务刚启动），请稍后再试")


def open_filter(floor: dt.date) -> Any:
    """Postings not closed before ``floor`` (SQL)."""
    return or_(JobPosting.close_on.is_(None), JobPosting.close_on >= floor)


class ResidentPostings:
    """The index of the postings of one database, and how it is kept in step with the table."""

    def __init__(self, *, trust_hooks: bool) -> None:
        #: Service mode: changes come through the commit hook and the periodic sync, not a diff per call.
        self.trust_hooks = trust_hooks
        self.index: LivePostingIndex | None = None
        #: id → revision of each posting held.
        self.revisions: dict[str, int] = {}
        #: Postings closed before this day are not held (a query for an earlier day reloads).
        self.floor: dt.date | None = None
        self.state = "empty"  # empty → building → ready (or failed)
        self.build_seconds = 0.0
        self.synced_at = 0.0
        self._ready = threading.Event()
        self._lock = threading.Lock()  # guards state, revisions and the pending changes
        self._pending: list[tuple[Posting, int]] = []
        #: When the commit hook last applied each posting (a sync read before then must not undo it).
        self._applied_at: dict[str, float] = {}
        self._refreshing = False
        self._warming = False
        self._sessions: sessionmaker[Session] | None = None
        self._clock: Callable[[], dt.date] | None = None

    # --- building and syncing ---------------------------------------------------------------------------

    def build(self, session: Session, today: dt.date) -> None:
        """Load every posting not closed before ``today`` (date filter in SQL) into a fresh index."""
        self._build(_read(session, today), today, time.perf_counter())

    def _build(self, rows: list[tuple[str, int]], today: dt.date, started: float) -> None:
        """Index rows already read (no database: the reading transaction is over, see :meth:`start`)."""
        loaded = [(posting_from_dict(json.loads(payload)), revision) for payload, revision in rows]
        loaded.sort(key=lambda pair: pair[0].id)
        index = LivePostingIndex((p for p, _ in loaded), on=today)
        with self._lock:
            self.index, self.floor = index, today
            self.revisions = {p.id: r for p, r in loaded}
            pending, self._pending = self._pending, []
            self.state = "ready"
            self.build_seconds = time.perf_counter() - started
            self.synced_at = time.monotonic()
        self.apply(pending)
        self.warm_in_background()
        self._ready.set()

    def sync(self, session: Session, today: dt.date) -> int:
        """Bring the index in step with the table: by (id, revision), reading only changed payloads; drops
        postings closed before ``today``. Returns how many postings were added, replaced or dropped."""
        if self.index is None or self.floor is None:
            self.build(session, today)
            return len(self.revisions)
        return self._merge(*self._diff(session, today), today)

    def _diff(self, session: Session, floor: dt.date) -> tuple[list[str], list[tuple[Posting, int]], float]:
        """What the table says changed (an earlier ``floor`` than before brings back postings closed since)."""
        began = time.monotonic()
        listed = dict(session.execute(select(JobPosting.id, JobPosting.revision).where(open_filter(floor))).all())
        with self._lock:
            gone = [i for i in self.revisions if i not in listed]
            changed = [i for i, r in listed.items() if self.revisions.get(i) != r]
        fresh: list[tuple[Posting, int]] = []
        for start in range(0, len(changed), _CHUNK):
            ids = changed[start : start + _CHUNK]
            chunk = select(JobPosting.payload, JobPosting.revision).where(JobPosting.id.in_(ids))
            fresh += [(posting_from_dict(json.loads(p)), r) for p, r in session.execute(chunk)]
        return gone, fresh, began

    def _merge(self, gone: list[str], fresh: list[tuple[Posting, int]], began: float, floor: dt.date) -> int:
        """Apply a diff; a commit of this process applied meanwhile (by the hook) is newer and kept."""
        index = self.index
        if index is None:
            return 0
        with self._lock:
            gone = [i for i in gone if self._applied_at.get(i, 0.0) < began]
            fresh = [(p, r) for p, r in fresh if self._applied_at.get(p.id, 0.0) < began]
            for i in gone:
                self.revisions.pop(i, None)
            self.revisions.update((p.id, r) for p, r in fresh)
            self.floor = floor
            self.synced_at = time.monotonic()
            with index.lock:
                index.remove(gone)
                fresh.sort(key=lambda pair: pair[0].id)
                index.upsert(p for p, _ in fresh)
        if gone or fresh:
            self.warm_in_background()
        return len(gone) + len(fresh)

    @property
    def warming(self) -> bool:
        return self._warming

    def warm_in_background(self) -> None:
        """Score every word ahead of queries, a few hundred at a time under the index lock (queries interleave);
        started again after each change, which makes the scores stale."""
        with self._lock:
            if not self.trust_hooks or self._warming or self.index is None:  # a CLI run ranks a few times only
                return
            self._warming = True
            index = self.index

        def run() -> None:
            try:
                done = False
                while not done:
                    with index.lock:
                        done = index.warm()
                    time.sleep(0.001)  # let waiting queries take the lock
            except Exception:
                log.exception("岗位索引预热失败")
            finally:
                self._warming = False

        threading.Thread(target=run, name="posting-index-warm", daemon=True).start()

    def apply(self, changes: Iterable[tuple[Posting, int]]) -> None:
        """Committed changes of this process (postings with their new revision); queued while building."""
        changes = list(changes)
        if not changes:
            return
        with self._lock:
            if self.index is None:
                self._pending += changes
                return
            newer = [(p, r) for p, r in changes if self.revisions.get(p.id, 0) < r]
            now = time.monotonic()
            for p, r in newer:
                self.revisions[p.id] = r
                self._applied_at[p.id] = now
            with self.index.lock:
                self.index.upsert(p for p, _ in newer)
        if newer:
            self.warm_in_background()

    # --- the service's background work --------------------------------------------------------------------

    def start(self, session: Session | None = None) -> None:
        """Read the postings now (in ``session``, else a session of its own), index them in a background thread.

        Reading first matters on SQLite, where every transaction holds the process's writer lock: a request
        waiting for the index must not hold that lock while the build still needs it."""
        sessions, clock = self._sessions, self._clock
        if sessions is None or clock is None:
            raise RuntimeError("start() is for the service's index (serve())")
        with self._lock:
            if self.state not in ("empty", "failed"):
                return
            self.state = "building"
            self._ready.clear()
        started, today = time.perf_counter(), clock()
        try:
            if session is not None:
                rows = _read(session, today)
            else:
                with sessions() as own:
                    rows = _read(own, today)
        except Exception:
            self.state = "failed"
            self._ready.set()
            raise

        def run() -> None:
            try:
                self._build(rows, today, started)
                log.info("岗位索引已建立：%d 个岗位，用时 %.1f s", len(self.revisions), self.build_seconds)
            except Exception:
                self.state = "failed"
                self._ready.set()
                log.exception("岗位索引建立失败")

        threading.Thread(target=run, name="posting-index-build", daemon=True).start()

    def refresh_if_due(self, today: dt.date) -> None:
        """Sync in the background when the last sync is older than :data:`REFRESH_SECONDS`."""
        sessions = self._sessions
        with self._lock:
            if sessions is None or self._refreshing or time.monotonic() - self.synced_at < REFRESH_SECONDS:
                return
            self._refreshing = True

        def run() -> None:
            try:
                with sessions() as session:  # the transaction ends before the index is touched
                    diff = self._diff(session, today)
                self._merge(*diff, today)
            except Exception:
                log.exception("岗位索引同步失败")
            finally:
                self._refreshing = False

        threading.Thread(target=run, name="posting-index-sync", daemon=True).start()


def _read(session: Session, floor: dt.date) -> list[tuple[str, int]]:
    query = select(JobPosting.payload, JobPosting.revision).where(open_filter(floor))
    return [(payload, revision) for payload, revision in session.execute(query)]


_RESIDENT: weakref.WeakKeyDictionary[Engine, ResidentPostings] = weakref.WeakKeyDictionary()


def serve(engine: Engine, sessions: sessionmaker[Session], clock: Callable[[], dt.date]) -> ResidentPostings:
    """Make the service's index for ``engine`` (built by :meth:`ResidentPostings.start` at start-up, or on the
    first request if the service was not started through its lifespan)."""
    resident = ResidentPostings(trust_hooks=True)
    resident._sessions, resident._clock = sessions, clock
    _RESIDENT[engine] = resident
    return resident


def index_for(session: Session, today: dt.date) -> LivePostingIndex:
    """The index to rank with on ``today``: the service's (waiting while it is built) or this process's,
    synced with the table first."""
    engine = session.get_bind()
    if not isinstance(engine, Engine):
        raise TypeError("岗位索引需要绑定数据库引擎的会话")
    resident = _RESIDENT.get(engine)
    if resident is None:
        resident = _RESIDENT[engine] = ResidentPostings(trust_hooks=False)
    if not resident.trust_hooks:
        resident.sync(session, today)
    else:
        resident.start(session)  # no-op once started
        if not resident._ready.wait(WAIT_SECONDS) or resident.index is None:
            failed = resident.state == "failed"
            raise IndexBuildingError("岗位索引建立失败，已重新开始建立，请稍后再试" if failed else "")
        if resident.floor is not None and today < resident.floor:  # the demo clock went back
            resident.sync(session, today)
        resident.refresh_if_due(today)
    index = resident.index
    if index is None:
        raise IndexBuildingError
    return index


def adopt(engine: Engine, index: LivePostingIndex, revisions: dict[str, int], floor: dt.date) -> ResidentPostings:
    """Use an index loaded from disk for ``engine`` (the CLI); the next :func:`index_for` syncs it."""
    resident = ResidentPostings(trust_hooks=False)
    resident.index, resident.revisions, resident.floor, resident.state = index, dict(revisions), floor, "ready"
    resident._ready.set()
    _RESIDENT[engine] = resident
    return resident


def resident_for(engine: Engine) -> ResidentPostings | None:
    return _RESIDENT.get(engine)


def note_change(session: Session, postings: Iterable[tuple[Posting, int]]) -> None:
    """Remember postings stored in ``session`` (with their new revision) for the index, applied at commit."""
    session.info.setdefault(_CHANGES, []).extend(postings)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    changes = session.info.pop(_CHANGES, None)
    if not changes:
        return
    engine = session.get_bind()
    resident = _RESIDENT.get(engine) if isinstance(engine, Engine) else None
    if resident is not None:
        resident.apply(changes)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGES, None)
