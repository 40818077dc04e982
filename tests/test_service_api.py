"""The case service's API: real logins, scoped data, masked identifiers, audited reveals.

Runs on SQLite and on PostgreSQL (``database_url``)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from stdnum.cn import ric, uscc

from api_world import staff_client
from jiuye.service.api import create_app
from jiuye.service.auth import create_user, issue_token
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.models import AuditEvent, Subject, User
from jiuye.service.settings import Settings

PASSWORD = "correct horse battery"
PERSON = "11010519491231002X"


def _id_number(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def _uscc(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


STAFF = (
    ("admin", "admin", "450000"),
    ("clerk", "caseworker", "450103"),
    ("clerk_lz", "caseworker", "450202"),
    ("auditor", "auditor", "450000"),
    ("finance", "finance", "450103"),
)


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with staff_client(database_url, tmp_path, STAFF) as test_client:
        yield test_client


def _login(client: TestClient, username: str) -> dict[str, str]:
    done = client.post("/auth/token", data={"username": username, "password": PASSWORD})
    assert done.status_code == 200, done.text
    return {"Authorization": f"Bearer {done.json()['access_token']}"}


def _register(client: TestClient, headers: dict[str, str], number: str = PERSON, region: str = "450103") -> dict:  # type: ignore[type-arg]
    body = {"kind": "person", "number": number, "name": "张三", "region": region, "phone": "13800138000"}
    done = client.post("/subjects", json=body, headers=headers)
    assert done.status_code == 201, done.text
    return dict(done.json())


def test_login_gives_a_token_and_a_wrong_password_a_chinese_401(client: TestClient) -> None:
    assert client.get("/auth/me", headers=_login(client, "clerk")).json()["region"] == "450103"
    wrong = client.post("/auth/token", data={"username": "clerk", "password": "nope-nope-nope"})
    assert wrong.status_code == 401 and wrong.json() == {"code": "AUTH_FAILED", "message": "用户名或口令不正确"}
    assert client.post("/auth/token", data={"username": "nobody", "password": PASSWORD}).status_code == 401


def test_no_token_a_forged_one_or_an_expired_one_is_refused(client: TestClient) -> None:
    assert client.get("/auth/me").json()["code"] == "AUTH_FAILED"
    assert client.get("/auth/me", headers={"Authorization": "Bearer abc.def.ghi"}).status_code == 401
    state = client.app_state  # type: ignore[attr-defined]
    with state.sessions() as session:
        user = session.scalar(select(User).where(User.username == "clerk"))
    stale = issue_token(user, state.settings.token_key, 60, now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
    expired = client.get("/auth/me", headers={"Authorization": f"Bearer {stale}"})
    assert expired.status_code == 401 and "已过期" in expired.json()["message"]
    forged = issue_token(user, b"k" * 32, 60)
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_a_disabled_account_is_locked_out_at_once(client: TestClient) -> None:
    headers = _login(client, "clerk")
    state = client.app_state  # type: ignore[attr-defined]
    with state.sessions() as session, session.begin():
        session.scalar(select(User).where(User.username == "clerk")).active = False
    assert client.get("/auth/me", headers=headers).json()["message"].startswith("账号已停用")


def test_a_registered_person_is_shown_masked_and_stored_without_the_clear_number(client: TestClient) -> None:
    shown = _register(client, _login(client, "clerk"))
    assert shown["number"] == "1101**********002X" and shown["phone"] == "138****8000"
    assert shown["birth_date"] == "1949-12-31"
    state = client.app_state  # type: ignore[attr-defined]
    with state.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM subjects")).all()
        events = connection.execute(text("SELECT detail FROM audit_events")).scalars().all()
    stored = " ".join(str(v) for row in rows for v in row)
    assert PERSON not in stored and "13800138000" not in stored
    assert not any(PERSON in e for e in events), "审计日志中也不得出现完整号码"


def test_a_bad_check_digit_is_a_chinese_422_and_nothing_is_stored(client: TestClient) -> None:
    body = {"kind": "person", "number": "110105194912310021", "name": "李四", "region": "450103"}
    done = client.post("/subjects", json=body, headers=_login(client, "clerk"))
    assert done.status_code == 422 and "校验码不正确" in done.json()["message"]
    assert "110105194912310021" not in done.text, "错误信息中的号码须脱敏"
    missing = client.post("/subjects", json={"kind": "person"}, headers=_login(client, "clerk"))
    assert missing.status_code == 422 and "number：缺少此字段" in missing.json()["message"]
    with client.app_state.sessions() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(Subject)).all() == []


def test_the_same_number_twice_is_a_conflict(client: TestClient) -> None:
    headers = _login(client, "clerk")
    _register(client, headers)
    again = client.post(
        "/subjects",
        json={"kind": "person", "number": PERSON.lower(), "name": "张三", "region": "450103"},
        headers=headers,
    )
    assert again.status_code == 409 and again.json()["code"] == "CONFLICT"


def test_a_caseworker_of_another_region_neither_sees_nor_registers_there(client: TestClient) -> None:
    subject = _register(client, _login(client, "clerk"))
    other = _login(client, "clerk_lz")
    assert client.get(f"/subjects/{subject['id']}", headers=other).status_code == 404
    assert client.get("/subjects", headers=other).json() == []
    unmask = client.post(f"/subjects/{subject['id']}/unmask", json={"reason": "核对申请材料"}, headers=other)
    assert unmask.status_code == 404
    body = {"kind": "enterprise", "number": _uscc("91450103MA5K00000"), "name": "某公司", "region": "450103"}
    assert client.post("/subjects", json=body, headers=other).status_code == 403
    assert client.get("/subjects", headers=_login(client, "admin")).json()[0]["id"] == subject["id"]


def test_a_claimant_sees_only_their_own_record_and_never_the_clear_number(client: TestClient) -> None:
    headers = _login(client, "clerk")
    mine = _register(client, headers)
    theirs = _register(client, headers, number=_id_number("45010319900101123"))
    state = client.app_state  # type: ignore[attr-defined]
    with transaction(state.sessions) as session:
        create_user(
            session,
            username="zhangsan",
            password=PASSWORD,
            role="individual",
            region="450103",
            display_name="张三",
            subject_id=mine["id"],
        )
    own = _login(client, "zhangsan")
    assert client.get(f"/subjects/{mine['id']}", headers=own).json()["number"] == "1101**********002X"
    assert client.get(f"/subjects/{theirs['id']}", headers=own).status_code == 404
    refused = client.post(f"/subjects/{mine['id']}/unmask", json={"reason": "想看看"}, headers=own)
    assert refused.status_code == 403 and "无权查看完整号码" in refused.json()["message"]


def test_revealing_a_number_needs_a_reason_and_is_on_the_record(client: TestClient) -> None:
    subject = _register(client, _login(client, "clerk"))
    finance = _login(client, "finance")
    vague = client.post(f"/subjects/{subject['id']}/unmask", json={"reason": "看"}, headers=finance)
    assert vague.status_code == 422 and "说明事由" in vague.json()["message"]
    done = client.post(f"/subjects/{subject['id']}/unmask", json={"reason": "银行退票核实"}, headers=finance)
    assert done.status_code == 200 and done.json()["number"] == PERSON and done.json()["phone"] == "13800138000"
    with client.app_state.sessions() as session:  # type: ignore[attr-defined]
        actions = [(e.actor, e.action) for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
        reveal = session.scalar(select(AuditEvent).where(AuditEvent.action == "subject.unmask"))
    assert ("finance", "subject.unmask") in actions and ("finance", "subject.read") in actions
    assert "银行退票核实" in reveal.detail
    report = client.get("/audit/verify", headers=_login(client, "auditor")).json()
    assert report["intact"] and report["events"] == len(actions)
    assert client.get("/audit/verify", headers=finance).status_code == 403


def test_operation_ids_are_stable(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert ids == {
        "login",
        "whoami",
        "registerSubject",
        "listSubjects",
        "getSubject",
        "unmaskSubject",
        "verifySubject",
        "verifyAuditChain",
        "createApplication",
        "getApplication",
        "submitApplication",
        "acceptApplication",
        "approveApplication",
        "setApplicationAmount",
        "objectToApplication",
        "closeNotice",
        "addBankAccount",
        "prepareBatch",
        "exportBatchFile",
        "importBatchReturn",
        "updateApplicationFacts",
        "returnApplication",
        "rejectApplication",
        "withdrawApplication",
        "listSafetyHits",
        "disposeSafetyHit",
        "allocateFunds",
        "fundPosition",
        "listApplications",
        "listBatches",
        "registerGraduate",
        "getGraduate",
        "recordService",
        "setGraduateStatus",
        "advancePush",
        "listLedger",
        "exportLedger",
        "importPostings",
        "listPostings",
        "postingIndexStatus",
        "recommendJobs",
        "recommendSeekers",
        "pushJobs",
        "updateGraduateProfile",
        "listDeliveries",
        "exportDeliveries",
        "getDelivery",
        "exportDeliveryNotice",
        "recordLoanTerms",
        "createUser",
        "listUsers",
        "disableUser",
        "enableUser",
        "setUserPassword",
        "setUserRole",
        "startRegistration",
        "confirmRegistration",
        "listBatchPayments",
        "voidBatch",
        "voidPayment",
    }


def test_the_demo_data_gives_every_role_a_login_and_masked_subjects(database_url: str, tmp_path: Path) -> None:
    from jiuye.service.demo import DEMO_USERS, seed_demo
    from jiuye.service.protect import Protector

    settings = Settings(database_url=database_url, data_dir=tmp_path, master_key=os.urandom(32))
    engine = make_engine(database_url)
    protector = Protector(settings.index_key, settings.encryption_key)
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        assert seed_demo(session, protector, PASSWORD)
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        assert not seed_demo(session, protector, PASSWORD), "已有用户时不再写入演示数据"
    engine.dispose()
    app = create_app(settings)
    with TestClient(app) as client:
        for username, role, *_ in DEMO_USERS:
            assert client.get("/auth/me", headers=_login(client, username)).json()["role"] == role
        listed = client.get("/subjects", headers=_login(client, "clerk")).json()
        assert len(listed) == 4 and all("*" in s["number"] for s in listed)
    app.state.engine.dispose()
