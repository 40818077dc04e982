"""The enterprise and citizen portal: sign-up, /my, offers and their confirmation, application
status, evidence files, payments, jobs; each claimant sees only their own subject's records, and
staff are refused the claimant's pages. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from sqlalchemy import select
from stdnum.cn import uscc
from tests.api_world import Service
from tests.web_world import browser_of

from jiuye.cases import State
from jiuye.service.audit import record
from jiuye.service.models import (
    Application,
    AuditEvent,
    BankAccount,
    EvidenceFile,
    Payment,
    PaymentBatch,
    Subject,
    User,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _subject_of(service: Service, username: str) -> int:
    with service.app.state.sessions() as session:
        subject = session.scalar(select(User.subject_id).where(User.username == username))
        assert subject is not None
        return int(subject)


def _case(service: Service, username: str, *, source: str = "self", state: State = State.DRAFT) -> int:
    """An application of ``username``'s subject, as the forms or a matching run would leave it."""
    subject = _subject_of(service, username)
    sessions = service.app.state.sessions
    with sessions() as session, session.begin():
        user = session.scalar(select(User).where(User.username == "clerk"))
        assert user is not None
        app = Application(
            measure_id="gx.expansion", subject_id=subject, region="450103", state=state.value, source=source,
            claimant_ref="E1", facts_sealed=service.app.state.protector.seal("{}"), submitted_by=user.id,
            filed_as="caseworker", handlers="", as_of_submitted=dt.date(2025, 12, 1), status_submitted="eligible",
            amount_submitted_fen=300_000, reasons=json.dumps(["免申即享：由政策找人比对结果自动建案", "招用2人"]),
        )  # fmt: skip
        session.add(app)
        session.flush()
        record(session, actor="clerk", action="application.proactive", entity="application", entity_id=app.id)
        return int(app.id)


def _accounts(service: Service, username: str) -> list[int]:
    with service.app.state.sessions() as session:
        query = select(BankAccount.id).where(BankAccount.subject_id == _subject_of(service, username))
        return list(session.scalars(query))


def test_my_needs_a_login_and_a_claimant(service: Service) -> None:
    answer = browser_of(service).get("/my", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/my"
    for path in ("/my", "/my/offers", "/my/applications", "/my/payments", "/my/jobs"):
        refused = browser_of(service, "caseworker").get(path)
        assert refused.status_code == 403 and "仅供单位和个人账号使用" in refused.text, path


def test_my_home_shows_the_own_subject_masked_and_open_applications(service: Service) -> None:
    app_id = _case(service, "firm")
    page = browser_of(service, "enterprise").get("/my")
    assert page.status_code == 200 and "南宁示例" in page.text
    assert re.search(r"9145\*+\w{4}", page.text), "统一社会信用代码应脱敏显示"
    assert f'href="/my/applications/{app_id}"' in page.text and "草稿" in page.text


def test_another_claimants_records_are_not_found(service: Service) -> None:
    firm_case = _case(service, "firm")
    person = browser_of(service, "individual")
    for path in (f"/my/applications/{firm_case}", f"/my/applications/{firm_case}/evidence/1"):
        assert person.get(path).status_code == 404, path
    upload = person.post(f"/my/applications/{firm_case}/evidence", files={"file": ("a.pdf", PDF, "application/pdf")})
    assert upload.status_code == 404
    assert person.post(f"/my/applications/{firm_case}/withdraw").status_code == 404
    assert f'href="/my/applications/{firm_case}"' not in person.get("/my/applications").text


def test_status_page_shows_steps_decision_and_withdraw(service: Service) -> None:
    app_id = _case(service, "firm", state=State.AUTO_CHECKED)
    firm = browser_of(service, "enterprise")
    page = firm.get(f"/my/applications/{app_id}")
    assert page.status_code == 200
    for text in ("政策找人比对后自动建案", "经办人员", "符合", "3,000.00 元", "撤回申请", "2025年12月1日"):
        assert text in page.text, text
    done = firm.post(f"/my/applications/{app_id}/withdraw", follow_redirects=False)
    assert done.status_code == 303
    after = firm.get(f"/my/applications/{app_id}")
    assert "已撤回" in after.text and "撤回申请</button>" not in after.text
    again = firm.post(f"/my/applications/{app_id}/withdraw")
    assert again.status_code == 409 and "<html" in again.text


def test_evidence_is_checked_by_content_stored_with_a_checksum_and_scoped(service: Service) -> None:
    app_id = _case(service, "firm")
    firm = browser_of(service, "enterprise")
    firm.get(f"/my/applications/{app_id}")
    fake = firm.post(
        f"/my/applications/{app_id}/evidence", files={"file": ("合同.pdf", b"MZ\x90\x00", "application/pdf")}
    )
    assert fake.status_code == 415 and "不是 PDF、JPG 或 PNG" in fake.text
    big = firm.post(f"/my/applications/{app_id}/evidence",
                    files={"file": ("大.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")})  # fmt: skip
    assert big.status_code == 413 and "10 MB" in big.text
    empty = firm.post(f"/my/applications/{app_id}/evidence", data={})
    assert empty.status_code == 422 and "请选择要上传的文件" in empty.text
    ok = firm.post(f"/my/applications/{app_id}/evidence", files={"file": ("../劳动合同.pdf", PDF, "text/plain")},
                   follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    with service.app.state.sessions() as session:
        row = session.scalars(select(EvidenceFile).where(EvidenceFile.application_id == app_id)).one()
        assert row.filename == "劳动合同.pdf" and row.media_type == "application/pdf"
        assert row.sha256 == hashlib.sha256(PDF).hexdigest()
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "application.evidence")).all()
        assert any(json.loads(e.detail)["sha256"] == row.sha256 for e in audited)
        file_id = row.id
    page = firm.get(f"/my/applications/{app_id}")
    assert "劳动合同.pdf" in page.text
    got = firm.get(f"/my/applications/{app_id}/evidence/{file_id}")
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    staff = browser_of(service, "caseworker").get(f"/staff/cases/{app_id}/evidence/{file_id}")
    assert staff.status_code == 200 and staff.content == PDF
    assert browser_of(service, "individual").get(f"/staff/cases/{app_id}/evidence/{file_id}").status_code == 403
    other = _case(service, "firm")
    assert firm.get(f"/my/applications/{other}/evidence/{file_id}").status_code == 404, "别的申请的文件编号"


