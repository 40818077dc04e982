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

Steps 2 and 3 live in :mod:`jiuye.service.bank_files`; their names are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases import State
from jiuye.delivery import cash_measures
from jiuye.payments import account_problem, name_problem, payment_fingerprint, payment_key
from jiuye.regions import prefix_of
from jiuye.service.accounts import current_account
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.bank_files import (
    BatchVoidedError,
    TamperedError,
    approved_payment,
    bank_batch,
    export_batch,
    import_return,
    require_finance,
)
from jiuye.service.errors import ConflictError, ForbiddenError, NotFoundError
from jiuye.service.models import (
    IDENTITY_VERIFIED,
    LIVE_PAYMENT,
    Application,
    BankAccount,
    Payment,
    PaymentBatch,
    Subject,
)
from jiuye.service.offers import confirmed_account
from jiuye.service.person_checks import other_region_hit
from jiuye.service.protect import Protector
from jiuye.service.safety import account_change_hit, open_blocking_hit, payee_unexportable_hit, shared_identifier_hits

__all__ = [
    "BatchVoidedError",
    "TamperedError",
    "bank_batch",
    "batch_page",
    "export_batch",
    "import_return",
    "list_batches",
    "open_batches",
    "prepare_batch",
]


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
    require_finance(caller)
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
            # 免申即享: the account the claimant chose when confirming (jiuye.service.offers), else the latest
            account = confirmed_account(session, app, pay_date) or current_account(session, app.subject_id, pay_date)
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
    payment.fingerprint = payment_fingerprint(approved_payment(payment, app, account), key=fingerprint_key)
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


def batch_page(
    session: Session, caller: Caller, *, status: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[int, list[PaymentBatch]]:
    """One page of the caller's region's batches, newest first, and how many there are in all (the
    same callers and scope as :func:`list_batches`; ``status`` filters)."""
    if caller.role not in ("finance", "auditor"):
        msg = f"角色 {caller.role} 不能查看发放批次；提示：由财务或审计人员查看"
        raise ForbiddenError(msg)
    where = [PaymentBatch.region.startswith(prefix_of(caller.region))]
    if status:
        where.append(PaymentBatch.status == status)
    total = session.scalar(select(func.count()).select_from(PaymentBatch).where(*where)) or 0
    query = select(PaymentBatch).where(*where).order_by(PaymentBatch.id.desc()).offset(offset).limit(min(limit, 5000))
    return int(total), list(session.scalars(query))
