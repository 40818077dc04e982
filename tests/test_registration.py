"""Self-registration of enterprises and persons over HTTP: a code, then a user bound to the
subject; codes single use, expiring, tried a few times, stored hashed; no account takeover;
the same answer whether a number is registered or not (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from stdnum.cn import ric, uscc

from jiuye.service.api import create_app
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.models import AuditEvent, Registration, Subject, User
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings
from jiuye.service.subjects import register_subject
from jiuye.service.users import Admin, set_active

PASSWORD = "correct horse battery"
KNOWN_FIRM = "91450103MA5KD0001" + uscc.calc_check_digit("91450103MA5KD0001")  # on file, with a phone
NEW_FIRM = "91450103MA5KD0002" + uscc.calc_check_digit("91450103MA5KD0002")
NO_PHONE_FIRM = "91450103MA5KD0003" + uscc.calc_check_digit("91450103MA5KD0003")
PERSON = "45010319990101123" + ric.calc_check_digit("450103199901011230")
FILE_PHONE = "13900000001"


class Phones:
    """The pluggable delivery channel, recording what each phone was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def __call__(self, phone: str, message: str) -> None:
        self.sent.append((phone, message))

    def code(self, phone: str) -> str:
        found = [re.search(r"\d{6}", message) for to, message in self.sent if to == phone]
        assert found and found[-1], f"没有发往 {phone} 的验证码"
        return found[-1].group()


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Phones]]:
    settings = Settings(database_url=database_url, data_dir=tmp_path, master_key=os.urandom(32))
    engine = make_engine(database_url)
    protector = Protector(settings.index_key, settings.encryption_key)
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        clerk = create_user(
            session, username="clerk", password=PASSWORD, role="caseworker", region="450103", display_name="c"
        )
        caller = Caller(clerk.id, "clerk", "caseworker", "450103", None)
        register_subject(session, protector, caller, kind="enterprise", number=KNOWN_FIRM, name="南宁示例制造有限公司",
                         region="450103", phone=FILE_PHONE)  # fmt: skip
        register_subject(session, protector, caller, kind="enterprise", number=NO_PHONE_FIRM, name="无电话公司",
                         region="450103")  # fmt: skip
    engine.dispose()
    app = create_app(settings)
    phones = Phones()
    app.state.code_sender = phones
    with TestClient(app) as test_client:
        test_client.app_state = app.state  # type: ignore[attr-defined]
        yield test_client, phones
    app.state.engine.dispose()


def _start(client: TestClient, number: str, name: str, phone: str = "13800000000", kind: str = "enterprise") -> dict:  # type: ignore[type-arg]
    body = {"kind": kind, "number": number, "name": name, "region": "450103", "phone": phone}
    done = client.post("/registration/start", json=body)
    assert done.status_code == 202, done.text
    return dict(done.json())


def _confirm(client: TestClient, started: dict, code: str, username: str = "firm1"):  # type: ignore[no-untyped-def,type-arg]
    body = {"registration_id": started["registration_id"], "code": code, "username": username, "password": PASSWORD}
    return client.post("/registration/confirm", json=body)


def _state(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app_state  # type: ignore[attr-defined]


def test_a_new_enterprise_registers_and_logs_in_bound_to_its_new_subject(client: tuple[TestClient, Phones]) -> None:
    http, phones = client
    started = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000002")
    done = _confirm(http, started, phones.code("13800000002"))
    assert done.status_code == 201, done.text
    user = done.json()
    assert user["role"] == "enterprise" and user["region"] == "450103" and user["subject_id"]
    assert "hash" not in done.text
    token = http.post("/auth/token", data={"username": "firm1", "password": PASSWORD}).json()["access_token"]
    mine = http.get(f"/subjects/{user['subject_id']}", headers={"Authorization": f"Bearer {token}"}).json()
    assert mine["name"] == "南宁新创科技有限公司" and mine["phone"] == "138****0002"
    with _state(http).sessions() as session:
        stored = session.scalars(select(Registration)).one()
        assert phones.code("13800000002") not in stored.code_hash and len(stored.code_hash) == 64, "验证码只存哈希"
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"registration.start", "registration.confirm", "subject.create", "user.create"} <= actions
    reused = _confirm(http, started, phones.code("13800000002"), username="firm2")
    assert reused.status_code == 422 and reused.json()["code"] == "CODE_INVALID", "验证码只能用一次"


