"""Subjects (persons by 公民身份号码, enterprises by 统一社会信用代码): register, find, read, unmask.

Every function takes the caller and scopes itself: staff reach subjects within their region,
claimants only their own; anything else is "not found", so existence does not leak. Reading a
person's record and revealing any identifier are audited (个人信息保护法); revealing also needs
a role that works with clear numbers and a stated reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.identifiers import check_id_number, check_uscc, mask_id, mask_phone
from jiuye.regions import prefix_of, validate_region
from jiuye.service.audit import record
from jiuye.service.auth import Caller
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.models import IDENTITY_PENDING, IDENTITY_VERIFIED, Subject
from jiuye.service.protect import Protector

__all__ = [
    "UNMASK_ROLES",
    "Revealed",
    "get_subject",
    "list_subjects",
    "register_subject",
    "unmask_subject",
    "verify_subject",
]

#: Roles whose work needs clear numbers: checking a claimant's papers, paying into an account,
#: auditing. Named assumption (a local access policy), per 个人信息保护法 第六条 (minimum necessary).
UNMASK_ROLES = ("caseworker", "finance", "auditor")
_REGISTER_ROLES = ("caseworker", "admin")
MIN_REASON = 4  # characters: a reason must say something


def _checked_number(kind: str, number: str) -> tuple[str, dt.date | None]:
    try:
        if kind == "person":
            checked = check_id_number(number)
            return checked.number, checked.birth_date
        if kind == "enterprise":
            return check_uscc(number), None
    except ValueError as exc:
        raise InputError(str(exc)) from None
    msg = f"对象类型 {kind!r} 不存在；提示：person（个人）或 enterprise（单位）"
    raise InputError(msg)


def _number_index(protector: Protector, kind: str, clear: str) -> str:
    return protector.blind_index("id_number" if kind == "person" else "uscc", clear)


def _already_registered(clear: str) -> ConflictError:
    return ConflictError(f"号码 {mask_id(clear)} 已登记；提示：按号码查找已有的对象，不要重复登记")


def register_subject(
    session: Session,
    protector: Protector,
    caller: Caller,
    *,
    kind: str,
    number: str,
    name: str,
    region: str,
    phone: str | None = None,
    address: str | None = None,
) -> Subject:
    """Register a subject in the caller's region; the same number twice is a conflict."""
    if caller.role not in _REGISTER_ROLES:
        msg = "只有经办人员可以登记对象；提示：企业和个人请由经办窗口登记，或通过申请自动登记"
        raise ForbiddenError(msg)
    clear, birth = _checked_number(kind, number)
    try:
        where = validate_region(region)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if not caller.covers(where):
        msg = f"地区 {where} 不在您的辖区 {caller.region} 之内；提示：只能登记本辖区的对象"
        raise ForbiddenError(msg)
    if not name.strip():
        msg = "名称不能为空"
        raise InputError(msg)
    index = _number_index(protector, kind, clear)
    if session.scalar(select(Subject.id).where(Subject.kind == kind, Subject.number_index == index)) is not None:
        raise _already_registered(clear)
    subject = Subject(
        kind=kind,
        name=name.strip(),
        region=where,
        number_index=index,
        number_sealed=protector.seal(clear),
        number_masked=mask_id(clear),
        birth_date=birth,
    )
    if phone:
        subject.phone_index = protector.blind_index("phone", phone)
        subject.phone_sealed = protector.seal(phone.strip())
        subject.phone_masked = mask_phone(phone)
    if address:
        subject.address_index = protector.blind_index("address", address)
    session.add(subject)
    try:
        session.flush()  # the unique (kind, number_index) constraint settles a race between two clerks
    except IntegrityError:
        raise _already_registered(clear) from None
    detail = {"kind": kind, "number": subject.number_masked, "region": where}
    record(
        session, actor=caller.username, action="subject.create", entity="subject", entity_id=subject.id, detail=detail
    )
    return subject


def _audit(session: Session, caller: Caller, action: str, subject: Subject, detail: dict[str, str]) -> None:
    record(session, actor=caller.username, action=action, entity="subject", entity_id=subject.id, detail=detail)


def _scoped(caller: Caller) -> Select[Subject]:
    query = select(Subject)
    if caller.is_staff:
        prefix = prefix_of(caller.region)
        return query.where(Subject.region.startswith(prefix)) if prefix else query
    return query.where(Subject.id == (caller.subject_id or -1))


def get_subject(session: Session, caller: Caller, subject_id: int) -> Subject:
    """One subject the caller may see (else not found); reading a person is audited."""
    subject = session.scalar(_scoped(caller).where(Subject.id == subject_id))
    if subject is None:
        msg = f"对象 {subject_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    if subject.kind == "person":
        _audit(session, caller, "subject.read", subject, {})
    return subject


