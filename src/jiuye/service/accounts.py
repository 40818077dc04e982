"""Bank accounts subjects are paid into: stored like identifiers (index, ciphertext, mask); a change
is a new row from a date, so a change shortly before a payout stays visible."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.identifiers import mask_id
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError, InputError, NotFoundError
from jiuye.service.models import BankAccount
from jiuye.service.protect import Protector
from jiuye.service.subjects import get_subject

__all__ = ["add_bank_account", "current_account"]

_ACCOUNT_ROLES = ("caseworker", "finance")


def add_bank_account(
    session: Session,
    protector: Protector,
    caller: Caller,
    subject_id: int,
    *,
    bank_name: str,
    holder_name: str,
    account_no: str,
    valid_from: dt.date,
) -> BankAccount:
    subject = get_subject(session, caller, subject_id)
    if caller.role not in _ACCOUNT_ROLES:
        msg = "只有经办或财务人员可以登记收款账户"
        raise ForbiddenError(msg)
    number = "".join(account_no.split())
    if not number.isdigit() or not 8 <= len(number) <= 30:
        msg = f"银行账号 {mask_id(number)} 格式不正确；提示：应为8—30位数字"
        raise InputError(msg)
    if holder_name.strip() != subject.name:
        msg = f"户名“{holder_name.strip()}”与对象名称“{subject.name}”不一致；提示：补贴只发往本单位或本人的账户"
        raise InputError(msg)
    account = BankAccount(
        subject_id=subject.id,
        bank_name=bank_name.strip(),
        holder_name=holder_name.strip(),
        account_index=protector.blind_index("account", number),
        account_sealed=protector.seal(number),
        account_masked=mask_id(number),
        valid_from=valid_from,
    )
    session.add(account)
    session.flush()
    detail = {"account": account.account_masked, "valid_from": valid_from.isoformat()}
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
