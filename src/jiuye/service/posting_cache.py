"""The posting index kept on disk for the CLI (``jiuye jobs match``, ``jiuye jobs push``).

A command that recommends jobs would otherwise cut and index every open posting on each run. The index
is saved under the data directory (``cache/postings.index``) with, for every posting it covers, the id,
the revision and the creation time of its row. On the next run it is loaded and brought in step with the
table (:func:`jiuye.service.posting_index.index_for`): postings whose revision changed are re-read, new ones
added, closed or deleted ones dropped. A posting whose row was created anew (another database at the same
place) counts as changed, and a file written by another format, version of jiuye or database is ignored
and rebuilt: a stale index is updated or rebuilt, never used as it is.

The file is a pickle: it is read only from the service's own data directory, like its keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

import jiuye
from jiuye.service.models import JobPosting
from jiuye.service.posting_index import adopt, open_filter, resident_for

__all__ = ["FORMAT", "cache_path", "load_index", "save_index"]

log = logging.getLogger(__name__)

#: Bumped whenever what is pickled changes shape.
FORMAT = 1


def cache_path(data_dir: Path) -> Path:
    return data_dir / "cache" / "postings.index"


def _code() -> str:
    """The code that cuts and indexes postings (a change to it makes saved indexes stale)."""
    from jiuye.jobs import codec
    from jiuye.jobs.occupations import lexicon
    from jiuye.jobs.recommend import filters, index, live, live_field, tokens

    digest = hashlib.sha256()
    for module in (codec, lexicon, filters, index, live, live_field, tokens):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def _database(engine: Engine) -> str:
    """Which database (the URL without its password), hashed."""
    return hashlib.sha256(engine.url.render_as_string(hide_password=True).encode()).hexdigest()


def _created(session: Session, floor: dt.date) -> dict[str, str]:
    rows = session.execute(select(JobPosting.id, JobPosting.created_at).where(open_filter(floor)))
    return {posting_id: created.isoformat() if created else "" for posting_id, created in rows}


def load_index(session: Session, path: Path) -> bool:
    """Adopt the index saved at ``path`` for this session's database, if it is one of ours; its postings whose
    rows were created anew are marked changed. Returns whether a saved index was used."""
    engine = session.get_bind()
    if not isinstance(engine, Engine) or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            saved: dict[str, Any] = pickle.load(f)
    except Exception:  # an unreadable or truncated file is rebuilt, not trusted
        log.warning("岗位索引缓存 %s 无法读取，将重新建立", path)
        return False
    if (saved.get("format"), saved.get("version"), saved.get("code"), saved.get("database")) != (
        FORMAT, jiuye.__version__, _code(), _database(engine),
    ):  # fmt: skip
        return False
    floor: dt.date = saved["floor"]
    created = _created(session, floor)
    revisions = {
        posting_id: revision if created.get(posting_id) == saved["created"].get(posting_id) else -1
        for posting_id, revision in saved["revisions"].items()
    }
    adopt(engine, saved["index"], revisions, floor)
    return True


def save_index(session: Session, path: Path) -> None:
    """Write this database's index to ``path`` (atomically: a reader never sees half a file)."""
    engine = session.get_bind()
    if not isinstance(engine, Engine):
        return
    resident = resident_for(engine)
    if resident is None or resident.index is None or resident.floor is None:
        return
    created = _created(session, resident.floor)
    with resident.index.lock:
        saved = {
            "format": FORMAT, "version": jiuye.__version__, "code": _code(), "database": _database(engine),
            "floor": resident.floor, "revisions": dict(resident.revisions), "index": resident.index,
            "created": {i: created.get(i, "") for i in resident.revisions},
        }  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        with partial.open("wb") as f:
            pickle.dump(saved, f, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
