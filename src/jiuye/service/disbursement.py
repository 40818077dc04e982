"""Paying approved grants through the bank, exactly once.

Three steps, each one transaction, each safe to repeat after a crash:

1. :func:`prepare_batch` picks approved applications with no live payment (and no open blocking
   fund-safety hit, :mod:`jiuye.service.safety`), fixes each payment's
   fields (amount, account, payee, idempotency key) and seals them with an HMAC fingerprint. The
   partial unique index on live payments makes a second run, a concurrent run or a rerun after a
   crash unable to include a grant twice.
2. :func:`export_batch` checks every fingerprint (a changed amount or account is refused, and
   logged) and renders the bank file. Exporting again gives the same file: the bank deduplicates
   by the idempotency keys.
3. :func:`import_return` reconciles the bank's return file: paid, failed (free for a new
   attempt under a new key), unknown (left pending for an inquiry, never resent), reversed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Literal

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases import Action, Role, State, transition
from jiuye.delivery import cash_measures
from jiuye.payments import (
    ApprovedPayment,
    BankBatch,
    BatchHeader,
    Outcome,
    PaymentLine,
    Reconciliation,
    account_problem,
    name_problem,
    parse_return,
    payment_fingerprint,
    payment_key,
    render_excel,
    render_text,
    verify_fingerprint,
)
from jiuye.policies.registry import get_measure
from jiuye.regions import prefix_of
from jiuye.service.accounts import current_account
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ConflictError, ForbiddenError, NotFoundError, ServiceError
from jiuye.service.models import (
    IDENTITY_VERIFIED,
    LIVE_PAYMENT,
    Application,
    BankAccount,
    ClaimPerson,
    Payment,
    PaymentBatch,
    Subject,
)
from jiuye.service.person_checks import departure_hits, other_region_hit
from jiuye.service.protect import Protector
from jiuye.service.safety import (
    account_change_hit,
    open_blocking_hit,
    payee_unexportable_hit,
    revisit_sample,
    shared_identifier_hits,
)
from jiuye.service.voids import voided_lines

__all__ = [
    "BatchVoidedError",
    "TamperedError",
    "bank_batch",
    "export_batch",
    "import_return",
    "list_batches",
    "open_batches",
    "prepare_batch",
]


class TamperedError(ServiceError):
    status = 409
    code = "PAYMENT_TAMPERED"


class BatchVoidedError(ServiceError):
    status = 409
    code = "BATCH_VOIDED"


def _finance(caller: Caller) -> None:
    if caller.role != "finance":
        msg = f"角色 {caller.role} 不能办理资金发放；提示：由财务人员办理"
        raise ForbiddenError(msg)


def _approved(payment: Payment, app: Application, account: BankAccount) -> ApprovedPayment:
    return ApprovedPayment(
        grant_id=app.id,
        subject_id=app.subject_id,
        measure_id=app.measure_id,
        amount_fen=payment.amount_fen,
        account_index=account.account_index,
        payee_name=payment.payee_name,
        idempotency_key=payment.idempotency_key,
    )


def prepare_batch(
    session: Session,
    protector: Protector,
    fingerprint_key: bytes,
    caller: Caller,
    *,
    pay_date: dt.date,
    today: dt.date,
    limit: int = 50_000,
) -> PaymentBatch | None:
    """A batch of every approved, unpaid application in the caller's region (None if there is none).

    ``today`` is the service's day (the account-change check counts from it, never from a typed
    date). A payee the bank file cannot carry is held out with a hit of its own, never blocking
    the others."""
    _finance(caller)
    live = exists().where(Payment.application_id == Application.id, Payment.status.in_(LIVE_PAYMENT))
    query = (
        select(Application)
        .where(Application.state.in_((State.APPROVED.value, State.PAID.value)), ~live)
        # Only bank payments are cash (jiuye.delivery): a tax deduction, a deferral or a record never is.
        .where(Application.measure_id.in_(sorted(cash_measures())), Application.amount_approved_fen > 0)
        .where(Application.region.startswith(prefix_of(caller.region)))
        .where(Application.subject_id.in_(select(Subject.id).where(Subject.identity_status == IDENTITY_VERIFIED)))
        .order_by(Application.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # a concurrent run takes other applications (PostgreSQL)
    )
    chosen, held = [], []
    for app in session.scalars(query).all():
        # The row lock is ours now, but the NOT EXISTS above was read when the statement began: a run
        # that committed in between (PostgreSQL, READ COMMITTED) may have paid it. Look again, and count
        # the earlier attempts for this one's number while at it.
        counts = select(func.count(), func.count().filter(Payment.status.in_(LIVE_PAYMENT)))
        earlier, live_now = session.execute(counts.where(Payment.application_id == app.id)).one()
        if live_now:
            continue
        try:
            account = current_account(session, app.subject_id, pay_date)
        except NotFoundError:
            continue  # no account yet: it stays approved and unpaid, listed by the next run
        if (
            account_change_hit(session, app, account, pay_date=pay_date, today=today) is not None
            or other_region_hit(session, app)
            or open_blocking_hit(session, app.id, "voided_executed")
        ):
            continue  # blocked until a reviewer clears the hit
        problem = name_problem(account.holder_name) or account_problem(protector.unseal(account.account_sealed))
        if problem is not None:
            payee_unexportable_hit(session, app, account, problem)
            held.append(app.id)
            continue
        chosen.append((app, account, earlier + 1))
    shared_identifier_hits(session, caller.region)  # flags for reviewers; they do not stop payment
    if not chosen:
        return None
    batch = PaymentBatch(
        batch_no=f"JY{pay_date:%Y%m%d}{secrets.token_hex(4).upper()}",
        region=caller.region,
        pay_date=pay_date,
        declared_count=len(chosen),
        declared_total_fen=sum(app.amount_approved_fen or 0 for app, _, _ in chosen),
        status="prepared",
        created_by=caller.user_id,
    )
    session.add(batch)
    session.flush()
    # Keys differ between deployments (a test system, another bureau) whose grant ids coincide.
    scope = hashlib.sha256(b"jiuye payment scope" + fingerprint_key).hexdigest()[:12]
    # No flush until the end: a conflict with a concurrent run surfaces there, refused whole.
    with session.no_autoflush:
        for app, account, attempt in chosen:
            _add_payment(session, fingerprint_key, batch, app, account, attempt, scope)
    try:
        session.flush()
    except IntegrityError:
        msg = "另一发放批次同时处理了同一申请，本批次未生成；提示：稍后重新生成批次"
        raise ConflictError(msg) from None
    detail = {
        "batch": batch.batch_no,
        "count": batch.declared_count,
        "total_fen": batch.declared_total_fen,
        "held_out": held[:50],  # applications whose payee the bank file cannot carry (hits of their own)
    }
    record(session, actor=caller.username, action="batch.prepare", entity="batch", entity_id=batch.id, detail=detail)
    return batch


def _add_payment(
    session: Session,
    fingerprint_key: bytes,
    batch: PaymentBatch,
    app: Application,
    account: BankAccount,
    attempt: int,
    scope: str,
) -> None:
    """Attempt number ``attempt`` to pay ``app``, its fields sealed with the fingerprint."""
    payment = Payment(
        application_id=app.id,
        attempt=attempt,
        idempotency_key=payment_key(app.id, attempt, scope=scope),
        batch_id=batch.id,
        account_id=account.id,
        payee_name=account.holder_name,
        amount_fen=app.amount_approved_fen or 0,
        fingerprint="",
        status="pending",
    )
    payment.fingerprint = payment_fingerprint(_approved(payment, app, account), key=fingerprint_key)
    session.add(payment)


def open_batches(session: Session, caller: Caller) -> list[PaymentBatch]:
    """Batches in the caller's region not yet reconciled: after a crash, export each again (the
    same file, the same keys) and import the bank's return."""
    return list_batches(session, caller, open_only=True)


