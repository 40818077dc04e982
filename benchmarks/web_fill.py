"""Fill a database with N cases in mixed states, fast but valid (for web_pages.py).

Rows are written in bulk through the models, as the service writes them: enterprises registered
with their number under the blind index, sealed and masked; applications with sealed facts the
engine evaluates (one hire each, the enterprise's own code as its beneficiary; every fifth case
the demo enterprise's, for the claimant's own pages), the decision's
status, amount and provenance; approvals and notice dates where the state has them; and the audit
trail's events for every step (create, submit, automatic check, accept, approve, notice...),
HMAC-chained exactly as :func:`jiuye.service.audit.record` chains them (``jiuye audit verify``
passes on the result).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from stdnum.cn import ric, uscc

from jiuye.cases import notice_period
from jiuye.facts import facts_from_data
from jiuye.identifiers import mask_id
from jiuye.service.audit import _canonical, keyed_hash
from jiuye.service.casework import Engine
from jiuye.service.models import Application, Approval, AuditEvent, AuditHead, Subject, User

__all__ = ["Chain", "fill"]

SUBMITTED = dt.date(2025, 6, 2)
#: state → share of the cases, and the steps of the audit trail that brought it there
_STATES: dict[str, tuple[int, tuple[tuple[str, str, str], ...]]] = {
    "auto_checked": (25, (("submit", "draft", "submitted"), ("auto_check_pass", "submitted", "auto_checked"))),
    "in_review": (20, (("accept", "auto_checked", "in_review"),)),
    "public_notice": (15, (("approve", "in_review", "in_review"), ("start_notice", "in_review", "public_notice"))),
    "approved": (10, (("close_notice", "public_notice", "approved"),)),
    "paid": (10, (("mark_paid", "approved", "paid"),)),
    "returned": (10, (("auto_check_fail", "submitted", "returned"),)),
    "rejected": (5, (("reject", "in_review", "rejected"),)),
    "withdrawn": (5, (("withdraw", "auto_checked", "withdrawn"),)),
}
_ORDER = ("auto_checked", "in_review", "public_notice", "approved", "paid")


def _steps(state: str) -> list[tuple[str, str, str]]:
    """The audit steps of a case now in ``state`` (the main line up to it, or a side exit)."""
    main = [step for s in _ORDER for step in _STATES[s][1]]
    if state in _ORDER:
        upto = sum(len(_STATES[s][1]) for s in _ORDER[: _ORDER.index(state) + 1])
        return main[:upto]
    if state == "returned":
        return [main[0], *_STATES["returned"][1]]
    if state == "rejected":
        return [*main[:3], *_STATES["rejected"][1]]
    return [*main[:2], *_STATES["withdrawn"][1]]


def _facts(code: str, person: str) -> dict[str, Any]:
    return {
        "employers": [{"id": "E1", "uscc": code, "kind": "enterprise", "region": "450103"}],
        "persons": [{"id": "P1", "id_number": person, "unemployment_registered_on": "2025-01-10",
                     "unemployment_registration_ended_on": "2025-03-01"}],
        "employments": [{"person": "P1", "employer": "E1", "hire_date": "2025-03-01", "labour_contract": True,
                         "months_paid_ui": 10, "months_paid_injury": 10, "months_paid_pension": 10}],
    }  # fmt: skip


class Chain:
    """Audit events appended in memory, linked as ``record`` links them, written in one batch
    (stamped a second apart from ``start``: later than any event already in the trail)."""

    def __init__(self, session: Session, key: bytes, start: dt.datetime) -> None:
        self.head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
        self.seq, self.hash, self.key, self.rows = self.head.seq, self.head.hash, key, []  # type: ignore[var-annotated]
        self.clock = start

    def add(self, actor: str, action: str, entity_id: int, detail: dict[str, Any], entity: str = "application") -> None:
        self.clock += dt.timedelta(seconds=1)
        seq = self.seq + 1
        fields: dict[str, Any] = {
            "seq": seq, "at": self.clock.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "actor": actor,
            "action": action, "entity": entity, "entity_id": str(entity_id), "detail": _canonical(detail),
        }  # fmt: skip
        digest = keyed_hash(self.key, self.hash, fields)
        self.rows.append({**fields, "prev_hash": self.hash, "hash": digest})
        self.seq, self.hash = seq, digest

    def write(self, session: Session) -> None:
        for start in range(0, len(self.rows), 5000):
            session.execute(insert(AuditEvent), self.rows[start : start + 5000])
        self.head.seq, self.head.hash, self.rows = self.seq, self.hash, []


def fill(session: Session, engine: Engine, audit_key: bytes, cases: int, *, seed: int = 7) -> dict[str, int]:
    """``cases`` applications of gx.expansion: every fifth one the demo enterprise's (the claimant
    ``qiye``: 2,000 of 10,000, for its own list), the others over ``cases // 5`` enterprises (a
    tenth of them in the neighbouring district 450105); returns how many per state."""
    rng = random.Random(seed)
    users = {u.username: u.id for u in session.scalars(select(User))}
    own = session.execute(select(Subject).where(Subject.id == select(User.subject_id).where(User.username == "qiye")
                                                .scalar_subquery())).scalar_one()  # fmt: skip
    own_row = {"region": own.region, "number_sealed": own.number_sealed}
    firms = max(1, cases // 5)
    subjects = []
    for i in range(firms):
        first17 = f"914501030{i:08d}"
        code = first17 + uscc.calc_check_digit(first17)
        region = "450105" if i % 10 == 9 else "450103"
        subjects.append({
            "kind": "enterprise", "name": f"南宁基准测试{i:05d}有限公司", "region": region,
            "number_index": engine.protector.blind_index("uscc", code), "number_sealed": engine.protector.seal(code),
            "number_masked": mask_id(code), "identity_status": "verified",
        })  # fmt: skip
    session.execute(insert(Subject), subjects)
    ids = list(session.scalars(select(Subject.id).where(Subject.name.like("南宁基准测试%")).order_by(Subject.id)))
    ids.append(own.id)
    subjects.append(own_row)
    first = _facts(engine.protector.unseal(subjects[0]["number_sealed"]), _person(0))
    template = engine.decide("gx.expansion", "E1", "450103", SUBMITTED, facts_from_data(first))
    provenance = json.dumps(template.provenance, ensure_ascii=False)
    period = notice_period(SUBMITTED + dt.timedelta(days=3))
    weights = [w for w, _ in _STATES.values()]
    rows, plan = [], []
    for n in range(cases):
        firm = firms if n % 5 == 0 else n % firms  # ``firms`` indexes the demo enterprise, appended last
        state = rng.choices(list(_STATES), weights)[0]
        code = engine.protector.unseal(subjects[firm]["number_sealed"])
        person = _person(n)
        noticed = state in ("public_notice", "approved", "paid")
        rows.append({
            "measure_id": "gx.expansion", "subject_id": ids[firm], "region": subjects[firm]["region"], "state": state,
            "source": "proactive" if n % 10 == 3 else "self", "claimant_ref": "E1",
            "facts_sealed": engine.protector.seal(json.dumps(_facts(code, person), ensure_ascii=False)),
            "submitted_by": None if n % 10 == 3 else users["qiye"],
            "filed_as": None if n % 10 == 3 else "enterprise",
            "handlers": str(users["clerk"]) if state not in ("auto_checked", "returned", "withdrawn") else "",
            "review_round": 1, "as_of_submitted": SUBMITTED + dt.timedelta(days=n % 120),
            "status_submitted": "eligible", "amount_submitted_fen": template.amount_fen,
            "reasons": json.dumps(template.reasons, ensure_ascii=False), "provenance_submitted": provenance,
            "notice_published": period.published if noticed else None,
            "notice_last_day": period.last_day if noticed else None,
            "amount_approved_fen": template.amount_fen if state in ("approved", "paid") else None,
            "as_of_approved": period.last_day + dt.timedelta(days=1) if state in ("approved", "paid") else None,
            "version": 1,
        })  # fmt: skip
        plan.append(state)
    for start in range(0, len(rows), 2000):
        session.execute(insert(Application), rows[start : start + 2000])
    app_ids = list(
        session.scalars(select(Application.id).where(Application.subject_id.in_(ids)).order_by(Application.id))
    )
    chain = Chain(session, audit_key, dt.datetime(2025, 6, 2, 1, 0, tzinfo=dt.UTC))
    approvals = []
    for app_id, state in zip(app_ids, plan, strict=True):
        chain.add("qiye", "application.create", app_id, {"measure": "gx.expansion", "filed_as": "enterprise"})
        for action, before, after in _steps(state):
            actor = {"accept": "clerk", "approve": "reviewer1", "reject": "reviewer1", "mark_paid": "finance"}
            who = actor.get(action, "system" if action.startswith(("auto", "close")) else "qiye")
            chain.add(who, f"application.{action}", app_id, {"from": before, "to": after})
        if state in ("public_notice", "approved", "paid"):
            approvals.append({"application_id": app_id, "review_round": 1, "reviewer_id": users["reviewer1"]})
    chain.write(session)
    if approvals:
        session.execute(insert(Approval), approvals)
    return {state: plan.count(state) for state in _STATES}


def _person(n: int) -> str:
    """A unique 公民身份号码 per case (born in May 2003, 21 when hired), for up to 28,000 cases."""
    first17 = f"450103200305{1 + n // 1000:02d}{n % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")
