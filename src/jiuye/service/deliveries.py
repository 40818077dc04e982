"""Delivery documents: where an approval that sends no money ends (税收扣减名单, 缓缴决定, 贴息结算, 认定记录).

The measure's delivery form (:mod:`jiuye.delivery`) decides. A bank payment goes to a payment batch
(:mod:`jiuye.service.disbursement` takes only those); every other approval issues one numbered
document in the approval's own transaction, and the unique constraints on (application, form) and
on the number make a second issue — the same claim approved twice at once — fail whole.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.delivery import Form, LoanTerms, delivery_of, settle
from jiuye.delivery.loans import LoanTermsError
from jiuye.delivery.render import NoticeFacts, notice_text, workbook
from jiuye.money import fen_to_decimal
from jiuye.params import ParameterSet
from jiuye.policies.registry import get_measure
from jiuye.regions import prefix_of
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.models import Application, DeliveryDocument, Subject
from jiuye.service.protect import Protector
from jiuye.service.subjects import UNMASK_ROLES

__all__ = [
    "export_documents",
    "get_document",
    "issue_document",
    "list_documents",
    "notice",
    "record_loan",
    "refuse_unclaimable",
]


def refuse_unclaimable(measure_id: str) -> None:
    """A target, a schedule or a taxonomy is nobody's to claim: refused when the claim is created."""
    delivery = delivery_of(measure_id)
    if delivery.form is Form.NOT_CLAIMABLE:
        title = get_measure(measure_id).title
        msg = f"“{title}”（{measure_id}）不是单位或个人可申请的待遇：{delivery.assumption}；提示：选择可申请的政策"
        raise InputError(msg)


def _number(form: Form, app: Application, today: dt.date) -> str:
    # Derived from the application: the same claim can only ever get the same number.
    return f"{form.prefix}{app.region}{today.year}{app.id:08d}"


def issue_document(session: Session, caller: Caller | None, app: Application, *, today: dt.date) -> None:
    """The approval's document, unless the measure pays through the bank (then the batch is its document)."""
    delivery = delivery_of(app.measure_id)
    if delivery.form is Form.BANK_PAYMENT:
        return
    detail: dict[str, Any] = {"measure": get_measure(app.measure_id).title, "basis": delivery.cites()}
    amount = None
    status = "issued"
    if delivery.form is Form.TAX_DEDUCTION:
        amount = app.amount_approved_fen or 0
        detail |= {"tax_year": (app.as_of_approved or today).year, "taxes": delivery.taxes}
    elif delivery.form is Form.LOAN_SETTLEMENT:
        status = "awaiting_loan"  # the lending bank reports the loan; then the subsidy is computed
    document = DeliveryDocument(
        number=_number(delivery.form, app, today),
        application_id=app.id,
        form=delivery.form.value,
        measure_id=app.measure_id,
        subject_id=app.subject_id,
        region=app.region,
        issued_on=today,
        amount_fen=amount,
        status=status,
        detail=json.dumps(detail, ensure_ascii=False),
    )
    session.add(document)
    app_id = app.id  # the failed flush below expires the instances
    try:
        session.flush()
    except IntegrityError:
        msg = f"申请 {app_id} 的{delivery.form.document}已出具，不再重复出具"
        raise ConflictError(msg) from None
    actor = caller.username if caller else "system"
    info = {"number": document.number, "form": delivery.form.value, "amount_fen": amount}
    record(session, actor=actor, action="delivery.issue", entity="delivery", entity_id=document.id, detail=info)


def _scoped(caller: Caller) -> Select[DeliveryDocument]:
    query = select(DeliveryDocument)
    if caller.is_staff:
        return query.where(DeliveryDocument.region.startswith(prefix_of(caller.region)))
    return query.where(DeliveryDocument.subject_id == (caller.subject_id or -1))