def test_a_known_enterprise_is_reached_through_its_phone_on_file_and_bound(client: tuple[TestClient, Phones]) -> None:
    http, phones = client
    started = _start(http, KNOWN_FIRM, "南宁示例制造有限公司", phone="13700000000")
    assert [to for to, _ in phones.sent] == [FILE_PHONE], "已登记对象的验证码发往登记的手机号，不发往申请人填写的号码"
    assert _confirm(http, started, phones.code(FILE_PHONE)).status_code == 201
    with _state(http).sessions() as session:
        subject = session.scalars(select(Subject).where(Subject.name == "南宁示例制造有限公司")).one()
        assert session.scalars(select(User).where(User.username == "firm1")).one().subject_id == subject.id
        assert session.scalar(select(text("count(*)")).select_from(Subject)) == 2, "不重复创建对象"


def test_a_person_registers_as_an_individual(client: tuple[TestClient, Phones]) -> None:
    http, phones = client
    started = _start(http, PERSON, "张三", phone="13600000000", kind="person")
    done = _confirm(http, started, phones.code("13600000000"), username="zhangsan")
    assert done.status_code == 201 and done.json()["role"] == "individual"


def test_a_bound_subject_cannot_be_registered_again_and_the_answer_does_not_tell(
    client: tuple[TestClient, Phones],
) -> None:
    http, phones = client
    first = _start(http, KNOWN_FIRM, "南宁示例制造有限公司")
    assert _confirm(http, first, phones.code(FILE_PHONE)).status_code == 201
    phones.sent.clear()
    again = _start(http, KNOWN_FIRM, "南宁示例制造有限公司", phone="13700000000")
    fresh = _start(http, NEW_FIRM, "另一家公司", phone="13500000000")
    assert again.keys() == fresh.keys() and again["message"] == fresh["message"], "回答不透露号码是否已注册"
    assert [to for to, _ in phones.sent] == ["13500000000"], "已有账号的对象不再发送验证码"
    for guess in ("000000", "123456"):
        refused = _confirm(http, again, guess, username="thief")
        assert refused.status_code == 422 and refused.json()["code"] == "CODE_INVALID"
    with _state(http).sessions() as session:
        assert session.scalar(select(User).where(User.username == "thief")) is None


def test_a_known_subject_without_a_phone_on_file_or_with_another_name_gets_no_code(
    client: tuple[TestClient, Phones],
) -> None:
    http, phones = client
    _start(http, NO_PHONE_FIRM, "无电话公司", phone="13700000000")
    _start(http, KNOWN_FIRM, "冒名公司", phone="13700000000")
    assert phones.sent == []


def test_wrong_expired_and_exhausted_codes_are_refused(client: tuple[TestClient, Phones]) -> None:
    http, phones = client
    started = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000002")
    code = phones.code("13800000002")
    wrong = "000000" if code != "000000" else "111111"
    assert _confirm(http, started, wrong).json()["code"] == "CODE_INVALID"
    with _state(http).sessions() as session, session.begin():
        assert session.scalars(select(Registration)).one().attempts == 1, "错误的尝试已记录（未随失败回滚）"
        session.execute(update(Registration).values(expires_at=Registration.created_at))
    assert _confirm(http, started, code).json()["code"] == "CODE_INVALID", "过期的验证码无效"
    again = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000002")
    code = phones.code("13800000002")
    for _ in range(5):
        assert _confirm(http, again, wrong).status_code == 422
    assert _confirm(http, again, code).json()["code"] == "CODE_INVALID", "错误次数用尽后正确的验证码也无效"
    with _state(http).sessions() as session:
        assert session.scalar(select(User).where(User.username == "firm1")) is None


def test_bad_input_is_refused_before_a_try_is_counted(client: tuple[TestClient, Phones]) -> None:
    http, phones = client
    bad = http.post("/registration/start", json={"kind": "enterprise", "number": NEW_FIRM[:-1] + "0", "name": "x",
                                                 "region": "450103", "phone": "13800000000"})  # fmt: skip
    assert bad.status_code == 422 and "校验码不正确" in bad.json()["message"]
    started = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000002")
    body = {"registration_id": started["registration_id"], "code": phones.code("13800000002"), "username": "clerk",
            "password": PASSWORD}  # fmt: skip
    assert http.post("/registration/confirm", json=body).status_code == 409, "用户名已存在"
    short = http.post("/registration/confirm", json={**body, "username": "firm1", "password": "short"})
    assert short.status_code == 422 and "口令过短" in short.json()["message"]
    assert http.post("/registration/confirm", json={**body, "username": "firm1"}).status_code == 201


def test_the_default_channel_writes_the_code_to_the_service_log_with_the_phone_masked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from jiuye.service.registration import log_code

    with caplog.at_level("WARNING", logger="jiuye.registration"):
        log_code("13800000002", "您的注册验证码为 123456")
    assert "123456" in caplog.text and "138****0002" in caplog.text and "13800000002" not in caplog.text


