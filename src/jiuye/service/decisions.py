"""The engine's two decisions on a claim, at submission and when the notice closes, in three phases.

A claim of thousands of persons takes the engine seconds. Holding the write transaction that
long (on SQLite, the one writer lock) would stall every other writer, so each decision is

1. *read*: one statement, outside any transaction (:func:`jiuye.service.db.read_committed`),
   reads the application with its subject, and the step is checked to be allowed now;
2. *evaluate*: the engine decides with no transaction and no lock held;
3. *apply*: a short write transaction reads the application again, refuses with a conflict if
   its version changed meanwhile (someone else moved or edited it), and applies the decision.

Approval still writes the grant items in the same transaction as the state change, so the
ledger's partial unique index refuses a second grant of the same item whatever the timing. The
single-session functions (:func:`submit`, :func:`close_notice`) run the three phases in the
caller's one transaction; the ``*_staged`` ones take a session factory and give each phase its own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from jiuye.cases import Action
from jiuye.engine.evaluate import ELIGIBLE
from jiuye.facts.model import Facts
from jiuye.policies.registry import get_measure
from jiuye.service.amounts import approved_amount, share_out
from jiuye.service.auth import Caller
from jiuye.service.casework import Engine, already_granted, audit, get_application, move, next_state
from jiuye.service.claimants import check_claimant
from jiuye.service.claims import Assessment
from jiuye.service.db import read_committed, transaction
from jiuye.service.deliveries import issue_document
from jiuye.service.errors import ConflictError, NotFoundError, StaleWriteError
from jiuye.service.funds import check_budget
from jiuye.service.models import IDENTITY_VERIFIED, Application, GrantItem, Subject
from jiuye.service.person_checks import check_people

__all__ = [
    "IdentityPendingError",
    "close_notice",
    "close_notice_staged",
    "require_verified",
    "stale",
    "submit",
    "submit_staged",
]

_Read = TypeVar("_Read")
_Done = TypeVar("_Done")
_Result = TypeVar("_Result")


class IdentityPendingError(ConflictError):
    code = "IDENTITY_PENDING"


def stale(application_id: int) -> StaleWriteError:
    msg = f"申请 {application_id} 在处理期间已被他人修改或办理（本次操作未生效）；提示：刷新后查看最新状态，需要时重试"
    return StaleWriteError(msg)


def require_verified(subject: Subject) -> None:
    """A subject that registered itself is checked by hand before any of its claims is approved or paid."""
    if subject.identity_status != IDENTITY_VERIFIED:
        msg = (
            f"申请对象 {subject.name}（{subject.number_masked}）的身份尚待人工核验，不能核准或发放；"
            "提示：由所在地经办人员核验身份后再办理"
        )
        raise IdentityPendingError(msg)


@dataclass(frozen=True)
class _Snapshot:
    """What the engine needs of an application, read in the short first transaction."""

    application_id: int
    version: int
    measure_id: str
    claimant_ref: str
    region: str
    facts_sealed: str
    subject: Subject  # detached after the read: only its columns are used


@dataclass(frozen=True)
class _Evaluated:
    facts: Facts
    assessment: Assessment


def _snapshot(session: Session, app: Application) -> _Snapshot:
    subject = session.get(Subject, app.subject_id)
    assert subject is not None  # a foreign key
    return _Snapshot(app.id, app.version, app.measure_id, app.claimant_ref, app.region, app.facts_sealed, subject)


def _evaluate(engine: Engine, snap: _Snapshot, today: dt.date) -> _Evaluated:
    """The engine's decision; touches no database. The claimant is re-checked against the facts."""
    facts = engine.unseal(snap.facts_sealed)
    check_claimant(facts, get_measure(snap.measure_id), snap.claimant_ref, snap.subject, engine.protector)
    return _Evaluated(facts, engine.decide(snap.measure_id, snap.claimant_ref, snap.region, today, facts))


def _unchanged(app: Application, snap: _Snapshot) -> Application:
    if app.version != snap.version:
        raise stale(app.id)
    return app


def _staged(
    sessions: sessionmaker[Session],
    read: Callable[[Session], _Read],
    evaluate: Callable[[_Read], _Done],
    apply: Callable[[Session, _Read, _Done], _Result],
) -> _Result:
    with read_committed(sessions) as session:  # one statement: the apply checks its version again
        snapshot = read(session)
    done = evaluate(snapshot)  # no transaction open: other writers go on
    with transaction(sessions) as session:
        return apply(session, snapshot, done)


# -- submission --------------------------------------------------------------------------------


def _read_submit(session: Session, caller: Caller, application_id: int) -> _Snapshot:
    app = get_application(session, caller, application_id)
    next_state(app, Action.SUBMIT, caller)  # refuse now, before the engine runs
    return _snapshot(session, app)