def list_batches(session: Session, caller: Caller, *, open_only: bool = False, limit: int = 100) -> list[PaymentBatch]:
    """Payment batches of the caller's region (finance, and auditors who check them), oldest first."""
    if caller.role not in ("finance", "auditor"):
        msg = f"角色 {caller.role} 不能查看发放批次；提示：由财务或审计人员查看"
        raise ForbiddenError(msg)
    query = select(PaymentBatch).where(PaymentBatch.region.startswith(prefix_of(caller.region)))
    if open_only:
        query = query.where(PaymentBatch.status.in_(("prepared", "exported")))
    return list(session.scalars(query.order_by(PaymentBatch.id).limit(min(limit, 500))))


def _batch(session: Session, caller: Caller, batch_id: int) -> PaymentBatch:
    _finance(caller)
    # Locked: an export, an import and a void of the same batch take their turns (PostgreSQL).
    batch = session.get(PaymentBatch, batch_id, with_for_update=True)
    if batch is None or not batch.region.startswith(prefix_of(caller.region)):
        msg = f"发放批次 {batch_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return batch


def bank_batch(
    session: Session,
    protector: Protector,
    fingerprint_key: bytes,
    caller: Caller,
    batch: PaymentBatch,
    payer: str,
    *,
    include_voided: bool = False,
) -> tuple[BankBatch, list[Payment]]:
    """The batch as the bank sees it, every payment's fingerprint checked first. Voided payments
    are left out of the file; ``include_voided`` keeps them, to recognise their keys in a return."""
    query = select(Payment).where(Payment.batch_id == batch.id)
    if not include_voided:
        query = query.where(Payment.status != "voided")
    payments = list(session.scalars(query.order_by(Payment.id)))
    lines = []
    for seq, payment in enumerate(payments, start=1):
        app = session.get(Application, payment.application_id)
        account = session.get(BankAccount, payment.account_id)
        assert app is not None and account is not None
        if not verify_fingerprint(_approved(payment, app, account), payment.fingerprint, key=fingerprint_key):
            # On the record when the caller commits before raising on (the API does: see
            # jiuye.service.api.payments); nothing else of this step is written.
            msg = (
                f"付款记录 {payment.idempotency_key} 与核准时的指纹不符（金额、账户或户名被改动）；提示：停止发放并核查"
            )
            detail = {"batch": batch.batch_no, "payment": payment.idempotency_key, "reason": "fingerprint"}
            record(session, actor=caller.username, action="batch.refused", entity="batch", entity_id=batch.id,
                   detail=detail)  # fmt: skip
            raise TamperedError(msg)
        title = get_measure(app.measure_id).title
        account_no = protector.unseal(account.account_sealed)
        lines.append(
            PaymentLine(seq, payment.payee_name, account_no, payment.amount_fen, payment.idempotency_key, title)
        )
    header = BatchHeader(batch.batch_no, batch.declared_count, batch.declared_total_fen, payer, batch.pay_date)
    return BankBatch(header, tuple(lines)), payments