def find_by_number(session: Session, protector: Protector, caller: Caller, kind: str, number: str) -> Subject:
    """Look a subject up by its number without the number ever being stored in clear."""
    clear, _ = _checked_number(kind, number)
    index = _number_index(protector, kind, clear)
    found = session.scalar(_scoped(caller).where(Subject.kind == kind, Subject.number_index == index))
    if found is None:
        msg = f"号码 {mask_id(clear)} 未登记或不在您的权限范围内"
        raise NotFoundError(msg)
    return get_subject(session, caller, found.id)


def list_subjects(session: Session, caller: Caller, *, limit: int = 100, offset: int = 0) -> list[Subject]:
    query = _scoped(caller).order_by(Subject.id).limit(min(limit, 1000)).offset(offset)
    return list(session.scalars(query))


@dataclass(frozen=True)
class Revealed:
    subject_id: int
    number: str
    phone: str | None


def unmask_subject(session: Session, protector: Protector, caller: Caller, subject_id: int, reason: str) -> Revealed:
    """The clear number and phone, for a role that needs them and a stated reason; audited."""
    subject = get_subject(session, caller, subject_id)
    if caller.role not in UNMASK_ROLES:
        msg = f"角色 {caller.role} 无权查看完整号码；提示：需要时请经办、财务或审计人员查看"
        raise ForbiddenError(msg)
    if len(reason.strip()) < MIN_REASON:
        msg = f"查看完整号码须说明事由（至少 {MIN_REASON} 个字）；提示：如“核对申请材料”“银行退票核实”"
        raise InputError(msg)
    detail = {"reason": reason.strip(), "number": subject.number_masked}
    record(
        session, actor=caller.username, action="subject.unmask", entity="subject", entity_id=subject.id, detail=detail
    )
    phone = protector.unseal(subject.phone_sealed) if subject.phone_sealed else None
    return Revealed(subject.id, protector.unseal(subject.number_sealed), phone)


def find_subject(session: Session, protector: Protector, kind: str, number: str) -> tuple[str, Subject | None]:
    """Unscoped lookup for self-registration: (the checked number, the subject if registered)."""
    clear, _ = _checked_number(kind, number)
    index = _number_index(protector, kind, clear)
    return clear, session.scalar(select(Subject).where(Subject.kind == kind, Subject.number_index == index))


def create_self_registered(
    session: Session, protector: Protector, *, kind: str, number: str, name: str, region: str, phone: str, actor: str
) -> Subject:
    """A subject the bureau did not have, made by its own self-registration (its identity is
    not yet checked by staff)."""
    clear, birth = _checked_number(kind, number)
    subject = Subject(
        kind=kind,
        name=name.strip(),
        region=validate_region(region),
        number_index=_number_index(protector, kind, clear),
        number_sealed=protector.seal(clear),
        number_masked=mask_id(clear),
        birth_date=birth,
        phone_index=protector.blind_index("phone", phone),
        phone_sealed=protector.seal(phone.strip()),
        phone_masked=mask_phone(phone),
        identity_status=IDENTITY_PENDING,  # the bureau's registry does not have it: staff check by hand
    )
    session.add(subject)
    try:
        session.flush()
    except IntegrityError:
        raise _already_registered(clear) from None
    detail = {"kind": kind, "number": subject.number_masked, "region": subject.region, "via": "self-registration"}
    record(session, actor=actor, action="subject.create", entity="subject", entity_id=subject.id, detail=detail)
    return subject


def verify_subject(session: Session, caller: Caller, subject_id: int, reason: str) -> Subject:
    """A caseworker of the subject's region confirms its identity by hand (papers seen, licence
    checked): its claims may then be approved and paid. Audited with the reason."""
    subject = get_subject(session, caller, subject_id)
    if caller.role != "caseworker":
        msg = "只有所在地经办人员可以核验对象身份"
        raise ForbiddenError(msg)
    if len(reason.strip()) < MIN_REASON:
        msg = f"核验身份须写明依据（至少 {MIN_REASON} 个字）；提示：如“已现场核对营业执照原件”"
        raise InputError(msg)
    if subject.identity_status == IDENTITY_VERIFIED:
        msg = f"对象 {subject_id} 的身份已核验，无需重复核验"
        raise ConflictError(msg)
    before, subject.identity_status = subject.identity_status, IDENTITY_VERIFIED
    detail = {"reason": reason.strip(), "from": before, "to": IDENTITY_VERIFIED, "number": subject.number_masked}
    _audit(session, caller, "subject.verify", subject, detail)
    return subject