def _apply_submit(
    session: Session, engine: Engine, caller: Caller, snap: _Snapshot, done: _Evaluated, today: dt.date
) -> Application:
    app = _unchanged(get_application(session, caller, snap.application_id), snap)
    assessment = done.assessment
    taken = already_granted(session, assessment)  # reads first: the changes below are flushed once
    subject = session.get(Subject, app.subject_id)  # read with the application
    first = app.as_of_submitted is None  # never submitted: no people indexed yet
    move(session, app, Action.SUBMIT, caller)
    app.submitted_by = app.submitted_by or caller.user_id
    app.as_of_submitted, app.status_submitted = today, assessment.status
    app.amount_submitted_fen, app.ceiling_submitted_fen = assessment.amount_fen, assessment.ceiling_fen
    app.provenance_submitted = json.dumps(assessment.provenance, ensure_ascii=False)
    reasons = list(assessment.reasons)
    if taken:
        reasons.insert(0, f"其中 {taken} 项已享受过（一次性或互斥政策，已在发放台账中），不能重复申请")
    if subject is not None and subject.identity_status != IDENTITY_VERIFIED:
        reasons.insert(0, "申请对象身份待人工核验：核验前不能核准或发放")
    app.reasons = json.dumps(reasons, ensure_ascii=False)
    passed = assessment.status == ELIGIBLE and not taken
    move(session, app, Action.AUTO_CHECK_PASS if passed else Action.AUTO_CHECK_FAIL, None)
    check_people(session, app, done.facts, engine.protector, today, first=first)
    return app


def submit(session: Session, engine: Engine, caller: Caller, application_id: int, *, today: dt.date) -> Application:
    """Submit, then the automatic check: the engine's decision as of ``today``, and the ledger."""
    snap = _read_submit(session, caller, application_id)
    return _apply_submit(session, engine, caller, snap, _evaluate(engine, snap, today), today)


def submit_staged(
    sessions: sessionmaker[Session], engine: Engine, caller: Caller, application_id: int, *, today: dt.date
) -> Application:
    """:func:`submit` with the engine run between two short transactions (see the module's note)."""
    return _staged(
        sessions,
        lambda session: _read_submit(session, caller, application_id),
        lambda snap: _evaluate(engine, snap, today),
        lambda session, snap, done: _apply_submit(session, engine, caller, snap, done, today),
    )


# -- approval ----------------------------------------------------------------------------------


def _closable(session: Session, caller: Caller | None, application_id: int) -> Application:
    """The application with its subject, in one statement."""
    query = select(Application).join(Application.subject).options(contains_eager(Application.subject))
    app = session.scalar(query.where(Application.id == application_id))
    if app is None or (caller is not None and not caller.covers(app.region)):
        msg = f"申请 {application_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return app


def _notice_over(app: Application, today: dt.date) -> bool:
    return app.notice_last_day is not None and today > app.notice_last_day


def _read_close(session: Session, caller: Caller | None, application_id: int, today: dt.date) -> _Snapshot:
    app = _closable(session, caller, application_id)
    next_state(app, Action.CLOSE_NOTICE, caller, notice_over=_notice_over(app, today))
    snap = _snapshot(session, app)
    require_verified(snap.subject)
    return snap


def _apply_close(
    session: Session, caller: Caller | None, snap: _Snapshot, done: _Evaluated, today: dt.date
) -> Application:
    app = _unchanged(_closable(session, caller, snap.application_id), snap)
    subject = session.get(Subject, app.subject_id)
    assert subject is not None  # a foreign key
    require_verified(subject)
    move(session, app, Action.CLOSE_NOTICE, caller, notice_over=_notice_over(app, today))
    assessment = done.assessment
    if assessment.status != ELIGIBLE or not assessment.items:
        msg = f"核准时（{today.isoformat()}）重新计算不再符合条件：{'；'.join(assessment.reasons[:3])}"
        raise ConflictError(msg)
    approved = approved_amount(app, assessment)  # never a ceiling as cash (jiuye.service.amounts)
    app.as_of_approved, app.amount_approved_fen = today, approved
    app.provenance_approved = json.dumps(assessment.provenance, ensure_ascii=False)
    items = [
        {"application_id": app.id, "measure_id": app.measure_id, "ledger_key": item.ledger_key,
         "item_key": item.item_key, "period": item.period, "amount_fen": item.amount_fen, "status": "live"}
        for item in share_out(assessment.items, approved)
    ]  # fmt: skip
    try:
        check_budget(session, app, get_measure(app.measure_id).fund, approved)  # may flush the change below
        session.flush()  # the application's own change first: a lost race shows here
        session.execute(insert(GrantItem), items)  # one multi-row insert: a claim may hold thousands
    except IntegrityError:
        msg = "发放台账中已有同一事项的有效补贴（同一人员、同一期间或互斥政策）：不予重复核准"
        raise ConflictError(msg) from None
    except StaleDataError:  # another closing moved it between our read and our write
        raise stale(snap.application_id) from None
    detail = {"amount_fen": approved, "ceiling_fen": assessment.ceiling_fen, "items": len(assessment.items)}
    audit(session, caller, "application.granted", app, detail)
    issue_document(session, caller, app, today=today)  # no cash: the tax list, a notice, a record...
    return app


def close_notice(
    session: Session, engine: Engine, caller: Caller | None, application_id: int, *, today: dt.date
) -> Application:
    """After the notice: decide again as of ``today`` and grant, in this same transaction."""
    snap = _read_close(session, caller, application_id, today)
    return _apply_close(session, caller, snap, _evaluate(engine, snap, today), today)


def close_notice_staged(
    sessions: sessionmaker[Session], engine: Engine, caller: Caller | None, application_id: int, *, today: dt.date
) -> Application:
    """:func:`close_notice` with the engine run between two short transactions; the grant items are
    still written in the transaction that approves."""
    return _staged(
        sessions,
        lambda session: _read_close(session, caller, application_id, today),
        lambda snap: _evaluate(engine, snap, today),
        lambda session, snap, done: _apply_close(session, caller, snap, done, today),
    )
