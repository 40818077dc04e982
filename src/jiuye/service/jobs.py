"""Job postings in the database: imported from channels (already parsed and de-duplicated by
:mod:`jiuye.jobs`), merged with what is stored, read back as :class:`~jiuye.jobs.model.Posting`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jiuye.jobs.codec import posting_from_dict, posting_to_dict
from jiuye.jobs.dedup import deduplicate
from jiuye.jobs.intake import IntakeProgress, IntakeResult, import_postings
from jiuye.jobs.model import Posting
from jiuye.regions import prefix_of
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError
from jiuye.service.models import JobPosting
from jiuye.service.posting_index import note_change

__all__ = ["StoreReport", "import_posting_files", "postings_by_id", "store_postings"]

_IMPORTERS = ("caseworker", "admin")
_CHUNK = 500  # ids per IN (...) query: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class StoreReport:
    added: int
    updated: int
    unchanged: int


def store_postings(
    session: Session, caller: Caller, postings: Iterable[Posting], *, sources: dict[str, list[list[str]]] | None = None
) -> StoreReport:
    """Add new postings and update changed ones (a later import of the same posting wins);
    ``sources`` lists, per posting id, every (channel, id) it was seen on."""
    if caller.role not in _IMPORTERS:
        msg = f"角色 {caller.role} 不能导入岗位；提示：由经办人员导入"
        raise ForbiddenError(msg)
    added = updated = unchanged = 0
    postings = list(postings)
    ids = [p.id for p in postings]
    stored: dict[str, JobPosting] = {}
    for start in range(0, len(ids), _CHUNK):  # the rows already stored, a chunk of ids per query
        chunk = select(JobPosting).where(JobPosting.id.in_(ids[start : start + _CHUNK]))
        stored.update((row.id, row) for row in session.scalars(chunk))
    changed: list[tuple[Posting, int]] = []
    for posting in postings:
        payload = json.dumps(posting_to_dict(posting), ensure_ascii=False, sort_keys=True)
        seen = (sources or {}).get(posting.id) or [[posting.channel, posting.channel_id]]
        row = stored.get(posting.id)
        if row is None:
            row = JobPosting(id=posting.id, channels="[]", payload="", imported_by=caller.user_id, revision=1)
            stored[posting.id] = row
            session.add(row)
            added += 1
            changed.append((posting_from_dict(json.loads(payload)), 1))
        elif row.payload == payload:
            unchanged += 1
        else:
            updated += 1
            row.revision = (row.revision or 1) + 1
            changed.append((posting_from_dict(json.loads(payload)), row.revision))
        channels = json.loads(row.channels)
        channels += [c for c in seen if c not in channels]
        row.channels = json.dumps(channels, ensure_ascii=False)
        row.title, row.employer, row.region = posting.title[:200], posting.employer[:200], posting.region
        row.occupation_code, row.open_on, row.close_on, row.payload = (
            posting.occupation_code, posting.open_on, posting.close_on, payload,
        )  # fmt: skip
    session.flush()
    note_change(session, changed)  # the resident index takes them once the transaction commits
    detail = {"added": added, "updated": updated, "unchanged": unchanged}
    record(session, actor=caller.username, action="jobs.import", entity="job_postings", entity_id="*", detail=detail)
    return StoreReport(added, updated, unchanged)


def postings_by_id(
    session: Session, *, today: dt.date | None = None, region: str | None = None, ids: Sequence[str] | None = None
) -> dict[str, Posting]:
    """Stored postings (open on ``today`` if given; within ``region`` if given; among ``ids`` if given), by id."""
    if ids is not None:
        found: dict[str, Posting] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            found.update(_postings(session, today=today, region=region, only=chunk))
        return found
    return _postings(session, today=today, region=region)


def _postings(
    session: Session, *, today: dt.date | None, region: str | None, only: Sequence[str] | None = None
) -> dict[str, Posting]:
    query = select(JobPosting.payload)
    if only is not None:
        query = query.where(JobPosting.id.in_(only))
    if today is not None:
        query = query.where(or_(JobPosting.close_on.is_(None), JobPosting.close_on >= today))
        query = query.where(or_(JobPosting.open_on.is_(None), JobPosting.open_on <= today))
    if region is not None:
        query = query.where(JobPosting.region.startswith(prefix_of(region)))
    postings = (posting_from_dict(json.loads(payload)) for payload in session.scalars(query.order_by(JobPosting.id)))
    return {p.id: p for p in postings}


def import_posting_files(
    session: Session,
    caller: Caller,
    paths: Sequence[Path],
    *,
    channel: str,
    strict: bool = False,
    reference: dt.date | None = None,
    progress: IntakeProgress | None = None,
) -> tuple[IntakeResult, StoreReport]:
    """Read posting files of one channel, merge them with what is stored (the same vacancy from
    another channel joins the stored posting, which keeps its id: pushes refer to it) and store.
    ``progress`` (optional) is told each step: reading and coding rows, comparing, storing."""
    result = import_postings(paths, channel, strict=strict, reference=reference, progress=progress)
    if progress is not None:  # before the first query: a report may be a write of its own (SQLite: one writer)
        progress(result.rows, result.rows, f"已解析 {result.rows:,} 行，正在与已存岗位比对、跨渠道去重并保存")
    stored = postings_by_id(session)
    fresh = [p for p in result.postings if p.id not in stored]
    changed = [p for p in result.postings if p.id in stored]
    merged: list[Posting] = list(changed)
    sources: dict[str, list[list[str]]] = {}
    for cluster in deduplicate([*stored.values(), *fresh]):
        if not any(p.id not in stored for p in cluster.members):
            continue  # nothing new in it
        keep = next((p.id for p in cluster.members if p.id in stored), cluster.canonical.id)
        merged.append(replace(cluster.canonical, id=keep))
        sources[keep] = [list(s) for s in cluster.sources]
    return result, store_postings(session, caller, merged, sources=sources)
