"""Fund-safety checks (严防骗取套取、虚报冒领，桂人社发〔2025〕38号（二十二）): hits with evidence and a
person's disposition.

Three modes. *Blocking* checks run before money leaves: the payment waits until someone clears
the hit. *Flag* checks mark a case for a reviewer's attention without stopping it. *Post*-payment
checks pick what to verify afterwards (回访). Each finding is stored once (its ``key``), however
often the check runs, with masked evidence. Checks the ledger and workflow already enforce
(duplicate claims, the same hire at two employers, exclusive measures, ID check digits,
separation of duties) are not repeated here; checks about people across applications and regions
are in :mod:`jiuye.service.person_checks`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.regions import prefix_of
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ForbiddenError, InputError, NotFoundError
from jiuye.service.models import Application, BankAccount, Payment, SafetyHit, Subject

__all__ = [
    "ACCOUNT_CHANGE_DAYS",
    "DISPOSERS",
    "READERS",
    "REVISIT_RATE_PPM",
    "account_change_hit",
    "dispose",
    "list_hits",
    "open_blocking_hit",
    "payee_unexportable_hit",
    "record_hit",
    "revisit_sample",
    "shared_identifier_hits",
]

#: Named assumptions (local settings; the documents set no figure):
ACCOUNT_CHANGE_DAYS = 30  # a receiving account changed within this many days before the pay date blocks payment
REVISIT_RATE_PPM = 50_000  # 5% of paid grants are drawn for a post-payment visit (回访)
DISPOSERS = ("reviewer", "auditor")
#: Who reads the hits: those who dispose of them, and finance, whose payments they hold.
READERS = ("reviewer", "auditor", "finance")


def record_hit(
    session: Session, app: Application, *, rule: str, mode: str, key: str, evidence: dict[str, Any]
) -> SafetyHit:
    """The stored hit for ``key`` (created the first time it is found)."""
    found = session.scalar(select(SafetyHit).where(SafetyHit.key == key))
    if found is not None:
        return found
    hit = SafetyHit(
        rule=rule,
        mode=mode,
        key=key,
        region=app.region,
        application_id=app.id,
        evidence=json.dumps(evidence, ensure_ascii=False, default=str),
        disposition="open",
    )
    session.add(hit)
    session.flush()
    record(session, actor="system", action=f"safety.{rule}", entity="safety_hit", entity_id=hit.id, detail=evidence)
    return hit


def account_change_hit(
    session: Session, app: Application, account: BankAccount, *, pay_date: dt.date, today: dt.date
) -> SafetyHit | None:
    """Blocking: the account to be paid replaced an earlier one within ``ACCOUNT_CHANGE_DAYS`` before
    the payment. Returns the hit unless a person has cleared it.

    The change counts from the day the service *recorded* it (``recorded_on``, or a later
    ``valid_from``), never from a typed date; the payment from the earlier of the pay date and
    today (the file may reach the bank today), so neither a backdated account nor a far pay date
    skips the window."""
    earlier = session.scalar(
        select(func.count())
        .select_from(BankAccount)
        .where(BankAccount.subject_id == account.subject_id, BankAccount.id < account.id)
    )
    changed_on = max(account.recorded_on, account.valid_from)
    days = (min(pay_date, today) - changed_on).days
    if not earlier or days > ACCOUNT_CHANGE_DAYS:
        return None
    evidence = {
        "说明": f"收款账户在发放日前 {days} 天变更（阈值 {ACCOUNT_CHANGE_DAYS} 天，自系统登记之日起算）",
        "新账户": account.account_masked,
        "登记日": account.recorded_on.isoformat(),
        "生效日": account.valid_from.isoformat(),
    }
    key = f"account_changed:{app.id}:{account.id}"
    hit = record_hit(session, app, rule="account_changed", mode="blocking", key=key, evidence=evidence)
    return None if hit.disposition == "cleared" else hit


def payee_unexportable_hit(session: Session, app: Application, account: BankAccount, problem: str) -> SafetyHit:
    """Blocking, and not for a person to clear: the account in force cannot be written to the bank
    file (stored before the payee rules, :mod:`jiuye.payments.payee`). The grant is held out of the
    batch, so it blocks no one else; a new account registration makes it payable in the next run."""
    evidence = {"说明": f"收款账户不能写入代发文件，本笔暂不发放：{problem}", "账户": account.account_masked}
    key = f"payee_unexportable:{app.id}:{account.id}"
    return record_hit(session, app, rule="payee_unexportable", mode="blocking", key=key, evidence=evidence)


def open_blocking_hit(session: Session, app_id: int, rule: str) -> bool:
    """Whether ``app_id`` has an uncleared blocking hit of ``rule``."""
    found = select(SafetyHit.id).where(
        SafetyHit.application_id == app_id, SafetyHit.rule == rule, SafetyHit.mode == "blocking"
    )
    return session.scalar(found.where(SafetyHit.disposition != "cleared").limit(1)) is not None


def shared_identifier_hits(session: Session, region: str) -> list[SafetyHit]:
    """Flag: one receiving account, phone number or address shared by different subjects that claim."""
    hits = []
    claimants = select(Application.subject_id).where(Application.region.startswith(prefix_of(region)))
    for column, label, rule in (
        (BankAccount.account_index, "收款账户", "shared_account"),
        (Subject.phone_index, "联系电话", "shared_phone"),
        (Subject.address_index, "地址", "shared_address"),
    ):
        subject_of = BankAccount.subject_id if column is BankAccount.account_index else Subject.id
        shared = (
            select(column, func.count(func.distinct(subject_of)))
            .where(subject_of.in_(claimants), column.is_not(None))
            .group_by(column)
            .having(func.count(func.distinct(subject_of)) > 1)
        )
        for index, count in session.execute(shared):
            subjects = sorted(set(session.scalars(select(subject_of).where(column == index))))
            for app in session.scalars(select(Application).where(Application.subject_id.in_(subjects))):
                evidence = {"说明": f"{count} 个不同对象使用同一{label}", "对象编号": subjects}
                hits.append(
                    record_hit(
                        session,
                        app,
                        rule=rule,
                        mode="flag",
                        key=f"{rule}:{str(index)[:16]}:{app.id}",
                        evidence=evidence,
                    )
                )
    return hits


def revisit_sample(session: Session, payments: list[Payment], batch_no: str) -> list[SafetyHit]:
    """Post-payment: a reproducible draw of paid grants to visit (回访), ``REVISIT_RATE_PPM`` of them.

    The draw hashes the batch and the payment key, so anyone can recompute who was drawn and why."""
    hits = []
    for payment in payments:
        if payment.status != "paid":
            continue
        draw = int(hashlib.sha256(f"{batch_no}:{payment.idempotency_key}".encode()).hexdigest()[:8], 16) % 1_000_000
        if draw >= REVISIT_RATE_PPM:
            continue
        app = session.get(Application, payment.application_id)
        assert app is not None
        evidence = {"说明": "发放后随机回访抽查", "批次": batch_no, "抽签值": draw, "抽中线": REVISIT_RATE_PPM}
        key = f"revisit:{payment.idempotency_key}"
        hits.append(record_hit(session, app, rule="revisit", mode="post", key=key, evidence=evidence))
    return hits


def dispose(session: Session, caller: Caller, hit_id: int, disposition: str, note: str) -> SafetyHit:
    """A reviewer's or auditor's decision on a hit: cleared (the payment may go) or confirmed."""
    if caller.role not in DISPOSERS:
        msg = "只有审核或审计人员可以处置资金安全核查结果"
        raise ForbiddenError(msg)
    hit = session.get(SafetyHit, hit_id)
    if hit is None or not caller.covers(hit.region):
        msg = f"核查结果 {hit_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    if disposition not in ("cleared", "confirmed") or len(note.strip()) < 4:
        msg = "处置须为 cleared（核实无误）或 confirmed（确认问题），并写明核实情况"
        raise InputError(msg)
    hit.disposition, hit.note = disposition, note.strip()
    hit.disposed_by, hit.disposed_at = caller.user_id, dt.datetime.now(dt.UTC)
    detail = {"disposition": disposition, "note": note.strip()}
    record(
        session, actor=caller.username, action="safety.dispose", entity="safety_hit", entity_id=hit.id, detail=detail
    )
    return hit


def list_hits(
    session: Session, caller: Caller, *, open_only: bool = True, application_id: int | None = None
) -> list[SafetyHit]:
    """The hits of the caller's region (reviewers, auditors, finance), optionally of one application."""
    if caller.role not in READERS:
        msg = "只有审核、审计、财务人员可以查看资金安全核查结果"
        raise ForbiddenError(msg)
    query = select(SafetyHit).where(SafetyHit.region.startswith(prefix_of(caller.region)))
    if open_only:
        query = query.where(SafetyHit.disposition == "open")
    if application_id is not None:
        query = query.where(SafetyHit.application_id == application_id)
    return list(session.scalars(query.order_by(SafetyHit.id)))
