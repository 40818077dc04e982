"""A gx.expansion claim over HTTP, from the enterprise's login to a granted approval; and what the
API refuses (bad input, other regions), with Chinese messages and nothing stored."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from stdnum.cn import ric, uscc

from jiuye.service.api import create_app
from jiuye.service.audit import verify_chain
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.models import Application, AuditEvent, GrantItem, Payment
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings
from jiuye.service.subjects import register_subject

PASSWORD = "correct horse battery"
PERSON = "45010320030501123" + ric.calc_check_digit("45010320030501123" + "0")
FIRM = "91450103MA5KD0001" + uscc.calc_check_digit("91450103MA5KD0001")
FACTS = {
    "employers": [{"id": "E1", "uscc": FIRM, "kind": "enterprise", "region": "450103"}],
    "persons": [
        {
            "id": "P1",
            "id_number": PERSON,
            "unemployment_registered_on": "2025-01-10",
            "unemployment_registration_ended_on": "2025-03-01",
        }
    ],
    "employments": [
        {
            "person": "P1",
            "employer": "E1",
            "hire_date": "2025-03-01",
            "labour_contract": True,
            "months_paid_ui": 10,
            "months_paid_injury": 10,
            "months_paid_pension": 10,
        }
    ],
}


class Clock:
    today = dt.date(2025, 12, 1)

    def __call__(self) -> dt.date:
        return self.today


@pytest.fixture
def setup(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Clock, int]]:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, master_key=os.urandom(32), payer_account="6222000011112222333"
    )
    engine = make_engine(database_url)
    protector = Protector(settings.index_key, settings.encryption_key)
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        staff = {}
        for name, role, region in (
            ("clerk", "caseworker", "450103"),
            ("reviewer1", "reviewer", "450103"),
            ("clerk_lz", "caseworker", "450202"),
            ("reviewer_lz", "reviewer", "450202"),
            ("finance", "finance", "450103"),
            ("finance2", "finance", "450103"),
            ("finance_lz", "finance", "450202"),
        ):
            staff[name] = create_user(
                session, username=name, password=PASSWORD, role=role, region=region, display_name=name
            )
        clerk = Caller(staff["clerk"].id, "clerk", "caseworker", "450103", None)
        firm = register_subject(
            session, protector, clerk, kind="enterprise", number=FIRM, name="示例企业", region="450103"
        )
        firm_id = firm.id
        create_user(
            session, username="firm", password=PASSWORD, role="enterprise", region="450103",
            display_name="示例企业", subject_id=firm_id,
        )  # fmt: skip
    engine.dispose()
    clock = Clock()
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        yield client, clock, firm_id
    app.state.engine.dispose()


def _as(client: TestClient, username: str) -> dict[str, str]:
    done = client.post("/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {done.json()['access_token']}"}


def _claim(client: TestClient, firm_id: int, **overrides: Any) -> Any:
    body = {"measure_id": "gx.expansion", "subject_id": firm_id, "claimant_ref": "E1", "facts": FACTS, **overrides}
    return client.post("/applications", json=body, headers=_as(client, "firm"))


def test_an_expansion_claim_from_submission_to_a_granted_approval(setup: tuple[TestClient, Clock, int]) -> None:
    client, clock, firm_id = setup
    created = _claim(client, firm_id)
    assert created.status_code == 201 and created.json()["state"] == "draft"
    app_id = created.json()["id"]
    submitted = client.post(f"/applications/{app_id}/submit", headers=_as(client, "firm")).json()
    assert submitted["state"] == "auto_checked" and submitted["amount_submitted"] == "1500.00"
    assert client.post(f"/applications/{app_id}/accept", headers=_as(client, "clerk")).json()["state"] == "in_review"
    clock.today = dt.date(2025, 12, 2)
    noticed = client.post(f"/applications/{app_id}/approve", headers=_as(client, "reviewer1")).json()
    assert noticed["state"] == "public_notice" and noticed["notice_last_day"] == "2025-12-09"
    early = client.post(f"/applications/{app_id}/close-notice", headers=_as(client, "clerk"))
    assert early.status_code == 409 and early.json()["code"] == "TRANSITION_PRECONDITION"
    clock.today = dt.date(2025, 12, 10)
    granted = client.post(f"/applications/{app_id}/close-notice", headers=_as(client, "clerk")).json()
    assert granted["state"] == "approved" and granted["amount_approved"] == "1500.00"
    # Each decision is stored with its provenance: the same facts and rules give the same hashes.
    first, second = granted["provenance_submitted"], granted["provenance_approved"]
    assert (first["as_of"], second["as_of"]) == ("2025-12-01", "2025-12-10")
    assert first["rule_hash"] == second["rule_hash"] and first["facts_hash"] == second["facts_hash"]
    assert second["parameter_dates"]["gx.expansion.amount_per_person"]  # the dates of the values used
    assert len(second["rule_hash"]) == 64 and second["engine_version"]
    assert client.get(f"/applications/{app_id}", headers=_as(client, "firm")).json()["state_label"] == "已核准"

    # Disbursement: the account, a batch, the bank file, the bank's return, reconciled.
    finance = _as(client, "finance")
    account = {"bank_name": "示例银行", "holder_name": "示例企业", "account_no": "6217000011112222001"}
    added = client.post(f"/subjects/{firm_id}/accounts", json=account, headers=finance)
    assert added.status_code == 201 and added.json()["account"] == "6217***********2001"
    batch = client.post("/batches", json={"pay_date": "2025-12-15"}, headers=finance).json()
    assert batch["declared_count"] == 1 and batch["declared_total"] == "1500.00"
    exported = client.get(f"/batches/{batch['id']}/file", headers=finance)
    assert exported.status_code == 200 and "6217000011112222001" in exported.content.decode("utf-8-sig")
    returned = _paid_return(exported.content)
    files = {"file": ("回盘.txt", returned, "text/plain")}
    reconciled = client.post(f"/batches/{batch['id']}/return", files=files, headers=finance).json()
    assert reconciled["paid"] == 1 and reconciled["problems"] == []
    assert client.get(f"/applications/{app_id}", headers=_as(client, "firm")).json()["state"] == "paid"
    assert client.post("/batches", json={"pay_date": "2025-12-16"}, headers=finance).status_code == 404
    fund = client.get("/funds/position?fund=ui_fund&region=450103&year=2025", headers=finance).json()
    assert fund["controlled"] is False and fund["committed"] == "1500.00" and fund["paid"] == "1500.00"
    topped = {"fund": "ui_fund", "region": "450103", "year": 2025, "amount_fen": 1_000_000, "note": "示例下达"}
    assert client.post("/funds/allocations", json=topped, headers=finance).json()["available"] == "8500.00"


def _paid_return(exported: bytes) -> bytes:
    """What the bank sends back when every line was paid: each detail line plus 成功, a message and a time."""
    lines = exported.decode("utf-8-sig").split("\r\n")
    head, details = lines[0], [line for line in lines[1:] if line]
    done = [f"{line}|成功|交易成功|2025-12-16 10:00:00" for line in details]
    return ("\r\n".join([head, *done]) + "\r\n").encode("utf-8-sig")


def _stored(client: TestClient) -> int:
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(Application)) or 0)


def test_bad_claims_are_refused_in_chinese_and_nothing_is_stored(setup: tuple[TestClient, Clock, int]) -> None:
    client, _, firm_id = setup
    bad_id = {
        **FACTS,
        "persons": [{**FACTS["persons"][0], "id_number": PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")}],
    }
    malformed = _claim(client, firm_id, facts=bad_id)
    assert malformed.status_code == 422 and "校验码不正确" in malformed.json()["message"]
    assert PERSON[6:14] not in malformed.text, "错误信息中的号码须脱敏"
    unknown = _claim(client, firm_id, measure_id="gx.nothing")
    assert unknown.status_code == 422 and "未知的政策编号" in unknown.json()["message"]
    huge = client.post(
        "/applications",
        content=b"{" + b" " * 4_100_000 + b"}",  # over 5000 persons' worth (guards.CLAIM_BYTES_PER_PERSON)
        headers={**_as(client, "firm"), "Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["code"] == "PAYLOAD_TOO_LARGE"
    typed = client.post(
        "/applications", content=b"measure_id=x", headers={**_as(client, "firm"), "Content-Type": "text/plain"}
    )
    assert typed.status_code == 415 and "application/json" in typed.json()["message"]
    assert _stored(client) == 0


def test_staff_of_another_region_reach_no_application_endpoint(setup: tuple[TestClient, Clock, int]) -> None:
    client, _, firm_id = setup
    app_id = _claim(client, firm_id).json()["id"]
    client.post(f"/applications/{app_id}/submit", headers=_as(client, "firm"))
    outsiders = {name: _as(client, name) for name in ("clerk_lz", "reviewer_lz", "finance_lz")}
    calls = [
        ("get", f"/applications/{app_id}", None),
        ("post", f"/applications/{app_id}/submit", None),
        ("post", f"/applications/{app_id}/accept", None),
        ("post", f"/applications/{app_id}/approve", None),
        ("post", f"/applications/{app_id}/objections", {"reason": "反映该人员未实际到岗"}),
        ("post", f"/applications/{app_id}/close-notice", None),
        ("put", f"/applications/{app_id}/facts", {"facts": {}}),
        ("post", f"/applications/{app_id}/return", {"reason": "缺少劳动合同复印件"}),
        ("post", f"/applications/{app_id}/reject", {"reason": "不符合条件的理由"}),
        ("post", f"/applications/{app_id}/withdraw", None),
        ("get", f"/subjects/{firm_id}", None),
        ("post", f"/subjects/{firm_id}/unmask", {"reason": "核对申请材料"}),
        (
            "post",
            f"/subjects/{firm_id}/accounts",
            {
                "bank_name": "银行",
                "holder_name": "示例企业",
                "account_no": "6217000011112222001",
                "valid_from": "2025-01-01",
            },
        ),
        ("get", "/batches/1/file", None),
        ("get", "/funds/position?fund=ui_fund&region=450103&year=2025", None),
        (
            "post",
            "/applications",
            {"measure_id": "gx.expansion", "subject_id": firm_id, "claimant_ref": "E1", "facts": FACTS},
        ),
    ]
    for headers in outsiders.values():
        for method, path, body in calls:
            done = client.request(method, path, json=body, headers=headers)
            assert done.status_code in (403, 404), (method, path, done.status_code, done.text)
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        assert session.scalar(select(func.count()).select_from(GrantItem)) == 0
        assert session.get(Application, app_id).state == "auto_checked", "其他辖区的请求不得改变申请"


def test_a_returned_claim_is_corrected_and_resubmitted_and_a_rejection_says_why(
    setup: tuple[TestClient, Clock, int],
) -> None:
    client, _, firm_id = setup
    firm, clerk = _as(client, "firm"), _as(client, "clerk")
    app_id = _claim(client, firm_id).json()["id"]
    client.post(f"/applications/{app_id}/submit", headers=firm)
    vague = client.post(f"/applications/{app_id}/return", json={"reason": "补"}, headers=clerk)
    assert vague.status_code == 422 and "须写明理由" in vague.json()["message"]
    returned = client.post(f"/applications/{app_id}/return", json={"reason": "请补充劳动合同"}, headers=clerk).json()
    assert returned["state"] == "returned" and returned["reasons"][0] == "退回补正：请补充劳动合同"
    assert client.put(f"/applications/{app_id}/facts", json={"facts": FACTS}, headers=firm).status_code == 200
    again = client.post(f"/applications/{app_id}/submit", headers=firm).json()
    assert again["state"] == "auto_checked"
    client.post(f"/applications/{app_id}/accept", headers=clerk)
    rejected = client.post(
        f"/applications/{app_id}/reject", json={"reason": "经核查该人员未实际到岗"}, headers=_as(client, "reviewer1")
    ).json()
    assert rejected["state"] == "rejected" and rejected["reasons"][0] == "不予通过：经核查该人员未实际到岗"
    frozen = client.put(f"/applications/{app_id}/facts", json={"facts": FACTS}, headers=firm)
    assert frozen.status_code == 409
    other = _claim(client, firm_id).json()["id"]
    assert client.post(f"/applications/{other}/withdraw", headers=firm).json()["state"] == "withdrawn"


def test_lists_show_each_caller_their_own_applications_and_batches(setup: tuple[TestClient, Clock, int]) -> None:
    client, _, firm_id = setup
    app_id = _claim(client, firm_id).json()["id"]
    client.post(f"/applications/{app_id}/submit", headers=_as(client, "firm"))
    mine = client.get("/applications", headers=_as(client, "firm")).json()
    assert [a["id"] for a in mine] == [app_id]
    region = client.get("/applications?state=auto_checked&source=self", headers=_as(client, "clerk")).json()
    assert [a["id"] for a in region] == [app_id]
    assert client.get("/applications?state=approved", headers=_as(client, "clerk")).json() == []
    assert client.get("/applications", headers=_as(client, "clerk_lz")).json() == [], "其他辖区看不到"
    bad = client.get("/applications?source=robot", headers=_as(client, "clerk"))
    assert bad.status_code == 422
    assert client.get("/batches", headers=_as(client, "finance")).json() == []
    assert client.get("/batches?open_only=true", headers=_as(client, "finance_lz")).json() == []
    assert client.get("/batches", headers=_as(client, "clerk")).status_code == 403


def _granted_and_batched(client: TestClient, clock: Clock, firm_id: int) -> int:
    """A claim taken to approval and into a prepared payment batch; the batch id."""
    app_id = _claim(client, firm_id).json()["id"]
    client.post(f"/applications/{app_id}/submit", headers=_as(client, "firm"))
    client.post(f"/applications/{app_id}/accept", headers=_as(client, "clerk"))
    clock.today = dt.date(2025, 12, 2)
    client.post(f"/applications/{app_id}/approve", headers=_as(client, "reviewer1"))
    clock.today = dt.date(2025, 12, 10)
    client.post(f"/applications/{app_id}/close-notice", headers=_as(client, "clerk"))
    finance = _as(client, "finance")
    account = {"bank_name": "示例银行", "holder_name": "示例企业", "account_no": "6217000011112222001"}
    client.post(f"/subjects/{firm_id}/accounts", json=account, headers=finance)
    return int(client.post("/batches", json={"pay_date": "2025-12-15"}, headers=finance).json()["id"])


def test_payee_input_is_refused_at_registration_and_a_second_finance_user_voids_a_batch(
    setup: tuple[TestClient, Clock, int],
) -> None:
    client, clock, firm_id = setup
    batch_id = _granted_and_batched(client, clock, firm_id)
    finance, finance2 = _as(client, "finance"), _as(client, "finance2")
    body = {"bank_name": "示例银行", "holder_name": "示例企业", "account_no": "6217²00011112222009"}
    refused = client.post(f"/subjects/{firm_id}/accounts", json=body, headers=finance)
    assert refused.status_code == 422 and refused.json()["code"] == "ACCOUNT_NO_INVALID"
    assert "「²」" in refused.json()["message"] and "11112222009" not in refused.json()["message"]
    named = client.post(f"/subjects/{firm_id}/accounts", json={**body, "account_no": "6217000011112222009",
                        "holder_name": "示例企业|"}, headers=finance)  # fmt: skip
    assert named.status_code == 422 and named.json()["code"] == "PAYEE_NAME_INVALID"
    backdated = {**body, "account_no": "6217000011112222009", "valid_from": "2025-01-01"}
    late = client.post(f"/subjects/{firm_id}/accounts", json=backdated, headers=finance)
    assert late.status_code == 422 and late.json()["code"] == "ACCOUNT_BACKDATED" and "倒签" in late.json()["message"]

    void = {"reason": "收款账户待核实，本批暂缓"}
    assert client.post(f"/batches/{batch_id}/void", json=void, headers=finance).status_code == 403
    voided = client.post(f"/batches/{batch_id}/void", json=void, headers=finance2)
    assert voided.status_code == 200 and [p["status"] for p in voided.json()] == ["voided"], voided.text
    (listed,) = client.get(f"/batches/{batch_id}/payments", headers=_as(client, "finance")).json()
    assert (listed["status_label"], listed["void_reason"]) == ("已作废", void["reason"])
    assert listed["account"] == "6217***********2001"
    again = client.post(f"/payments/{listed['id']}/void", json=void, headers=finance2)
    assert again.status_code == 409 and again.json()["code"] == "VOID_REFUSED"
    assert client.get(f"/batches/{batch_id}/file", headers=finance).json()["code"] == "BATCH_VOIDED"
    rerun = client.post("/batches", json={"pay_date": "2025-12-15"}, headers=finance)
    assert rerun.status_code == 201 and rerun.json()["declared_count"] == 1
    (retry,) = client.get(f"/batches/{rerun.json()['id']}/payments", headers=finance).json()
    assert retry["attempt"] == 2 and retry["key"] != listed["key"]
    assert client.get(f"/batches/{batch_id}/payments", headers=_as(client, "clerk")).status_code == 403


def test_a_tampered_payment_is_refused_at_export_and_the_refusal_is_on_the_record(
    setup: tuple[TestClient, Clock, int],
) -> None:
    client, clock, firm_id = setup
    batch_id = _granted_and_batched(client, clock, firm_id)
    with client.app.state.sessions() as session, session.begin():  # type: ignore[attr-defined]
        session.execute(update(Payment).values(amount_fen=Payment.amount_fen * 10))
    finance = _as(client, "finance")
    refused = client.get(f"/batches/{batch_id}/file", headers=finance)
    assert refused.status_code == 409 and refused.json()["code"] == "PAYMENT_TAMPERED"
    assert "指纹不符" in refused.json()["message"]
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(Payment.status)).all() == ["pending"], "被拒绝的导出不改动付款"
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert verify_chain(session).intact
    assert actions[-1] == "batch.refused" and "batch.export" not in actions


def test_the_assistance_ledger_over_http_and_other_regions_reach_none_of_it(
    setup: tuple[TestClient, Clock, int],
) -> None:
    client, clock, _ = setup
    clock.today = dt.date(2025, 10, 1)
    clerk, outsider = _as(client, "clerk"), _as(client, "clerk_lz")
    body = {"id_number": PERSON, "name": "李同学", "region": "450103", "graduated_on": "2025-06-30",
            "hardship": ["disabled"]}  # fmt: skip
    created = client.post("/graduates", json=body, headers=clerk)
    assert created.status_code == 201 and created.json()["status_label"] == "已登记", created.text
    graduate_id = created.json()["id"]
    assert client.post("/graduates", json=body, headers=clerk).status_code == 409
    bad = client.post("/graduates", json={**body, "hardship": ["rich"]}, headers=clerk)
    assert bad.status_code == 422 and "hardship" in bad.json()["message"]
    service = {"kind": "career_guidance", "on": "2025-10-02", "channel": "窗口", "evidence": "当面职业指导30分钟"}
    served = client.post(f"/graduates/{graduate_id}/services", json=service, headers=clerk)
    assert served.status_code == 201 and served.json()["status"] == "in_service"
    wrong = client.post(f"/graduates/{graduate_id}/status", json={"status": "registered", "on": "2025-10-03",
                                                                 "reason": "误操作回退"}, headers=clerk)  # fmt: skip
    assert wrong.status_code == 409 and wrong.json()["code"] == "STATUS_TRANSITION"
    clock.today = dt.date(2025, 10, 20)
    [row] = client.get("/ledger", headers=clerk).json()
    assert row["number"] != PERSON and row["overdue_since"] == "2025-10-16" and "针对性岗位推送 3 次" in row["owed"]
    sheet = client.get("/ledger.xlsx?overdue=true", headers=clerk)
    assert sheet.status_code == 200 and PERSON.encode() not in sheet.content
    assert client.get("/ledger", headers=outsider).json() == []
    for method, path, payload in (
        ("get", f"/graduates/{graduate_id}", None),
        ("post", f"/graduates/{graduate_id}/services", service),
        ("post", f"/graduates/{graduate_id}/status", {"status": "employed", "on": "2025-10-21", "reason": "已就业"}),
        ("post", "/pushes/1/stage", {"stage": "viewed", "on": "2025-10-21"}),
    ):
        done = client.request(method, path, json=payload, headers=outsider)
        assert done.status_code in (403, 404), (path, done.status_code)
    assert client.get("/ledger", headers=_as(client, "firm")).status_code == 403


POSTINGS = (
    "岗位名称,单位名称,工作地点,薪资,学历,经验,招聘人数,发布日期,截止日期,技能\n"
    "会计,南宁甲财务有限公司,南宁-青秀区,4-6千/月,本科,无需经验,招2人,2025-10-01,2025-12-31,Excel\n"
    "出纳,南宁乙商贸有限公司,南宁-青秀区,3.5-5千/月,大专,应届生,招1人,2025-10-01,2025-12-31,Excel\n"
    "会计助理,南宁丁会计师事务所,南宁-青秀区,3.5-5千/月,本科,应届生,招3人,2025-10-01,2025-12-31,财务软件\n"
    "行政文员,南宁丙科技有限公司,南宁-青秀区,3-4.5千/月,大专,无需经验,招1人,2025-10-01,2025-12-31,Office\n"
)


def test_postings_recommendations_and_pushes_over_http(setup: tuple[TestClient, Clock, int]) -> None:
    client, clock, _ = setup
    clock.today = dt.date(2025, 10, 9)
    clerk, outsider = _as(client, "clerk"), _as(client, "clerk_lz")
    upload = {"file": ("单位自报.csv", POSTINGS.encode("gbk"), "text/csv")}
    imported = client.post("/jobs/postings/import", files=upload, data={"channel": "单位自报"}, headers=clerk)
    assert imported.status_code == 200 and imported.json()["added"] == 4, imported.text
    wrong = client.post("/jobs/postings/import", files={"file": ("x.pdf", b"%PDF", "application/pdf")},
                        data={"channel": "单位自报"}, headers=clerk)  # fmt: skip
    assert wrong.status_code == 422 and "类型不支持" in wrong.json()["message"]
    assert client.post("/jobs/postings/import", json={"channel": "x"}, headers=clerk).status_code == 415
    listed = client.get("/jobs/postings", headers=clerk).json()
    assert {p["title"] for p in listed} == {"会计", "出纳", "会计助理", "行政文员"}
    assert all(p["occupation_code"] for p in listed) and listed[0]["salary"]

    body = {"id_number": PERSON, "name": "李同学", "region": "450103", "graduated_on": "2025-06-30",
            "hardship": ["low_income_family"],
            "resume": "求职意向：会计\n学历：本科\n应届毕业生\n技能：Excel"}  # fmt: skip
    graduate_id = client.post("/graduates", json=body, headers=clerk).json()["id"]
    bad = client.put(f"/graduates/{graduate_id}/profile", json={"profile": {"期望薪资": "很多"}}, headers=clerk)
    assert bad.status_code == 422 and "薪资" in bad.json()["message"], bad.text
    assert client.put(f"/graduates/{graduate_id}/profile", json={}, headers=clerk).status_code == 422
    profile = client.get(f"/graduates/{graduate_id}/recommendations", headers=clerk)
    assert profile.status_code == 200 and profile.json(), profile.text
    assert any("硬性条件" in line for line in profile.json()[0]["explanation"])
    pushed = client.post(f"/graduates/{graduate_id}/pushes", json={"channel": "短信"}, headers=clerk)
    assert pushed.status_code == 201 and 3 <= len(pushed.json()) <= 4 and all(p["targeted"] for p in pushed.json())
    again = client.post(f"/graduates/{graduate_id}/pushes", json={}, headers=clerk)
    assert again.status_code == 409, again.text
    posting_id = quote(listed[0]["id"], safe="")  # ids hold '#' (单位自报#<hash>): encode them in paths
    candidates = client.get(f"/jobs/postings/{posting_id}/candidates", headers=clerk).json()
    assert [c["graduate_id"] for c in candidates] in ([graduate_id], [])
    assert client.get(f"/jobs/postings/{posting_id}/candidates", headers=outsider).json() == []
    assert client.get(f"/graduates/{graduate_id}/recommendations", headers=outsider).status_code == 404
    assert client.post(f"/graduates/{graduate_id}/pushes", json={}, headers=outsider).status_code == 404
    assert client.post("/jobs/postings/import", files=upload, data={"channel": "x"},
                       headers=_as(client, "firm")).status_code == 403  # fmt: skip


def test_a_tax_deduction_over_http_ends_on_the_tax_list_not_in_a_batch(setup: tuple[TestClient, Clock, int]) -> None:
    client, clock, firm_id = setup
    facts = {
        "employers": [{"id": "E1", "uscc": FIRM, "kind": "enterprise", "tax_category": "service", "region": "450103"}],
        "persons": [{"id": "V1", "id_number": PERSON, "veteran_self_employed": True}],
        "employments": [{"person": "V1", "employer": "E1", "hire_date": "2025-03-01", "contract_months": 36,
                         "months_paid_pension": 9, "months_paid_medical": 9, "months_paid_ui": 9}],
    }  # fmt: skip
    refused = _claim(client, firm_id, measure_id="xxq.targets")
    assert refused.status_code == 422 and "不是单位或个人可申请的待遇" in refused.json()["message"]
    app_id = _claim(client, firm_id, measure_id="xxq.tax.hire", facts=facts).json()["id"]
    client.post(f"/applications/{app_id}/submit", headers=_as(client, "firm"))
    client.post(f"/applications/{app_id}/accept", headers=_as(client, "clerk"))
    clock.today = dt.date(2025, 12, 2)
    client.post(f"/applications/{app_id}/approve", headers=_as(client, "reviewer1"))
    clock.today = dt.date(2025, 12, 10)
    assert (
        client.post(f"/applications/{app_id}/close-notice", headers=_as(client, "clerk")).json()["state"] == "approved"
    )
    finance = _as(client, "finance")
    account = {"bank_name": "示例银行", "holder_name": "示例企业", "account_no": "6217000011112222001",
               "valid_from": "2025-01-01"}  # fmt: skip
    client.post(f"/subjects/{firm_id}/accounts", json=account, headers=finance)
    assert client.post("/batches", json={"pay_date": "2025-12-15"}, headers=finance).status_code == 404

    [mine] = client.get("/deliveries", headers=_as(client, "firm")).json()
    assert (mine["form"], mine["amount"], mine["receiver"]) == ("tax_deduction", "7500.00", "税务部门")
    assert client.get("/deliveries?form=tax_deduction", headers=_as(client, "clerk")).json()[0]["id"] == mine["id"]
    assert client.get("/deliveries", headers=_as(client, "clerk_lz")).json() == []
    assert client.get(f"/deliveries/{mine['id']}", headers=_as(client, "clerk_lz")).status_code == 404
    assert client.get("/deliveries/99999999999999999999", headers=_as(client, "clerk")).status_code == 422
    bad = client.get("/deliveries?form=bank_payment", headers=_as(client, "clerk"))
    assert bad.status_code == 422 and bad.json()["code"] == "INPUT_INVALID"
    listed = client.get("/deliveries/export?form=tax_deduction", headers=_as(client, "clerk"))
    assert listed.status_code == 200 and listed.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert client.get("/deliveries/export?form=tax_deduction", headers=_as(client, "firm")).status_code == 403
    text = client.get(f"/deliveries/{mine['id']}/notice", headers=_as(client, "firm"))
    assert text.status_code == 200 and "减免税额（扣减限额）：7500.00元" in text.text and FIRM not in text.text
    loan = {"principal_fen": 1, "annual_rate": 0.035, "base_rate": "0.0345", "start": "2026-01-05", "end": "2027-01-05"}
    assert client.post(f"/deliveries/{mine['id']}/loan", json=loan, headers=finance).status_code == 422
    loan["annual_rate"] = "0.035"
    assert client.post(f"/deliveries/{mine['id']}/loan", json=loan, headers=finance).json()["code"] == "CONFLICT"


#: An HR agency's placement claim (gx.hrservice): the clause sets only a ceiling, 最高1000元/人.
PLACEMENT = {
    "employers": [
        {"id": "E1", "uscc": FIRM, "kind": "enterprise", "region": "450103", "hr_service_agency": True},
        {"id": "E2", "kind": "enterprise", "region": "450103"},
    ],
    "persons": [{"id": "P1", "id_number": PERSON, "rural_labour": True}],
    "placements": [
        {"agency": "E1", "person": "P1", "employer": "E2", "placed_on": "2025-09-01", "contract_months": 12,
         "months_paid_pension": 3}
    ],
}  # fmt: skip


def test_a_ceiling_claim_shows_the_ceiling_apart_and_refuses_an_amount_above_it(
    setup: tuple[TestClient, Clock, int],
) -> None:
    client, clock, firm_id = setup
    app_id = _claim(client, firm_id, measure_id="gx.hrservice", facts=PLACEMENT).json()["id"]
    submitted = client.post(f"/applications/{app_id}/submit", headers=_as(client, "firm")).json()
    assert submitted["state"] == "auto_checked"
    assert (submitted["amount_submitted"], submitted["ceiling_submitted"]) == (None, "1000.00")
    above = {"amount_fen": 100_001, "reason": "按服务成本核定"}
    refused = client.post(f"/applications/{app_id}/amount", json=above, headers=_as(client, "clerk"))
    assert refused.status_code == 422 and refused.json()["code"] == "AMOUNT_ABOVE_CEILING"
    assert "最高限额 1,000.00元" in refused.json()["message"]
    by_firm = client.post(f"/applications/{app_id}/amount", json=above | {"amount_fen": 1}, headers=_as(client, "firm"))
    assert by_firm.status_code == 403, "申请人不能自行核定金额"
    assert client.post(f"/applications/{app_id}/accept", headers=_as(client, "clerk")).status_code == 200
    clock.today = dt.date(2025, 12, 2)
    client.post(f"/applications/{app_id}/approve", headers=_as(client, "reviewer1"))
    clock.today = dt.date(2025, 12, 10)
    unset = client.post(f"/applications/{app_id}/close-notice", headers=_as(client, "clerk"))
    assert unset.status_code == 409 and unset.json()["code"] == "AMOUNT_NOT_SET"
    assert client.get(f"/applications/{app_id}", headers=_as(client, "firm")).json()["amount_approved"] is None
