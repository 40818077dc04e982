"""What a case page shows beside the application itself: the engine's reasoning, the review so far,
the history from the audit trail. Read-only; every function takes the caller and scopes itself
through :func:`jiuye.service.casework.get_application`.

The engine's decision at submission is stored as its status, amount, ceiling, reasons and
provenance; the condition-by-condition trace is not. :func:`explain` reproduces it: the same
facts, measure, claimant, region and date give the same decision (the provenance's hashes say
whether the rules or parameters have changed since).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.calculator import evaluate
from jiuye.cases import ReviewStatus, review_status
from jiuye.engine.decision import Decision
from jiuye.engine.explain import decisions_of
from jiuye.errors import JiuyeError
from jiuye.policies.registry import get_measure
from jiuye.service.amounts import review_amount
from jiuye.service.auth import Caller
from jiuye.service.casework import Engine, get_application
from jiuye.service.models import Application, Approval, AuditEvent, User

__all__ = ["Step", "approvals_of", "explain", "history", "review_of"]


@dataclass(frozen=True)
class Step:
    """One event of the case's audit trail."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    detail: dict[str, Any]


def history(session: Session, caller: Caller, application_id: int) -> list[Step]:
    """The case's own events in the audit trail, oldest first (details hold masked values only)."""
    app = get_application(session, caller, application_id)
    query = (
        select(AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.detail)
        .where(AuditEvent.entity == "application", AuditEvent.entity_id == str(app.id))
        .order_by(AuditEvent.seq)
    )
    return [
        Step(seq, dt.datetime.fromisoformat(at.replace("Z", "+00:00")), actor, action, json.loads(detail))
        for seq, at, actor, action, detail in session.execute(query)
    ]


def approvals_of(session: Session, app: Application) -> list[tuple[str, dt.datetime, int]]:
    """This round's approvals: (reviewer's display name, when, round)."""
    query = (
        select(User.display_name, Approval.at, Approval.review_round)
        .join(User, User.id == Approval.reviewer_id)
        .where(Approval.application_id == app.id, Approval.review_round == app.review_round)
        .order_by(Approval.id)
    )
    return [(name, at, round_) for name, at, round_ in session.execute(query)]


def review_of(session: Session, app: Application) -> ReviewStatus | None:
    """Where tiered review stands (how many distinct reviewers the amount needs, how many approved);
    None when the recorded history breaks the rules (the service refuses the next approval then)."""
    query = select(Approval.reviewer_id).where(
        Approval.application_id == app.id, Approval.review_round == app.review_round
    )
    try:
        return review_status(
            amount_fen=review_amount(app),
            submitter=str(app.submitted_by) if app.submitted_by else None,
            handlers=[h for h in app.handlers.split(",") if h],
            approvals=[str(r) for r in session.scalars(query.order_by(Approval.id))],
        )
    except JiuyeError:
        return None


def explain(engine: Engine, app: Application) -> Decision | None:
    """The engine's decision at submission, with every line and condition (None before submission)."""
    if app.as_of_submitted is None:
        return None
    runs, used, _ = evaluate(
        engine.facts(app),
        as_of=app.as_of_submitted,
        region=app.region,
        params=engine.params,
        measures=[get_measure(app.measure_id)],
    )
    params = used.at(app.as_of_submitted)
    mine = [d for run in runs for d in decisions_of(run, params) if d.subject_id == app.claimant_ref]
    return mine[0] if mine else None
