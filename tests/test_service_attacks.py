"""Attacks over HTTP on who may claim, see and change what (issue 10): another's beneficiary in
edited facts, another region's documents, payments and subjects, a pending subject, loan terms
out of range; and no clear number in any response, audit detail or log line (both databases)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from stdnum.cn import uscc

import test_service_claims_api as claims_api
from jiuye.service.auth import create_user
from jiuye.service.models import Application, AuditEvent, DeliveryDocument, Payment
from test_service_claims_api import FACTS, FIRM, PASSWORD, Clock, _as, _claim

OTHER_FIRM = "91450103MA5KD0007" + uscc.calc_check_digit("91450103MA5KD0007")
PHONE = "13800000123"
ACCOUNT = "6217000011112222001"
Setup = tuple[TestClient, Clock, int]
setup = claims_api.setup  # the claims API's service: staff of two regions, one enterprise user


def _facts_of(number: str) -> dict[str, Any]:
    return {**FACTS, "employers": [{**FACTS["employers"][0], "uscc": number}]}


def _register(client: TestClient, number: str, username: str) -> int:
    """A self-registered enterprise (identity pending); its subject id."""
    sent: list[str] = []
    client.app.state.code_sender = lambda phone, message: sent.append(message)  # type: ignore[attr-defined]
    body = {"kind": "enterprise", "number": number, "name": "冒名企业", "region": "450103", "phone": PHONE}
    started = client.post("/registration/start", json=body).json()
    code = re.search(r"\d{6}", sent[-1]).group()  # type: ignore[union-attr]
    done = client.post("/registration/confirm", json={"registration_id": started["registration_id"], "code": code,
                                                      "username": username, "password": PASSWORD})  # fmt: skip
    assert done.status_code == 201, done.text
    return int(done.json()["subject_id"])


def test_edited_facts_cannot_name_another_beneficiary_before_or_after_submission(setup: Setup) -> None:
    client, _, firm_id = setup
    app_id = _claim(client, firm_id).json()["id"]
    for who in ("firm", "clerk"):
        done = client.put(f"/applications/{app_id}/facts", json={"facts": _facts_of(OTHER_FIRM)},
                          headers=_as(client, who))  # fmt: skip
        assert done.status_code == 403 and done.json()["code"] == "CLAIMANT_MISMATCH", done.text
        assert OTHER_FIRM not in done.text and OTHER_FIRM[-4:] in done.text
    client.post(f"/applications/{app_id}/submit", headers=_as(client, "firm"))
    late = client.put(f"/applications/{app_id}/facts", json={"facts": FACTS}, headers=_as(client, "firm"))
    assert late.status_code == 409, late.text
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        assert session.get(Application, app_id).state == "auto_checked"


def _loan_document(client: TestClient, clock: Clock, firm_id: int) -> int:
    facts = {"employers": [{"id": "E1", "uscc": FIRM, "kind": "enterprise", "region": "450103", "size": "small",
                            "staff": 80, "new_qualifying_hires": 20}]}  # fmt: skip
    app_id = _claim(client, firm_id, measure_id="xxq.startup.loan", facts=facts).json()["id"]
    client.post(f"/applications/{app_id}/submit", headers=_as(client, "firm"))
    client.post(f"/applications/{app_id}/accept", headers=_as(client, "clerk"))
    clock.today = dt.date(2025, 12, 2)
    client.post(f"/applications/{app_id}/approve", headers=_as(client, "reviewer1"))
    clock.today = dt.date(2025, 12, 10)
    closed = client.post(f"/applications/{app_id}/close-notice", headers=_as(client, "clerk"))
    assert closed.json()["state"] == "approved", closed.text
    [document] = client.get("/deliveries", headers=_as(client, "firm")).json()
    return int(document["id"])


LOAN = {"principal_fen": 200_000_000, "annual_rate": "0.035", "base_rate": "0.0345", "start": "2026-01-05",
        "end": "2027-01-05"}  # fmt: skip


def test_other_claimants_and_other_regions_reach_no_document_payment_or_subject(setup: Setup) -> None:
    client, clock, firm_id = setup
    document_id = _loan_document(client, clock, firm_id)
    pending_id = _register(client, OTHER_FIRM, "firm_other")
    other = _as(client, "firm_other")
    for method, path, body in [
        ("get", f"/deliveries/{document_id}", None),
        ("get", f"/deliveries/{document_id}/notice", None),
        ("post", f"/deliveries/{document_id}/loan", LOAN),
        ("get", "/deliveries/export?form=loan_settlement", None),
        ("get", f"/subjects/{firm_id}", None),
        ("post", f"/subjects/{pending_id}/verify", {"reason": "已现场核对营业执照原件"}),
    ]:
        done = client.request(method, path, json=body, headers=other)
        assert done.status_code in (403, 404), (path, done.status_code, done.text)
    assert client.get("/deliveries", headers=other).json() == []
    own = client.post(f"/deliveries/{document_id}/loan", json=LOAN, headers=_as(client, "firm"))
    assert own.status_code == 403, "借款人不能自报贷款条件（由经办银行报送、经办或财务人员登记）"
    for name, shown in (("reviewer1", False), ("clerk", True)):
        listed = client.get("/deliveries/export?form=loan_settlement", headers=_as(client, name))
        cells = [str(c) for row in openpyxl.load_workbook(io.BytesIO(listed.content)).worksheets[-1].iter_rows(
            values_only=True) for c in row]  # fmt: skip
        assert any(FIRM in c for c in cells) is shown and any(FIRM[-4:] in c for c in cells), name
    assert [s["id"] for s in client.get("/subjects", headers=other).json()] == [pending_id]
    for name in ("clerk_lz", "reviewer_lz", "finance_lz"):
        headers = _as(client, name)
        for method, path, body in [
            ("get", f"/deliveries/{document_id}", None),
            ("get", f"/deliveries/{document_id}/notice", None),
            ("post", f"/deliveries/{document_id}/loan", LOAN),
            ("post", f"/subjects/{pending_id}/verify", {"reason": "已现场核对营业执照原件"}),
            ("get", f"/subjects/{pending_id}", None),
        ]:
            done = client.request(method, path, json=body, headers=headers)
            assert done.status_code in (403, 404), (name, path, done.status_code, done.text)
        assert client.get("/deliveries", headers=headers).json() == []
        listed = client.get("/deliveries/export?form=loan_settlement", headers=headers)
        if listed.status_code == 200:
            rows = list(openpyxl.load_workbook(io.BytesIO(listed.content)).worksheets[0].iter_rows(values_only=True))
            assert not any("示例企业" in str(cell) for row in rows for cell in row), name
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        assert session.get(DeliveryDocument, document_id).status == "awaiting_loan", "未登记任何贷款"


BAD_LOANS = [
    {"principal_fen": 10**12},  # above the cited limit
    {"principal_fen": 10**30},
    {"principal_fen": -1},
    {"start": "2000-01-01", "end": "2001-01-01"},  # before the parameters' first date
    {"start": "1900-01-01"},
    {"end": "9999-12-31"},
    {"annual_rate": "0.0\x00"},
    {"annual_rate": 0.035},  # a float, never
    {"base_rate": "1.5"},
    {"start": "2027-01-05", "end": "2026-01-05"},
]


def test_malformed_loan_terms_are_refused_in_chinese_and_nothing_is_written(setup: Setup) -> None:
    client, clock, firm_id = setup
    document_id = _loan_document(client, clock, firm_id)
    finance = _as(client, "finance")
    for change in BAD_LOANS:
        done = client.post(f"/deliveries/{document_id}/loan", json={**LOAN, **change}, headers=finance)
        assert done.status_code == 422 and done.json()["code"] == "INPUT_INVALID", (change, done.text)
        assert re.search(r"[\u4e00-\u9fff]", done.json()["message"]), change
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        assert session.get(DeliveryDocument, document_id).status == "awaiting_loan"
        assert "delivery.loan" not in set(session.scalars(select(AuditEvent.action)))


def test_no_clear_number_phone_or_account_in_responses_audit_details_or_logs(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    client, clock, firm_id = setup
    caplog.set_level(logging.DEBUG)
    document_id = _loan_document(client, clock, firm_id)
    pending_id = _register(client, OTHER_FIRM, "firm_other")
    clerk, finance = _as(client, "clerk"), _as(client, "finance")
    texts = [
        client.post(f"/deliveries/{document_id}/loan", json=LOAN, headers=finance).text,
        client.get(f"/deliveries/{document_id}/notice", headers=_as(client, "firm")).text,
        client.post(f"/subjects/{pending_id}/verify", json={"reason": "已现场核对营业执照原件"}, headers=clerk).text,
        client.post(
            "/registration/start",
            json={"kind": "enterprise", "number": OTHER_FIRM, "name": "冒名企业", "region": "450103", "phone": PHONE},
        ).text,
        client.put(
            f"/applications/{_claim(client, firm_id).json()['id']}/facts",
            json={"facts": _facts_of(OTHER_FIRM)},
            headers=_as(client, "firm"),
        ).text,
        client.post(
            f"/subjects/{firm_id}/accounts",
            json={"bank_name": "示例银行", "holder_name": "示例企业", "account_no": ACCOUNT},
            headers=finance,
        ).text,
        client.post(
            "/users", json={"username": "x", "password": PASSWORD, "role": "admin", "region": "450103"}, headers=clerk
        ).text,
    ]
    clear = client.get(f"/deliveries/{document_id}/notice", headers=clerk)
    assert FIRM in clear.text, "经办人员的文书写完整号码，交给经办银行"
    exported = client.get("/deliveries/export?form=loan_settlement", headers=finance)
    assert exported.status_code == 200
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        events = list(session.scalars(select(AuditEvent)))
    actions = {e.action for e in events}
    assert {"delivery.loan", "subject.verify", "registration.start", "registration.confirm", "user.create"} <= actions
    handed = [(e.actor, e.action) for e in events if e.action in ("delivery.notice", "delivery.export")]
    assert handed == [("clerk", "delivery.notice"), ("finance", "delivery.export")], "完整号码交出时留痕"
    details = [e.detail for e in events]
    logs = [r.getMessage() for r in caplog.records]
    for clear in (FIRM, OTHER_FIRM, PHONE, ACCOUNT):
        for where, found in (("响应", texts), ("审计", details), ("日志", logs)):
            assert not any(clear in text for text in found), (where, clear)


def test_only_a_second_finance_user_of_the_region_voids_or_reads_a_batch(setup: Setup) -> None:
    client, clock, firm_id = setup
    batch_id = claims_api._granted_and_batched(client, clock, firm_id)
    [payment] = client.get(f"/batches/{batch_id}/payments", headers=_as(client, "finance2")).json()
    void = {"reason": "收款账户待核实，本批暂缓"}
    for name in ("finance", "finance_lz", "clerk", "clerk_lz", "reviewer1", "firm"):
        headers = _as(client, name)
        for path in (f"/batches/{batch_id}/void", f"/payments/{payment['id']}/void"):
            done = client.post(path, json=void, headers=headers)
            assert done.status_code in (403, 404), (name, path, done.text)
        if name != "finance":
            listed = client.get(f"/batches/{batch_id}/payments", headers=headers)
            assert listed.status_code in (403, 404), (name, listed.text)
    for reason in ("", "作废", "\x00\x00\x00\x00", "原因" * 300):
        done = client.post(f"/batches/{batch_id}/void", json={"reason": reason}, headers=_as(client, "finance2"))
        assert 400 <= done.status_code < 500 and done.json()["code"] == "INPUT_INVALID", (reason[:8], done.text)
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        assert {p.status for p in session.scalars(select(Payment))} == {"pending"}, "无一笔被作废"


def test_out_of_range_ids_and_names_in_paths_are_refused_as_input_on_both_databases(setup: Setup) -> None:
    client, _, _ = setup
    clerk = _as(client, "clerk")
    done = client.post("/subjects/2147483648/verify", json={"reason": "已现场核对营业执照原件"}, headers=clerk)
    assert done.status_code == 422 and done.json()["code"] == "INPUT_INVALID", done.text
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        create_user(session, username="admin", password=PASSWORD, role="admin", region="450000", display_name="a")
        session.commit()
    long_name = "9" * 5000
    done = client.post(f"/users/{long_name}/disable", headers=_as(client, "admin"))
    assert done.status_code == 422 and done.json()["code"] == "INPUT_INVALID" and long_name not in done.text