def test_a_self_registered_subject_is_pending_until_a_caseworker_checks_its_identity(
    client: tuple[TestClient, Phones],
) -> None:
    """The bureau's registry did not have it: the number was only proved to reach a phone, so the
    subject waits for a manual identity check (claims by it cannot be approved or paid until then)."""
    http, phones = client
    started = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000002")
    subject_id = _confirm(http, started, phones.code("13800000002")).json()["subject_id"]
    known = _start(http, KNOWN_FIRM, "南宁示例制造有限公司")
    known_id = _confirm(http, known, phones.code(FILE_PHONE), username="firm2").json()["subject_id"]
    with _state(http).sessions() as session:
        assert session.get(Subject, subject_id).identity_status == "pending"
        assert session.get(Subject, known_id).identity_status == "verified", "局里已登记的对象不需再核验"
    firm = http.post("/auth/token", data={"username": "firm1", "password": PASSWORD}).json()["access_token"]
    refused = http.post(
        f"/subjects/{subject_id}/verify", json={"reason": "自己核验自己"}, headers={"Authorization": f"Bearer {firm}"}
    )
    assert refused.status_code == 403, "单位不能核验自己的身份"
    clerk = http.post("/auth/token", data={"username": "clerk", "password": PASSWORD}).json()["access_token"]
    checked = http.post(
        f"/subjects/{subject_id}/verify",
        json={"reason": "已现场核对营业执照原件"},
        headers={"Authorization": f"Bearer {clerk}"},
    )
    assert checked.status_code == 200, checked.text
    with _state(http).sessions() as session:
        assert session.get(Subject, subject_id).identity_status == "verified"


def test_a_subject_the_bureau_registers_after_the_code_was_sent_cannot_be_claimed_by_that_code(
    client: tuple[TestClient, Phones],
) -> None:
    """Attack: start for an unknown number with one's own phone; the bureau then registers the real
    subject (verified, its phone on file); confirming the old code must not bind to that subject."""
    http, phones = client
    started = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000009")
    token = http.post("/auth/token", data={"username": "clerk", "password": PASSWORD}).json()["access_token"]
    clerk = {"Authorization": f"Bearer {token}"}
    body = {"kind": "enterprise", "number": NEW_FIRM, "name": "南宁新创科技有限公司", "region": "450103",
            "phone": "13900000077"}  # fmt: skip
    assert http.post("/subjects", json=body, headers=clerk).status_code == 201
    done = _confirm(http, started, phones.code("13800000009"))
    assert done.status_code == 422 and done.json()["code"] == "CODE_INVALID", done.text
    with _state(http).sessions() as session:
        assert session.scalar(select(User.id).where(User.username == "firm1")) is None, "不得绑定到经办登记的对象"
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions[-1] == "registration.refused"
    # The owner, reached through the phone on file, still registers.
    again = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000009")
    assert _confirm(http, again, phones.code("13900000077")).status_code == 201


def test_a_disabled_account_neither_works_nor_lets_anyone_register_the_subject_again(
    client: tuple[TestClient, Phones],
) -> None:
    http, phones = client
    started = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000002")
    assert _confirm(http, started, phones.code("13800000002")).status_code == 201
    token = http.post("/auth/token", data={"username": "firm1", "password": PASSWORD}).json()["access_token"]
    with transaction(_state(http).sessions) as session:
        set_active(session, Admin("operator"), "firm1", active=False)
    assert http.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    sent = len(phones.sent)
    again = _start(http, NEW_FIRM, "南宁新创科技有限公司", phone="13800000099")
    assert len(phones.sent) == sent, "已有账号（即使停用）的对象不再发验证码"
    for code in ("000000", "123456"):
        assert _confirm(http, again, code, username="firm9").json()["code"] == "CODE_INVALID"
    with _state(http).sessions() as session:
        assert session.scalar(select(User.id).where(User.username == "firm9")) is None
    with transaction(_state(http).sessions) as session:
        create_user(session, username="admin", password=PASSWORD, role="admin", region="450000", display_name="a")
    admin_token = http.post("/auth/token", data={"username": "admin", "password": PASSWORD}).json()["access_token"]
    admin = {"Authorization": f"Bearer {admin_token}"}
    body = {"username": "x1", "password": PASSWORD, "role": "caseworker", "region": "450103"}
    for bad in ({"subject_id": 1}, {"role": "enterprise"}, {"role": "individual"}):
        made = http.post("/users", json={**body, **bad}, headers=admin)
        assert made.status_code == 422, ("不能由管理接口创建绑定对象的账号", bad, made.text)
    assert http.post("/users/firm1/enable", headers=admin).json()["active"] is True
    assert http.post("/users/firm1/role", json={"role": "caseworker"}, headers=admin).status_code == 422