def _form(value: str | None) -> Form | None:
    if value is None:
        return None
    try:
        form = Form(value)
    except ValueError:
        form = None
    if form in (None, Form.BANK_PAYMENT, Form.NOT_CLAIMABLE):
        msg = f"交付方式 {value!r} 没有交付文书；提示：可选 tax_deduction、fee_relief、loan_settlement、record"
        raise InputError(msg)
    return form


def list_documents(
    session: Session,
    caller: Caller,
    *,
    form: str | None = None,
    measure_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[DeliveryDocument]:
    """Documents the caller may see, oldest first: staff their region's, claimants their own."""
    query = _scoped(caller)
    chosen = _form(form)
    if chosen is not None:
        query = query.where(DeliveryDocument.form == chosen.value)
    if measure_id is not None:
        query = query.where(DeliveryDocument.measure_id == measure_id)
    return list(session.scalars(query.order_by(DeliveryDocument.id).limit(min(limit, 5000)).offset(offset)))


def get_document(session: Session, caller: Caller, document_id: int) -> DeliveryDocument:
    document = session.scalar(_scoped(caller).where(DeliveryDocument.id == document_id))
    if document is None:
        msg = f"交付文书 {document_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    return document


def record_loan(
    session: Session,
    params: ParameterSet,
    caller: Caller,
    document_id: int,
    *,
    principal_fen: int,
    annual_rate: Decimal,
    base_rate: Decimal,
    start: dt.date,
    end: dt.date,
) -> DeliveryDocument:
    """The lending bank's loan on a settlement document: the interest subsidy computed and cited."""
    if caller.role not in ("caseworker", "finance"):
        msg = f"角色 {caller.role} 不能登记贷款结算；提示：由经办或财务人员登记"
        raise ForbiddenError(msg)
    document = get_document(session, caller, document_id)
    if document.status != "awaiting_loan":
        msg = f"交付文书 {document.number} 不是待登记贷款的贴息结算单（状态：{document.status}）"
        raise ConflictError(msg)
    subject = session.get(Subject, document.subject_id)
    assert subject is not None
    terms = LoanTerms(principal_fen, annual_rate, base_rate, start, end, borrower_is_person=subject.kind == "person")
    try:
        # The loan's start is the event that selects the rule; settled after the fact, every
        # document published by then is known (the end of the interest period at the earliest).
        result = settle(document.measure_id, terms, params.at(max(start, end), event=start))
    except LoanTermsError as exc:
        raise InputError(str(exc)) from None
    detail = json.loads(document.detail)
    detail["loan"] = {
        "principal_fen": principal_fen,
        "annual_rate": str(annual_rate),
        "base_rate": str(base_rate),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "days": result.days,
        "subsidised_rate": str(result.subsidised_rate),
        "subsidy_fen": result.subsidy_fen,
        "reward_fen": result.reward_fen,
        "limit_fen": result.limit_fen,
        "basis": list(result.basis),
    }
    document.detail = json.dumps(detail, ensure_ascii=False)
    document.amount_fen, document.status = result.subsidy_fen, "settled"
    info = {"number": document.number, "subsidy_fen": result.subsidy_fen, "reward_fen": result.reward_fen}
    record(session, actor=caller.username, action="delivery.loan", entity="delivery", entity_id=document.id,
           detail=info)  # fmt: skip
    return document


def _shown(protector: Protector, caller: Caller, subject: Subject) -> str:
    """The full number for the roles that hand the list to the agency, the mask for everyone else."""
    return protector.unseal(subject.number_sealed) if caller.role in UNMASK_ROLES else subject.number_masked


def _yuan(fen: int | None) -> str:
    return "" if fen is None else str(fen_to_decimal(fen))


def _row(document: DeliveryDocument, subject: Subject, shown: str, seq: int) -> list[str]:
    detail = json.loads(document.detail)
    form = Form(document.form)
    head = [str(seq), document.number, subject.name, shown]
    day, basis = document.issued_on.isoformat(), detail["basis"]
    if form is Form.TAX_DEDUCTION:
        taxes = detail.get("taxes") or ""
        return [*head, detail["measure"], document.measure_id, str(detail["tax_year"]), _yuan(document.amount_fen),
                taxes, day, basis]  # fmt: skip
    if form is Form.LOAN_SETTLEMENT:
        loan = detail.get("loan") or {}
        status = "已结算" if loan else "待经办银行报送贷款"
        return [*head, document.measure_id, _yuan(loan.get("principal_fen")), loan.get("annual_rate", ""),
                loan.get("base_rate", ""), loan.get("start", ""), loan.get("end", ""), str(loan.get("days", "")),
                _yuan(loan.get("subsidy_fen")), _yuan(loan.get("reward_fen")), status,
                "；".join([basis, *loan.get("basis", [])])]  # fmt: skip
    return [*head, detail["measure"], document.measure_id, day, basis]


def export_documents(session: Session, protector: Protector, caller: Caller, *, form: str, today: dt.date) -> bytes:
    """The list for the receiving agency (Excel, its headings); full numbers only for roles that need them."""
    if not caller.is_staff:
        msg = "交付清单由工作人员导出；提示：申请人可查看本单位（本人）的文书"
        raise ForbiddenError(msg)
    chosen = _form(form)
    assert chosen is not None
    documents = list_documents(session, caller, form=form, limit=5000)
    rows = []
    for seq, document in enumerate(documents, start=1):
        subject = session.get(Subject, document.subject_id)
        assert subject is not None
        rows.append(_row(document, subject, _shown(protector, caller, subject), seq))
    total = sum(d.amount_fen or 0 for d in documents)
    info = {"form": chosen.value, "count": len(rows), "clear_numbers": caller.role in UNMASK_ROLES}
    record(session, actor=caller.username, action="delivery.export", entity="delivery", entity_id=0, detail=info)
    return workbook(chosen, rows, today=today, total=_yuan(total))


def notice(session: Session, protector: Protector, caller: Caller, document_id: int) -> str:
    """The notice, certificate or record of one document, as plain text."""
    document = get_document(session, caller, document_id)
    subject = session.get(Subject, document.subject_id)
    assert subject is not None
    detail = json.loads(document.detail)
    form = Form(document.form)
    lines: list[str] = []
    if form is Form.TAX_DEDUCTION:
        lines = [f"{detail['tax_year']}年度减免税额（扣减限额）：{_yuan(document.amount_fen)}元",
                 f"依次扣减：{detail.get('taxes') or ''}；由税务部门在申报时扣减，不以现金发放。"]  # fmt: skip
    elif form is Form.FEE_RELIEF:
        lines = ["请社会保险经办机构按上述政策办理缓缴（降低费率），缓缴期间免收滞纳金的按政策执行；不以现金发放。"]
    elif form is Form.LOAN_SETTLEMENT:
        loan = detail.get("loan")
        lines = (
            [f"贷款本金 {_yuan(loan['principal_fen'])}元，{loan['start']} 至 {loan['end']}（{loan['days']}天），"
             f"贴息年利率 {loan['subsidised_rate']}，贴息金额 {_yuan(loan['subsidy_fen'])}元，"
             f"经办银行奖励 {_yuan(loan['reward_fen'])}元；与经办银行结算，不付给借款人。", *loan["basis"]]
            if loan else ["待经办银行报送贷款（本金、利率、期限）后计算贴息；贴息与经办银行结算，不付给借款人。"]
        )  # fmt: skip
    shown = _shown(protector, caller, subject)
    if caller.role in UNMASK_ROLES:  # a clear number handed out is on the record, as an unmask is
        info = {"number": document.number, "subject": subject.number_masked, "clear_numbers": True}
        record(session, actor=caller.username, action="delivery.notice", entity="delivery", entity_id=document.id,
               detail=info)  # fmt: skip
    facts = NoticeFacts(form, document.number, document.issued_on, subject.name, shown,
                        f"{detail['measure']}（{document.measure_id}）", tuple(lines), detail["basis"])  # fmt: skip
    return notice_text(facts)
