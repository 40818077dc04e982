"""Self-registration of an enterprise (统一社会信用代码) or a person (公民身份号码): a code sent
to a phone, then a user bound to the subject.

1. :func:`start_registration` (number, name, region, phone): a code goes to the subject's phone
   on file, or to the phone given when the bureau does not know the subject yet. The answer is
   the same whatever is found: whether a number is registered or already has an account is
   never revealed. A subject that already has an account gets no code (no account takeover),
   nor does one whose name on file differs.
2. :func:`confirm_registration` (code, user name, password): the user, bound to the subject
   (made here if the bureau did not have it).

Codes: 6 digits, single use, valid 10 minutes, 5 tries, stored only as an HMAC under a key
outside the database. Named assumptions (a local security setting): ``CODE_MINUTES``,
``CODE_ATTEMPTS``, ``STARTS_PER_HOUR``. Delivery is a pluggable function (``CodeSender``); no
SMS gateway is connected yet, so the default, :func:`log_code`, writes the code to the service
log (development and demonstration only).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jiuye.identifiers import mask_id, mask_phone
from jiuye.regions import validate_region
from jiuye.service.audit import record
from jiuye.service.auth import check_password, create_user
from jiuye.service.db import transaction
from jiuye.service.errors import ConflictError, InputError, ServiceError
from jiuye.service.models import Registration, User
from jiuye.service.protect import Protector
from jiuye.service.subjects import create_self_registered, find_subject

__all__ = ["CodeError", "CodeSender", "Started", "confirm_registration", "log_code", "start_registration"]

CODE_MINUTES = 10  # named assumption: how long a code is valid
CODE_ATTEMPTS = 5  # named assumption: wrong codes allowed before a registration is void
STARTS_PER_HOUR = 5  # named assumption: codes sent for one number in an hour (SMS flooding)

#: Sends ``message`` (which holds the code) to ``phone``.
CodeSender = Callable[[str, str], None]
_log = logging.getLogger("jiuye.registration")


def log_code(phone: str, message: str) -> None:
    """Development and demonstration: the code is written to the service log, not sent."""
    _log.warning("【未接短信网关，仅供开发演示】发往 %s 的短信：%s", mask_phone(phone), message)


class CodeError(ServiceError):
    status = 422
    code = "CODE_INVALID"


def _invalid() -> CodeError:
    return CodeError("验证码不正确、已使用或已过期；提示：重新获取验证码")


@dataclass(frozen=True)
class Started:
    registration_id: str
    expires_in: int  # seconds


def _code_hash(key: bytes, registration_id: str, code: str) -> str:
    return hmac.new(key, f"{registration_id}:{code.strip()}".encode(), hashlib.sha256).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def start_registration(
    session: Session,
    protector: Protector,
    code_key: bytes,
    send: CodeSender,
    *,
    kind: str,
    number: str,
    name: str,
    region: str,
    phone: str,
    now: dt.datetime | None = None,
) -> Started:
    at = now or dt.datetime.now(dt.UTC)
    digits = phone.strip()
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        msg = "手机号格式不正确；提示：应为7—15位数字"
        raise InputError(msg)
    if not name.strip():
        msg = "名称不能为空"
        raise InputError(msg)
    try:
        where = validate_region(region)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    clear, subject = find_subject(session, protector, kind, number)
    index = protector.blind_index("id_number" if kind == "person" else "uscc", clear)
    bound = subject is not None and session.scalar(select(User.id).where(User.subject_id == subject.id)) is not None
    recent = session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.number_index == index, Registration.created_at > at - dt.timedelta(hours=1))
    )
    name_matches = subject is None or subject.name == name.strip()
    # A subject the bureau knows is claimed through its phone on file only: without one, staff
    # must record the phone first (else knowing a number and a name would be enough).
    reachable = subject is None or subject.phone_sealed is not None
    send_code = not bound and name_matches and reachable and (recent or 0) < STARTS_PER_HOUR
    to = protector.unseal(subject.phone_sealed) if subject is not None and subject.phone_sealed else digits
    registration_id, code = secrets.token_hex(16), f"{secrets.randbelow(10**6):06d}"
    session.add(
        Registration(
            id=registration_id, kind=kind, number_index=index, number_sealed=protector.seal(clear),
            name=name.strip(), region=where, phone_sealed=protector.seal(to),
            code_hash=_code_hash(code_key, registration_id, code), sent=send_code,
            expires_at=at + dt.timedelta(minutes=CODE_MINUTES), attempts=0, created_at=at,
        )
    )  # fmt: skip
    session.flush()
    detail = {"kind": kind, "number": mask_id(clear), "sent": send_code}
    record(
        session, actor="anonymous", action="registration.start", entity="registration", entity_id=registration_id,
        detail=detail,
    )  # fmt: skip
    if send_code:
        send(to, f"您的注册验证码为 {code}，{CODE_MINUTES} 分钟内有效。如非本人操作，请忽略。")
    return Started(registration_id, CODE_MINUTES * 60)


def confirm_registration(
    sessions: sessionmaker[Session],
    protector: Protector,
    code_key: bytes,
    *,
    registration_id: str,
    code: str,
    username: str,
    password: str,
    display_name: str | None = None,
    now: dt.datetime | None = None,
) -> User:
    """The new user, bound to the subject; a wrong code still counts against the registration
    (committed before the error is raised)."""
    with transaction(sessions) as session:
        outcome = _confirm(
            session, protector, code_key, registration_id, code, username.strip(), password, display_name,
            now or dt.datetime.now(dt.UTC),
        )  # fmt: skip
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


def _confirm(
    session: Session,
    protector: Protector,
    code_key: bytes,
    registration_id: str,
    code: str,
    username: str,
    password: str,
    display_name: str | None,
    now: dt.datetime,
) -> User | ServiceError:
    # Mistakes that are not guesses at the code are refused before a try is counted.
    check_password(password)
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        msg = "用户名应为1—64个字符，不含空格"
        raise InputError(msg)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        msg = f"用户名 {username!r} 已存在；提示：换一个用户名"
        raise ConflictError(msg)
    row = session.scalar(select(Registration).where(Registration.id == registration_id[:32]).with_for_update())
    if row is None or row.used_at is not None or _aware(row.expires_at) <= now or row.attempts >= CODE_ATTEMPTS:
        return _invalid()
    row.attempts += 1
    if not row.sent or not hmac.compare_digest(_code_hash(code_key, row.id, code), row.code_hash):
        _audit(session, row, "registration.code_wrong", {"attempt": str(row.attempts)})
        return _invalid()
    clear = protector.unseal(row.number_sealed)
    _, subject = find_subject(session, protector, row.kind, clear)
    if subject is not None:
        session.refresh(subject, with_for_update=True)  # two confirmations for one subject queue here
        if session.scalar(select(User.id).where(User.subject_id == subject.id)) is not None:
            _audit(session, row, "registration.refused", {"why": "already bound"})
            return _invalid()  # already has an account: the same answer as a wrong code
        # The code must have gone to the subject's phone on file: a subject the bureau registered
        # after the code went to a phone the applicant chose is not theirs to claim.
        if subject.phone_sealed is None or protector.unseal(subject.phone_sealed) != protector.unseal(row.phone_sealed):
            _audit(session, row, "registration.refused", {"why": "not the phone on file"})
            return _invalid()
    else:
        phone = protector.unseal(row.phone_sealed)
        subject = create_self_registered(
            session, protector, kind=row.kind, number=clear, name=row.name, region=row.region, phone=phone,
            actor=f"registration:{username}",
        )  # fmt: skip
    row.used_at = now
    role = "enterprise" if row.kind == "enterprise" else "individual"
    user = create_user(
        session, username=username, password=password, role=role, region=subject.region,
        display_name=(display_name or "").strip() or subject.name, subject_id=subject.id,
        actor=f"registration:{username}",
    )  # fmt: skip
    _audit(session, row, "registration.confirm", {"user": str(user.id), "subject": str(subject.id)})
    return user


def _audit(session: Session, row: Registration, action: str, detail: dict[str, str]) -> None:
    record(session, actor="anonymous", action=action, entity="registration", entity_id=row.id, detail=detail)
