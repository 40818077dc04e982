"""Demo data for trying the service on one machine: staff of each role and a few subjects.

Only for ``jiuye serve --demo`` on a local database: every demo account shares one password,
printed at start. Never use demo mode on a server with real data.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.service.accounts import add_bank_account
from jiuye.service.auth import Caller, create_user
from jiuye.service.models import User
from jiuye.service.protect import Protector
from jiuye.service.subjects import register_subject

__all__ = ["DEMO_CLAIMANTS", "DEMO_LOGINS", "DEMO_PAYER", "DEMO_USERS", "DemoClock", "seed_demo"]

DEMO_PAYER = "6222000000000000001"  # the demo fund account the bank debits

#: (username, role, region, display name); XX区 is the demo district 450103 (common.jurisdiction.xxq)
DEMO_USERS = (
    ("admin", "admin", "450000", "系统管理员"),
    ("clerk", "caseworker", "450103", "XX区经办员"),
    ("reviewer1", "reviewer", "450103", "XX区审核员甲"),
    ("reviewer2", "reviewer", "450103", "XX区审核员乙"),
    ("finance", "finance", "450103", "XX区财务"),
    ("auditor", "auditor", "450000", "自治区审计"),
)
_SUBJECTS = (
    ("enterprise", "91450103MA5KD0001", "南宁示例制造有限公司"),
    ("enterprise", "91450103MA5KD0002", "南宁示例科技有限公司"),
    ("person", "45010319990101123", "示例人员甲"),
    ("person", "45010320010615234", "示例人员乙"),
)


#: Claimant accounts of the demo, by the index of their subject in _SUBJECTS: (username, role, index)
DEMO_CLAIMANTS = (("qiye", "enterprise", 0), ("geren", "individual", 2))
#: What the home page lists in demo mode: (username, role, what the account is)
DEMO_LOGINS = tuple((u, role, name) for u, role, _region, name in DEMO_USERS) + tuple(
    (u, role, _SUBJECTS[i][2]) for u, role, i in DEMO_CLAIMANTS
)


def _complete(kind: str, first17: str) -> str:
    from stdnum.cn import ric, uscc

    return first17 + (uscc.calc_check_digit(first17) if kind == "enterprise" else ric.calc_check_digit(first17 + "0"))


def seed_demo(session: Session, protector: Protector, password: str) -> bool:
    """Create the demo accounts and subjects once; False when the database already has users."""
    if session.scalar(select(func.count()).select_from(User)):
        return False
    for username, role, region, name in DEMO_USERS:
        create_user(session, username=username, password=password, role=role, region=region, display_name=name)
    clerk = session.scalar(select(User).where(User.username == "clerk"))
    assert clerk is not None
    caller = Caller(clerk.id, clerk.username, clerk.role, clerk.region, None)
    subjects = []
    for i, (kind, first17, name) in enumerate(_SUBJECTS, start=1):
        number = _complete(kind, first17)
        subject = register_subject(session, protector, caller, kind=kind, number=number, name=name, region="450103")
        subjects.append(subject)
        account = f"62170000{i:011d}"  # demo accounts, 19 digits
        add_bank_account(
            session, protector, caller, subject.id, bank_name="示例银行南宁分行", holder_name=name,
            account_no=account, today=dt.date(2025, 1, 1),  # demo accounts, as if recorded then
        )  # fmt: skip
    for username, role, index in DEMO_CLAIMANTS:
        subject = subjects[index]
        create_user(
            session, username=username, password=password, role=role, region=subject.region,
            display_name=subject.name, subject_id=subject.id,
        )  # fmt: skip
    return True


class DemoClock:
    """ "Today" in demo mode: set by the administrator (``POST /demo/today``) to walk a claim
    through its notice period without waiting five working days."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def __call__(self) -> dt.date:
        return self.today
