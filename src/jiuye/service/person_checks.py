"""Fund-safety checks about people across applications and regions (桂人社发〔2025〕38号（二十二）:
严防骗取套取、虚报冒领).

Each submission indexes what its facts say about people (:class:`ClaimPerson`, blind-indexed
ID numbers): registered unemployed over a period, or employed and insured from a date. Three
checks compare those statements across every application of the deployment, whatever region:

* **unemployed while insured** (flag, at submission): one claim says a person was registered
  unemployed while another (or the same) says an employer was paying their social insurance;
* **left right after the subsidy** (post-payment): a hire paid for moved to another employer,
  separated, or registered unemployed again within ``LEFT_AFTER_PAYMENT_DAYS`` of the payment;
* **paid in two regions** (blocking, before payment): a person already paid (or being paid)
  under the same ledger key in another region.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row, delete, insert, select
from sqlalchemy.orm import Session, aliased

from jiuye.facts.model import Facts
from jiuye.policies.registry import get_measure
from jiuye.service.models import LIVE_PAYMENT, Application, ClaimPerson, GrantItem, Payment, PaymentBatch, SafetyHit
from jiuye.service.protect import Protector
from jiuye.service.safety import record_hit

__all__ = [
    "LEFT_AFTER_PAYMENT_DAYS",
    "check_people",
    "departure_hits",
    "index_people",
    "other_region_hit",
    "unemployed_while_insured_hits",
]

#: Named assumption (a local setting; the documents set no figure): a subsidised hire who moves
#: on, separates or registers unemployed again within this many days of the payment is checked.
LEFT_AFTER_PAYMENT_DAYS = 90


def index_people(
    session: Session, app: Application, facts: Facts, protector: Protector, today: dt.date, *, first: bool = False
) -> set[str]:
    """Replace what ``app`` says about people (at each submission; facts may have been corrected):
    every person it names, their unemployment registrations and their jobs. Returns the people
    (blind indexes). Written in one multi-row insert: a claim may name thousands. ``first``: its
    first submission, so nothing to replace (rows are written only with ``as_of_submitted``)."""
    if not first:
        session.execute(delete(ClaimPerson).where(ClaimPerson.application_id == app.id))
    index = {p.id: protector.blind_index("id_number", p.id_number) for p in facts.persons if p.id_number}
    employers = {e.id: e.uscc for e in facts.employers if e.uscc}
    rows: list[dict[str, Any]] = [
        {"person_index": person, "role": "named", "start": today} for person in sorted(set(index.values()))
    ]
    for person in facts.persons:
        if person.id in index and person.unemployment_registered_on:
            rows.append(
                {
                    "person_index": index[person.id],
                    "role": "unemployed",
                    "start": person.unemployment_registered_on,
                    "end": person.unemployment_registration_ended_on,
                }
            )
        if person.id in index and person.registered_unemployed_since:
            # A stated registration counts like a dated one: stating it cannot dodge the checks.
            since = person.registered_unemployed_since
            rows.append({"person_index": index[person.id], "role": "unemployed", "start": since, "end": None})
    for job in facts.employments:
        if job.person not in index:
            continue
        insured = any((job.months_paid_ui, job.months_paid_pension, job.months_paid_injury, job.months_paid_medical))
        uscc = employers.get(job.employer)
        rows.append(
            {
                "person_index": index[job.person],
                "role": "employed",
                "start": job.hire_date,
                "end": job.separation_date,
                "employer_index": protector.blind_index("uscc", uscc) if uscc else None,
                "insured": bool(insured),
            }
        )
    columns = ("person_index", "role", "start", "end", "employer_index", "insured")
    fixed = {"application_id": app.id, "region": app.region}
    filled = [{c: row.get(c) for c in columns} | {"insured": bool(row.get("insured"))} | fixed for row in rows]
    if filled:  # render_nulls: one statement, not one per set of filled columns
        session.execute(insert(ClaimPerson).execution_options(render_nulls=True), filled)
    return set(index.values())


def check_people(
    session: Session, app: Application, facts: Facts, protector: Protector, today: dt.date, *, first: bool = False
) -> None:
    """What a new or resubmitted case says about people (``first``: see :func:`index_people`):
    indexed, then checked against every other application (unemployed while insured: flag) and
    against grants already paid (left soon after)."""
    people = index_people(session, app, facts, protector, today, first=first)
    others = _others(session, people)  # read once for both checks
    unemployed_while_insured_hits(session, app, people, others)
    departure_hits(session, people, others)


def _overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Half-open periods [start, end) overlap; an open end runs on."""
    return (a_end is None or b_start < a_end) and (b_end is None or a_start < b_end)


_Others = dict[str, list[Row[*tuple[Any, ...]]]]  # what live applications say of each person
_STATEMENT = (ClaimPerson.application_id, ClaimPerson.person_index, ClaimPerson.role, ClaimPerson.start,
              ClaimPerson.end, ClaimPerson.employer_index, ClaimPerson.insured)  # fmt: skip


