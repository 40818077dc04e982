"""What every step of a case shares: the engine, moving a case through its states, finding it, the ledger."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, contains_eager

from jiuye.cases import Action, Role, State, transition
from jiuye.engine.provenance import facts_hash
from jiuye.facts import facts_from_data
from jiuye.facts.model import Facts
from jiuye.params import ParameterSet
from jiuye.policies.registry import get_measure
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.claims import Assessment, assess
from jiuye.service.decision_memo import DEFAULT_SIZE, DecisionKey, DecisionMemo, ParameterState
from jiuye.service.errors import NotFoundError
from jiuye.service.models import IDENTITY_VERIFIED, Application, GrantItem, Subject
from jiuye.service.protect import Protector
from jiuye.service.settings import DEFAULT_MAX_CLAIM_PERSONS

__all__ = ["Engine", "already_granted", "audit", "get_application", "move"]


class Engine:
    """What the service needs of the rule engine: parameters, the identifier protector, the claim size bound.

    One engine serves every request of the service, from any thread: its parameters are loaded
    once (replaced as a whole when local parameter files change, see :attr:`params`) and its
    decisions are memoised by everything that determines them (:mod:`jiuye.service.decision_memo`).
    """

    def __init__(
        self,
        params: ParameterSet,
        protector: Protector,
        *,
        max_persons: int = DEFAULT_MAX_CLAIM_PERSONS,
        memo_size: int = DEFAULT_SIZE,
    ) -> None:
        self.memo_size = memo_size
        self._state = ParameterState.of(params, memo_size)
        self.protector = protector
        self.max_persons = max_persons

    @property
    def params(self) -> ParameterSet:
        return self._state.params

    @params.setter
    def params(self, params: ParameterSet) -> None:
        """A new set (an upload of local parameter files): a new digest and an empty memo, in one
        assignment; requests already evaluating under the old set keep their own state."""
        self._state = ParameterState.of(params, self.memo_size)

    @property
    def memo(self) -> DecisionMemo:
        return self._state.memo

    def facts(self, application: Application) -> Facts:
        return self.unseal(application.facts_sealed)

    def unseal(self, facts_sealed: str) -> Facts:
        return facts_from_data(json.loads(self.protector.unseal(facts_sealed)))

    def assess(self, application: Application, as_of: dt.date, facts: Facts | None = None) -> Assessment:
        """The engine's decision on ``application`` as of ``as_of`` (``facts``: already unsealed)."""
        return self.decide(
            application.measure_id, application.claimant_ref, application.region, as_of,
            facts or self.facts(application),
        )  # fmt: skip

    def decide(self, measure_id: str, claimant_ref: str, region: str, as_of: dt.date, facts: Facts) -> Assessment:
        state = self._state  # one read: the parameters, their digest and memo belong together
        digest = facts_hash(facts)
        key = DecisionKey.of(measure_id, claimant_ref, region, as_of, digest, state.digest)
        found = state.memo.get(key)
        if found is not None:
            return found
        assessment = assess(
            facts,
            get_measure(measure_id),
            claimant_ref,
            as_of=as_of,
            region=region,
            params=state.params,
            protector=self.protector,
            facts_digest=digest,
        )
        state.memo.put(key, assessment)
        return assessment


def audit(session: Session, caller: Caller | None, action: str, app: Application, detail: dict[str, Any]) -> None:
    actor = caller.username if caller else "system"
    record(session, actor=actor, action=action, entity="application", entity_id=app.id, detail=detail)


def next_state(app: Application, action: Action, caller: Caller | None, **guards: bool) -> tuple[State, State]:
    """The state ``action`` would lead to (raises if the caller may not take it now); changes nothing."""
    role = Role(caller.role) if caller else Role.SYSTEM
    own = caller is not None and caller.subject_id == app.subject_id
    before = State(app.state)
    return before, transition(before, action, role=role, own=own, **guards)


def move(session: Session, app: Application, action: Action, caller: Caller | None, **guards: bool) -> None:
    before, after = next_state(app, action, caller, **guards)
    app.state = after.value
    audit(session, caller, f"application.{action.value}", app, {"from": before.value, "to": after.value})


def claimant_sees(caller: Caller) -> ColumnElement[bool]:
    """The applications a claimant account sees: its subject's, but while that subject's identity
    is pending only those it filed itself. A case the bureau opened (from its registry, or at the
    window) is not shown to, nor withdrawn by, an account whose claim to the number is unchecked."""
    verified = (
        select(Subject.id)
        .where(Subject.id == Application.subject_id, Subject.identity_status == IDENTITY_VERIFIED)
        .correlate_except(Subject)  # its own subjects, even where the query joins them too
        .exists()
    )
    return and_(Application.subject_id == (caller.subject_id or -1),
                or_(Application.submitted_by == caller.user_id, verified))  # fmt: skip


def get_application(session: Session, caller: Caller, application_id: int) -> Application:
    """The application if the caller may see it, read in one statement with its subject (which
    the steps need next: :meth:`Session.get` then finds it without asking the database)."""
    query = (
        select(Application)
        .join(Application.subject)
        .options(contains_eager(Application.subject))
        .where(Application.id == application_id)
    )
    app, own = None, False
    if caller.is_staff:
        app = session.scalar(query)
    else:  # whether a claimant sees it, answered by the same statement
        row = session.execute(query.add_columns(claimant_sees(caller))).first()
        if row is not None:
            app, own = row[0], bool(row[1])
    if app is None or not (caller.covers(app.region) or own):
        msg = f"申请 {application_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return app


def already_granted(session: Session, assessment: Assessment) -> int:
    """How many of the assessment's items the ledger already holds live (a chunk of keys a query)."""
    wanted = {(i.ledger_key, i.item_key, i.period) for i in assessment.items}
    keys = sorted({i.item_key for i in assessment.items})
    ledgers = sorted({i.ledger_key for i in assessment.items})  # one, in practice: the index's first column
    found = 0
    for start in range(0, len(keys), 500):
        rows = session.execute(
            select(GrantItem.ledger_key, GrantItem.item_key, GrantItem.period).where(
                GrantItem.status == "live",
                GrantItem.ledger_key.in_(ledgers),
                GrantItem.item_key.in_(keys[start : start + 500]),
            )
        )
        found += sum(1 for row in rows if tuple(row) in wanted)
    return found