def test_evidence_only_while_editable_or_under_review(service: Service) -> None:
    app_id = _case(service, "firm", state=State.APPROVED)
    firm = browser_of(service, "enterprise")
    assert "不能再上传材料" in firm.get(f"/my/applications/{app_id}").text
    refused = firm.post(f"/my/applications/{app_id}/evidence", files={"file": ("a.png", PNG, "image/png")})
    assert refused.status_code == 409 and "不能再上传材料" in refused.text


def test_offers_confirm_only_own_case_and_own_account(service: Service) -> None:
    mine = _case(service, "firm", source="proactive", state=State.AUTO_CHECKED)
    theirs = _case(service, "person", source="proactive", state=State.AUTO_CHECKED)
    firm = browser_of(service, "enterprise")
    page = firm.get("/my/offers")
    assert page.status_code == 200 and "3,000.00 元" in page.text and "招用2人" in page.text
    assert f"/my/offers/{theirs}/confirm" not in page.text
    own_account, other_account = _accounts(service, "firm")[0], _accounts(service, "person")[0]
    assert firm.post(f"/my/offers/{theirs}/confirm", {"account_id": own_account}).status_code == 404
    wrong = firm.post(f"/my/offers/{mine}/confirm", {"account_id": other_account})
    assert wrong.status_code == 422 and "不是本单位或本人的账户" in wrong.text
    assert firm.post(f"/my/offers/{mine}/confirm", {}).status_code == 422
    done = firm.post(f"/my/offers/{mine}/confirm", {"account_id": own_account}, follow_redirects=False)
    assert done.status_code == 303
    with service.app.state.sessions() as session:
        app = session.get(Application, mine)
        assert app is not None and app.confirmed_account_id == own_account and app.claimant_confirmed_at
    assert firm.post(f"/my/offers/{mine}/confirm", {"account_id": own_account}).status_code == 409
    assert "确认免申即享并选定收款账户" in firm.get(f"/my/applications/{mine}").text