def _others(session: Session, person_indexes: set[str]) -> _Others:
    """What every live application says about each of these people, a chunk of people a query
    (a claim of thousands of persons must not cost a query per person in its write transaction)."""
    live = select(Application.id).where(Application.state.not_in(("withdrawn", "rejected")))
    found: _Others = {p: [] for p in person_indexes}
    wanted = sorted(person_indexes)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(*_STATEMENT).where(ClaimPerson.person_index.in_(chunk), ClaimPerson.application_id.in_(live))
        for row in session.execute(query.order_by(ClaimPerson.id)):  # plain rows: no objects to build
            found[row.person_index].append(row)
    return found


def unemployed_while_insured_hits(
    session: Session, app: Application, people: set[str] | None = None, others: _Others | None = None
) -> list[SafetyHit]:
    """Flag ``app`` where a person it names was registered unemployed while insured by an employer
    (``people``: those it names, and ``others``: what is said of them, when already read)."""
    hits = []
    if people is None:
        people = set(session.scalars(select(ClaimPerson.person_index).where(ClaimPerson.application_id == app.id)))
    for person, rows in (others if others is not None else _others(session, people)).items():
        for idle in (r for r in rows if r.role == "unemployed"):
            for job in (r for r in rows if r.role == "employed" and r.insured):
                if app.id not in (idle.application_id, job.application_id):
                    continue
                if not _overlap(idle.start, idle.end, job.start, job.end):
                    continue
                evidence = {
                    "说明": "同一人员在失业登记期间有单位为其缴纳社会保险",
                    "失业登记": f"{idle.start}～{idle.end or '未注销'}（申请 {idle.application_id}）",
                    "参保就业": f"{job.start}～{job.end or '在职'}（申请 {job.application_id}）",
                }
                key = f"unemployed_insured:{idle.application_id}:{job.application_id}:{person[:12]}"
                hits.append(
                    record_hit(session, app, rule="unemployed_insured", mode="flag", key=key, evidence=evidence)
                )
    return hits


def _paid_on(session: Session, application_id: int) -> dt.date | None:
    query = (
        select(PaymentBatch.pay_date)
        .join(Payment, Payment.batch_id == PaymentBatch.id)
        .where(Payment.application_id == application_id, Payment.status == "paid")
    )
    return session.scalar(query)


def departure_hits(session: Session, person_indexes: set[str], others: _Others | None = None) -> list[SafetyHit]:
    """Post-payment: paid hires of these people who left soon after the payment, by what any
    application says (a new employer, a separation date, a new unemployment registration)."""
    hits = []
    for person, rows in (others if others is not None else _others(session, person_indexes)).items():
        for job in (r for r in rows if r.role == "employed"):
            paid = session.get(Application, job.application_id)
            paid_on = _paid_on(session, job.application_id) if paid and paid.state == "paid" else None
            if paid is None or paid_on is None:
                continue
            horizon = paid_on + dt.timedelta(days=LEFT_AFTER_PAYMENT_DAYS)
            for later in rows:
                moved = (
                    later.role == "employed" and later.employer_index != job.employer_index and job.start < later.start
                )
                separated = later.role == "employed" and later.employer_index == job.employer_index and later.end
                registered = later.role == "unemployed" and job.start < later.start
                when = later.end if separated else later.start if (moved or registered) else None
                if when is None or when > horizon:
                    continue
                what = "到其他单位就业" if moved else "从该单位离职" if separated else "重新办理失业登记"
                evidence = {
                    "说明": f"享受补贴的人员在发放后 {LEFT_AFTER_PAYMENT_DAYS} 天内{what}",
                    "发放日": paid_on.isoformat(),
                    "发生日": when.isoformat(),
                    "依据申请": later.application_id,
                }
                key = f"left_after_subsidy:{job.application_id}:{later.application_id}:{person[:12]}"
                hits.append(
                    record_hit(session, paid, rule="left_after_subsidy", mode="post", key=key, evidence=evidence)
                )
    return hits


def other_region_hit(session: Session, app: Application) -> SafetyHit | None:
    """Blocking, for measures paid for a person: a person named in ``app`` is paid (or being paid)
    in another region under one of its ledger keys. Returns the hit unless a person has cleared it."""
    if get_measure(app.measure_id).beneficiary != "person":
        return None  # employer-side subsidies for the same person in two places are two employers' claims
    theirs = aliased(ClaimPerson)
    mine_keys = select(GrantItem.ledger_key).where(GrantItem.application_id == app.id, GrantItem.status == "live")
    query = (
        select(theirs.application_id, Application.region)
        .join(ClaimPerson, ClaimPerson.person_index == theirs.person_index)
        .join(Application, Application.id == theirs.application_id)
        .join(GrantItem, GrantItem.application_id == theirs.application_id)
        .join(Payment, Payment.application_id == theirs.application_id)
        .where(ClaimPerson.application_id == app.id, ClaimPerson.role == "named", theirs.role == "named")
        .where(Application.region != app.region)
        .where(GrantItem.status == "live", GrantItem.ledger_key.in_(mine_keys), Payment.status.in_(LIVE_PAYMENT))
    )
    found = session.execute(query.limit(1)).first()
    if found is None:
        return None
    other_app, other_region = found
    evidence = {
        "说明": "同一人员同一事项已在其他地区发放（或正在发放）",
        "其他地区": other_region,
        "其他申请": other_app,
    }
    key = f"other_region:{app.id}:{other_app}"
    hit = record_hit(session, app, rule="other_region", mode="blocking", key=key, evidence=evidence)
    return None if hit.disposition == "cleared" else hit
