"""The public notice board (公示): applications in their notice period, as anyone may see them.

No caller: the board is public, so what leaves here is only what a notice shows. An enterprise's
name is public (it is in the business register and is what a 公示 names); a person's name is
masked to its first and last characters (张*丰) and every identity number to its first and last
four characters, from the masked copy stored at registration (the clear number is never read).
Phone numbers, bank accounts and the facts are not read at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from jiuye.cases import State, notice_period
from jiuye.cases._settings import read_settings
from jiuye.policies.registry import all_measures
from jiuye.regions import prefix_of, region_name
from jiuye.service.amounts import review_amount
from jiuye.service.models import Application, ClaimPerson, Subject

__all__ = ["BoardEntry", "Objections", "board", "count", "mask_name", "objections", "regions"]


def mask_name(name: str) -> str:
    """A person's name on a public list: the first and last characters kept.

    >>> mask_name("张三"), mask_name("张三丰"), mask_name("欧阳娜娜"), mask_name("王")
    ('张*', '张*丰', '欧**娜', '*')
    """
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True)
class BoardEntry:
    notice_no: int  # the application's number: what an objection names
    measure_id: str
    measure_title: str
    beneficiary: str  # masked for a person
    kind: str  # person | enterprise
    number: str  # masked
    region: str
    region_name: str
    persons: int  # people the claim names (hires, trainees): a count, never who
    amount_fen: int
    amount_is_ceiling: bool  # only the policy's ceiling is known: the amount is set within it
    published: dt.date
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class Objections:
    to: str
    how: str
    by_when: str
    effect: str
    assumption: str
    document: str
    clause: str
    quote: str


@cache
def objections() -> Objections:
    """How to object, from the notice rules (``jiuye/cases/notice.yaml``: named assumptions)."""
    data, _origin = read_settings("notice.yaml")
    raw = data["objections"]
    cite = raw.get("cite") or {}
    return Objections(
        str(raw["to"]), str(raw["how"]), str(raw["by_when"]), str(raw["effect"]), str(raw["assumption"]),
        str(cite.get("document", "")), str(cite.get("clause", "")), str(cite.get("quote", "")),
    )  # fmt: skip


def _titles() -> dict[str, str]:
    return {m.id: m.title for m in all_measures()}


def _where(region: str | None) -> list[ColumnElement[bool]]:
    where = [Application.state == State.PUBLIC_NOTICE.value, Application.notice_published.is_not(None)]
    if region:
        where.append(Application.region.startswith(prefix_of(region)))
    return where


def count(session: Session, *, region: str | None = None) -> int:
    """How many applications are in their notice now (in ``region`` if given)."""
    return session.scalar(select(func.count()).select_from(Application).where(*_where(region))) or 0


def regions(session: Session) -> list[str]:
    """The regions (codes) with an application in notice now: the board's region choices."""
    query = select(Application.region).where(*_where(None)).distinct().order_by(Application.region)
    return list(session.scalars(query))


def board(session: Session, *, region: str | None = None, limit: int = 20, offset: int = 0) -> list[BoardEntry]:
    """Applications in notice now, newest notice first, in ``region`` if given: only what a notice shows."""
    where = _where(region)
    query = (
        select(Application, Subject.kind, Subject.name, Subject.number_masked)
        .join(Subject, Subject.id == Application.subject_id)
        .where(*where)
        .order_by(Application.notice_published.desc(), Application.id.desc())
        .limit(min(limit, 200))
        .offset(offset)
    )
    rows = session.execute(query).all()
    counts = _person_counts(session, [app.id for app, *_ in rows])
    titles = _titles()
    entries = []
    for app, kind, name, number_masked in rows:
        published = app.notice_published
        assert published is not None  # filtered above
        period = notice_period(published)
        entries.append(
            BoardEntry(
                notice_no=app.id,
                measure_id=app.measure_id,
                measure_title=titles.get(app.measure_id, app.measure_id),
                beneficiary=name if kind == "enterprise" else mask_name(name),
                kind=kind,
                number=number_masked,
                region=app.region,
                region_name=region_name(app.region),
                persons=counts.get(app.id, 0),
                amount_fen=review_amount(app),
                amount_is_ceiling=app.amount_set_fen is None and app.amount_submitted_fen is None,
                published=published,
                first_day=period.first_day,
                last_day=app.notice_last_day or period.last_day,
            )
        )
    return entries


def _person_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    query = (
        select(ClaimPerson.application_id, func.count(func.distinct(ClaimPerson.person_index)))
        .where(ClaimPerson.application_id.in_(ids))
        .group_by(ClaimPerson.application_id)
    )
    return {app_id: int(n) for app_id, n in session.execute(query).all()}
