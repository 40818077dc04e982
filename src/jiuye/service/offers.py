"""政策找我: the proactive cases (免申即享) the bureau opened for a claimant's subject, and the
claimant's one-click confirmation with the account of theirs to be paid into.

Confirmation is **not** a guard on approval. 免申即享 means the bureau acts on its own registry
without waiting for an application (桂人社发〔2025〕38号（十三）"主动发现……及时落实"; the
Guangxi plan's "直补快办"): many beneficiaries have no online account, and a case must not stall
because one was never opened. What the confirmation does: it records, audited, that the
beneficiary knows of the grant and chose the account, and the payment run then pays into that
account (:func:`confirmed_account`) rather than the latest one on file. An unconfirmed case is
paid into the account in force on the pay day, as every other case.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases import State
from jiuye.service.auth import Caller
from jiuye.service.casework import audit, claimant_sees, get_application
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.models import Application, BankAccount

__all__ = ["CONFIRMABLE_STATES", "confirm_offer", "confirmed_account", "list_offers", "subject_accounts"]

#: A proactive case may be confirmed until it is decided (paid, rejected, withdrawn: too late).
CONFIRMABLE_STATES = frozenset({State.AUTO_CHECKED, State.IN_REVIEW, State.PUBLIC_NOTICE, State.APPROVED})


def _claimant(caller: Caller) -> None:
    if caller.role not in ("enterprise", "individual") or caller.subject_id is None:
        msg = "“政策找我”仅供单位和个人账号使用"
        raise ForbiddenError(msg)


def list_offers(session: Session, caller: Caller, *, limit: int = 20, offset: int = 0) -> tuple[int, list[Application]]:
    """(how many, one page of) the proactive cases of the caller's own subject, newest first."""
    _claimant(caller)
    where = (Application.source == "proactive", claimant_sees(caller))
    total = session.scalar(select(func.count()).select_from(Application).where(*where)) or 0
    query = select(Application).where(*where).order_by(Application.id.desc())
    return total, list(session.scalars(query.limit(limit).offset(offset)))


def subject_accounts(session: Session, caller: Caller) -> list[BankAccount]:
    """The caller's own subject's accounts, newest first (masked numbers only leave this function's rows)."""
    _claimant(caller)
    query = select(BankAccount).where(BankAccount.subject_id == caller.subject_id)
    return list(session.scalars(query.order_by(BankAccount.valid_from.desc(), BankAccount.id.desc())))


def confirm_offer(
    session: Session, caller: Caller, application_id: int, account_id: int, *, now: dt.datetime | None = None
) -> Application:
    """The claimant confirms their own proactive case and names one of their own subject's accounts."""
    _claimant(caller)
    app = get_application(session, caller, application_id)  # another subject's case: not found
    if app.subject_id != caller.subject_id or app.source != "proactive":
        msg = f"申请 {application_id} 不是本单位或本人的免申即享案件"
        raise NotFoundError(msg)
    if State(app.state) not in CONFIRMABLE_STATES:
        msg = f"案件当前状态为“{State(app.state).label}”，不能再确认"
        raise ConflictError(msg)
    if app.claimant_confirmed_at is not None:
        msg = "此案件已确认过；提示：如需更换收款账户，请联系经办人员"
        raise ConflictError(msg)
    account = session.get(BankAccount, account_id)
    if account is None or account.subject_id != app.subject_id:
        msg = "所选收款账户不是本单位或本人的账户；提示：先登记本单位或本人的账户"
        raise InputError(msg)
    app.claimant_confirmed_at = now or dt.datetime.now(dt.UTC)
    app.confirmed_account_id = account.id
    audit(session, caller, "application.claimant_confirm", app, {"account": account.account_masked})
    return app


def confirmed_account(session: Session, app: Application, on: dt.date) -> BankAccount | None:
    """The account the claimant chose when confirming, if it is already in force on ``on``."""
    if app.confirmed_account_id is None:
        return None
    account = session.get(BankAccount, app.confirmed_account_id)
    if account is None or account.subject_id != app.subject_id or account.valid_from > on:
        return None
    return account
