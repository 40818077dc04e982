"""Bank accounts subjects are paid into: stored like identifiers (index, ciphertext, mask); a change
is a new row, so a change shortly before a payout stays visible. The number and the holder's name
are stored in the form the bank file takes (:mod:`jiuye.payments.payee`), so what is accepted here
exports. A change takes effect from the day it is recorded by the service's clock: ``valid_from``
may only be that day or later, so typing an earlier date cannot hide a recent change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.identifiers import mask_id
from jiuye.payments import PaymentError, account_number, payee_name
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError, InputError, NotFoundError
from jiuye.service.models import BankAccount
from jiuye.service.protect import Protector
from jiuye.service.subjects import get_subject

__all__ = ["BackdatedError", "add_bank_account", "current_account"]

#: Staff who handle payments, and a claimant for their own subject (the holder must be the subject
#: itself, and a change shortly before a payout is flagged by the fund-safety check either way).
_ACCOUNT_ROLES = ("caseworker", "finance", "enterprise", "individual")


class BackdatedError(InputError):
    code = "ACCOUNT_BACKDATED"


def add_bank_account(
    session: Session,
    protector: Protector,
    caller: Caller,
    subject_id: int,
    *,
    bank_name: str,
    holder_name: str,
    account_no: str,
    today: dt.date,
    valid_from: dt.date | None = None,
) -> BankAccount:
    """Record an account from ``valid_from`` (default ``today``, the service's day; never earlier)."""
    subject = get_subject(session, caller, subject_id)  # a claimant: their own subject only
    if caller.role not in _ACCOUNT_ROLES:
        msg = "只有经办或财务人员、或单位和个人本身可以登记收款账户"
        raise ForbiddenError(msg)
    number, holder = account_number(account_no), payee_name(holder_name)
    starts = valid_from or today
    if starts < today:
        msg = (
            f"生效日 {starts.isoformat()} 早于登记日 {today.isoformat()}；"
            "提示：账户变更自登记之日起生效，不能倒签，生效日留空即为今天"
        )
        raise BackdatedError(msg)
    if holder != _loose_name(subject.name):
        msg = f"户名“{holder}”与对象名称“{subject.name}”不一致；提示：补贴只发往本单位或本人的账户"
        raise InputError(msg)
    account = BankAccount(
        subject_id=subject.id,
        bank_name=bank_name.strip(),
        holder_name=holder,
        account_index=protector.blind_index("account", number),
        account_sealed=protector.seal(number),
        account_masked=mask_id(number),
        valid_from=starts,
        recorded_on=today,
    )
    session.add(account)
    session.flush()
    detail = {"account": account.account_masked, "valid_from": starts.isoformat(), "recorded_on": today.isoformat()}
    record(session, actor=caller.username, action="account.add", entity="subject", entity_id=subject.id, detail=detail)
    return account


def current_account(session: Session, subject_id: int, on: dt.date) -> BankAccount:
    """The account in force on ``on``: the latest one valid from that day or earlier."""
    query = (
        select(BankAccount)
        .where(BankAccount.subject_id == subject_id, BankAccount.valid_from <= on)
        .order_by(BankAccount.valid_from.desc(), BankAccount.id.desc())
    )
    account = session.scalars(query).first()
    if account is None:
        msg = f"对象 {subject_id} 在 {on.isoformat()} 没有有效的收款账户；提示：先登记收款账户"
        raise NotFoundError(msg)
    return account


def _loose_name(name: str) -> str:
    """A subject's name in the payee form, for the comparison (names stored before the rule, as they are)."""
    try:
        return payee_name(name)
    except PaymentError:
        return name.strip()