def export_batch(
    session: Session,
    protector: Protector,
    fingerprint_key: bytes,
    caller: Caller,
    batch_id: int,
    *,
    payer_account: str,
    fmt: Literal["text", "xlsx"] = "text",
    encoding: Literal["utf-8-sig", "gbk"] = "utf-8-sig",
) -> bytes:
    """The bank file; the same file again if exported twice (same lines, same keys)."""
    batch = _batch(session, caller, batch_id)
    if batch.status == "voided":
        msg = f"发放批次 {batch.batch_no} 已作废，不能导出；提示：作废的付款会在下一次生成批次时以新的幂等键重新发放"
        raise BatchVoidedError(msg)
    bank, payments = bank_batch(session, protector, fingerprint_key, caller, batch, payer_account)
    data = render_excel(bank) if fmt == "xlsx" else render_text(bank, encoding=encoding)
    for payment in payments:
        if payment.status == "pending":
            payment.status = "exported"
    if batch.status == "prepared":
        batch.status = "exported"
    batch.file_sha256 = hashlib.sha256(data).hexdigest()
    detail = {"batch": batch.batch_no, "format": fmt, "sha256": batch.file_sha256}
    record(session, actor=caller.username, action="batch.export", entity="batch", entity_id=batch.id, detail=detail)
    return data


_SETTLED = {"paid": Outcome.PAID, "failed": Outcome.FAILED, "unknown": Outcome.UNKNOWN, "reversed": Outcome.REVERSED}


def import_return(
    session: Session,
    protector: Protector,
    fingerprint_key: bytes,
    caller: Caller,
    batch_id: int,
    data: bytes,
    *,
    payer_account: str,
) -> Reconciliation:
    """Apply the bank's return file; lines with problems change nothing and are reported."""
    batch = _batch(session, caller, batch_id)
    sent, payments = bank_batch(session, protector, fingerprint_key, caller, batch, payer_account, include_voided=True)
    by_key = {p.idempotency_key: p for p in payments}
    previous = {p.idempotency_key: _SETTLED[p.status] for p in payments if p.status in _SETTLED}
    result = voided_lines(session, batch, by_key, parse_return(data, sent=sent, previous=previous))
    for line in (*result.paid, *result.failed, *result.unknown, *result.reversed):
        payment = by_key[line.key]
        payment.status, payment.bank_message = line.outcome.value, line.bank_message[:200] or None
        app = session.get(Application, payment.application_id)
        assert app is not None
        if line.outcome is Outcome.PAID and app.state == State.APPROVED.value:
            app.state = transition(State.APPROVED, Action.MARK_PAID, role=Role.FINANCE).value
    revisit_sample(session, payments, batch.batch_no)
    paid = [p.application_id for p in payments if p.status == "paid"]
    departure_hits(
        session, set(session.scalars(select(ClaimPerson.person_index).where(ClaimPerson.application_id.in_(paid))))
    )
    if batch.status != "voided" and all(p.status in ("paid", "failed", "reversed", "voided") for p in payments):
        batch.status = "reconciled"
    detail = {
        "batch": batch.batch_no,
        "paid": len(result.paid),
        "failed": len(result.failed),
        "unknown": len(result.unknown),
        "reversed": len(result.reversed),
        "problems": [p.message for p in result.problems][:20],
    }
    record(session, actor=caller.username, action="batch.reconcile", entity="batch", entity_id=batch.id, detail=detail)
    return result