def test_a_claimant_adds_an_account_in_their_own_name_only(service: Service) -> None:
    person = browser_of(service, "individual")
    person.get("/my/offers")
    wrong = person.post(
        "/my/accounts", {"bank_name": "示例银行", "holder_name": "别人", "account_no": "6217000099990001"}
    )
    assert wrong.status_code == 422 and "不一致" in wrong.text and 'value="别人"' in wrong.text
    with service.app.state.sessions() as session:
        subject = session.get(Subject, _subject_of(service, "person"))
        assert subject is not None
        holder = subject.name
    before = len(_accounts(service, "person"))
    body = {"bank_name": "示例银行", "holder_name": holder, "account_no": "6217000099990001"}
    done = person.post("/my/accounts", body, follow_redirects=False)
    assert done.status_code == 303 and len(_accounts(service, "person")) == before + 1
    assert "6217000099990001" not in person.get("/my/offers").text, "账号脱敏显示"


def test_payments_are_the_own_subjects_only(service: Service) -> None:
    app_id = _case(service, "firm", state=State.PAID)
    account = _accounts(service, "firm")[0]  # read before writing: SQLite has one writer, readers wait
    with service.app.state.sessions() as session, session.begin():
        finance = session.scalar(select(User.id).where(User.username == "finance"))
        assert finance is not None
        batch = PaymentBatch(batch_no=f"T{app_id}", region="450103", pay_date=dt.date(2025, 12, 20), declared_count=1,
                             declared_total_fen=300_000, status="reconciled", created_by=finance)  # fmt: skip
        session.add(batch)
        session.flush()
        session.add(Payment(application_id=app_id, attempt=1, idempotency_key=f"k{app_id}", batch_id=batch.id,
                            account_id=account, payee_name="x", amount_fen=300_000,
                            fingerprint="f", status="paid"))  # fmt: skip
    firm = browser_of(service, "enterprise").get("/my/payments")
    assert firm.status_code == 200 and "2025年12月20日" in firm.text and "已到账" in firm.text
    assert re.search(r"6217\*+\d{4}", firm.text)
    person = browser_of(service, "individual").get("/my/payments")
    assert person.status_code == 200 and f'href="/my/applications/{app_id}"' not in person.text


def test_jobs_explain_who_they_are_for(service: Service) -> None:
    answer = browser_of(service, "individual").get("/my/jobs")
    assert answer.status_code == 200 and "1131" in answer.text and "不在帮扶台账中" in answer.text
    assert "单位账号不适用" in browser_of(service, "enterprise").get("/my/jobs").text


def test_signup_of_a_new_enterprise_logs_in(service: Service) -> None:
    sent: list[str] = []
    kept: Any = service.app.state.code_sender
    service.app.state.code_sender = lambda phone, message: sent.append(message)
    try:
        first17 = "91450103MA5KW7770"
        number = first17 + uscc.calc_check_digit(first17)
        browser = browser_of(service)
        browser.get("/signup")
        bad = browser.post("/signup", {"kind": "enterprise", "number": "123", "name": "新企业", "region": "450103",
                                       "phone": "13800000000"})  # fmt: skip
        assert bad.status_code == 422 and 'value="新企业"' in bad.text and 'id="e-number"' in bad.text
        bad_check = number[:-1] + ("0" if number[-1] != "0" else "1")
        wrong = browser.post("/signup", {"kind": "enterprise", "number": bad_check, "name": "新企业",
                                         "region": "450103", "phone": "13800000000"})  # fmt: skip
        assert wrong.status_code == 422 and 'id="e-number"' in wrong.text
        started = browser.post("/signup", {"kind": "enterprise", "number": number, "name": "南宁新注册有限公司",
                                           "region": "450103", "phone": "13800000000"})  # fmt: skip
        assert started.status_code == 200 and "输入验证码" in started.text and sent
        registration = re.search(r'name="registration_id" value="(\w+)"', started.text)
        assert registration
        code = re.search(r"\d{6}", sent[-1])
        assert code
        fields = {"registration_id": registration.group(1), "username": "newfirm", "password": "a-long-password-1"}
        short = browser.post("/signup/confirm", {**fields, "code": code.group(), "password": "short"})
        assert short.status_code == 422 and "口令过短" in short.text and 'value="newfirm"' in short.text
        guessed = browser.post(
            "/signup/confirm", {**fields, "code": "000000" if code.group() != "000000" else "111111"}
        )
        assert guessed.status_code == 422 and "验证码不正确" in guessed.text
        done = browser.post("/signup/confirm", {**fields, "code": code.group()}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"].startswith("/my")
        home = browser.get("/my")
        assert home.status_code == 200 and "南宁新注册有限公司" in home.text and "待经办人员核验" in home.text
    finally:
        service.app.state.code_sender = kept
