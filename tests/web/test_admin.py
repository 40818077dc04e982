"""Administration pages: accounts by region (the service's rules, its Chinese refusals), local
parameter files (checked entry by entry, stored only whole, taking effect in the service's engine
and its provenance, audited), and the audit trail (masked, paged, verified)."""

from __future__ import annotations

import io
import re

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from stdnum.cn import ric, uscc
from tests.api_world import PASSWORD, Service
from tests.web_world import browser_of

from jiuye.service.api import create_app
from jiuye.service.audit import record
from jiuye.service.db import transaction
from jiuye.service.models import AuditEvent, LocalParameterFile

FIRM = "91450103MA5KD0001" + uscc.calc_check_digit("91450103MA5KD0001")  # the demo firm's subject
PERSON = "45010320030501123" + ric.calc_check_digit("45010320030501123" + "0")
FACTS = {
    "employers": [{"id": "E1", "uscc": FIRM, "kind": "enterprise", "region": "450103"}],
    "persons": [{"id": "P1", "id_number": PERSON, "unemployment_registered_on": "2025-01-10",
                 "unemployment_registration_ended_on": "2025-03-01"}],
    "employments": [{"person": "P1", "employer": "E1", "hire_date": "2025-03-01", "labour_contract": True,
                     "months_paid_ui": 10, "months_paid_injury": 10, "months_paid_pension": 10}],
}  # fmt: skip

GOOD = """namespace: gx.expansion
parameters:
  amount_per_person:
    description: 一次性扩岗补助标准（每吸纳1人）
    unit: CNY
    values:
      2025-01-01:
        value: 2000
        reference: {document: 南宁市人社局通知, clause: 二, quote: 一次性扩岗补助提高至每人2000元}
"""

BAD = """namespace: gx.expansion
parameters:
  amount_per_person:
    description: 一次性扩岗补助标准
    unit: ratio
    values:
      2025-01-01: {value: 很多, reference: {document: 某通知, clause: 一}}
  youth_age_min:
    description: 登记失业青年的最低年龄
    unit: age
    values:
      2025-06-01: {value: 18}
  no_such_thing:
    description: 不存在
    unit: CNY
    values:
      2025-01-01: {value: 1, assumption: 测试}
"""


def _files(service: Service) -> int:
    with service.app.state.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(LocalParameterFile)) or 0)


def _upload(browser: object, text: str, name: str = "本地参数.params.yaml") -> object:
    files = {"file": (name, text.encode("utf-8"), "application/x-yaml")}
    return browser.post("/admin/parameters/upload", files=files, follow_redirects=False)  # type: ignore[attr-defined]


def _login_status(service: Service, username: str, password: str) -> int:
    browser = browser_of(service)
    browser.get("/login")
    answer = browser.post("/login", {"username": username, "password": password}, follow_redirects=False)
    return int(answer.status_code)


def test_only_administrators_manage_accounts_and_parameters(service: Service) -> None:
    for role in ("caseworker", "reviewer", "finance", "auditor", "enterprise", "individual"):
        browser = browser_of(service, role)
        for path in ("/admin/users", "/admin/users/clerk", "/admin/users/export", "/admin/parameters"):
            assert browser.get(path).status_code == 403, (role, path)
        created = browser.post("/admin/users", {"username": "x1", "role": "caseworker", "region": "450103",
                                                "password": "long-enough-1"})  # fmt: skip
        assert created.status_code == 403 and "无权" in created.text
        assert browser.post("/admin/users/clerk/disable").status_code == 403
        assert _upload(browser, GOOD).status_code == 403  # type: ignore[attr-defined]
    anonymous = browser_of(service).get("/admin/users", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_users_are_listed_by_region_paged_filtered_and_exported(service: Service) -> None:
    admin = browser_of(service, "admin")
    page = admin.get("/admin/users?role=caseworker&per_page=5")
    assert page.status_code == 200 and "clerk" in page.text and "reviewer1" not in page.text
    assert "第 1–1 条，共 1 条" in page.text
    bad = admin.get("/admin/users?region=45")
    assert (
        bad.status_code == 422
        and 'aria-invalid="true" aria-describedby="qe-region"' in bad.text
        and 'value="45"' in bad.text
    )
    assert admin.get("/admin/users?role=boss").status_code == 422
    export = admin.get("/admin/users/export?role=reviewer")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["reviewer1", "reviewer2"]


def test_an_administrator_creates_disables_enables_and_resets_a_password(service: Service) -> None:
    admin = browser_of(service, "admin")
    admin.get("/admin/users")
    fields = {"username": "wang_jb", "display_name": "王经办", "role": "caseworker", "region": "450103",
              "password": "first-pass-123"}  # fmt: skip
    created = admin.post("/admin/users", fields, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/admin/users/wang_jb?done=created"
    shown = admin.get(created.headers["location"])
    assert "已创建用户" in shown.text and "first-pass-123" not in shown.text
    browser_of(service).login("wang_jb", "first-pass-123")

    assert admin.post("/admin/users/wang_jb/disable", follow_redirects=False).status_code == 303
    assert _login_status(service, "wang_jb", "first-pass-123") == 401
    assert admin.post("/admin/users/wang_jb/enable", follow_redirects=False).status_code == 303

    short = admin.post("/admin/users/wang_jb/password", {"password": "short"})
    assert short.status_code == 422 and "口令过短" in short.text and 'value="short"' not in short.text
    reset = admin.post("/admin/users/wang_jb/password", {"password": "second-pass-456"}, follow_redirects=False)
    assert reset.status_code == 303
    browser_of(service).login("wang_jb", "second-pass-456")
    role = admin.post("/admin/users/wang_jb/role", {"role": "reviewer"}, follow_redirects=False)
    assert role.status_code == 303 and "审核人员" in admin.get("/admin/users/wang_jb").text
    audit = admin.get("/admin/audit?action=user.&entity=user")
    for action in ("user.create", "user.disable", "user.enable", "user.password", "user.role"):
        assert action in audit.text, action


def test_an_administrator_acts_only_within_their_region_as_the_service_rules(service: Service) -> None:
    admin = browser_of(service, "admin")  # 450000
    admin.get("/admin/users")
    outside = admin.post("/admin/users", {"username": "gd_user", "role": "caseworker", "region": "440103",
                                          "password": "secret-typed-789"})  # fmt: skip
    assert outside.status_code == 403 and "不在您的管理范围内" in outside.text
    assert 'value="gd_user"' in outside.text and "secret-typed-789" not in outside.text
    peer = admin.post("/admin/users", {"username": "peer_admin", "role": "admin", "region": "450000",
                                       "password": "secret-typed-789"})  # fmt: skip
    assert peer.status_code == 403
    assert "gd_user" not in admin.get("/admin/users").text and "peer_admin" not in admin.get("/admin/users").text
    assert admin.post("/admin/users/admin/disable").status_code == 403  # never themselves

    district = admin.post("/admin/users", {"username": "qx_admin", "role": "admin", "region": "450103",
                                           "password": "district-pass-1"}, follow_redirects=False)  # fmt: skip
    assert district.status_code == 303
    qx = browser_of(service)
    qx.login("qx_admin", "district-pass-1")
    assert qx.get("/admin/users/admin").status_code == 404  # a superior is out of reach
    assert qx.get("/admin/users/auditor").status_code == 404
    assert qx.post("/admin/users/admin/disable").status_code == 404
    listed = qx.get("/admin/users").text
    assert 'href="/admin/users/auditor"' not in listed and 'href="/admin/users/clerk"' in listed
    assert qx.get("/admin/users?region=450000").status_code == 403
    # Parameters apply to every region: a district administrator may not upload them.
    assert _upload(qx, GOOD).status_code == 403  # type: ignore[attr-defined]


def test_a_bad_parameter_file_is_refused_entry_by_entry_and_nothing_is_stored(service: Service) -> None:
    admin = browser_of(service, "admin")
    admin.get("/admin/parameters")
    before, params = _files(service), service.app.state.engine_service.params
    answer = _upload(admin, BAD)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    text = answer.text  # type: ignore[attr-defined]
    assert "gx.expansion.no_such_thing：未定义的参数" in text
    assert "gx.expansion.amount_per_person：单位应为 &#39;CNY&#39;" in text
    assert "gx.expansion.amount_per_person@2025-01-01：取值 &#39;很多&#39; 不是数字" in text
    assert "gx.expansion.youth_age_min@2025-06-01：缺少出处" in text
    assert _files(service) == before and service.app.state.engine_service.params is params
    broken = _upload(admin, "namespace: [unclosed")
    assert broken.status_code == 422 and "不是有效的 YAML" in broken.text  # type: ignore[attr-defined]
    empty = admin.post("/admin/parameters/upload", {})
    assert empty.status_code == 422 and "请选择要上传的参数文件" in empty.text
    assert _files(service) == before


def _claim(service: Service) -> dict[str, object]:
    client = browser_of(service).client
    body = {"measure_id": "gx.expansion", "subject_id": _firm_id(service), "claimant_ref": "E1", "facts": FACTS}
    created = client.post("/applications", json=body, headers=service.headers("enterprise"))
    assert created.status_code == 201, created.text
    submitted = client.post(f"/applications/{created.json()['id']}/submit", headers=service.headers("enterprise"))
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


def _firm_id(service: Service) -> int:
    me = browser_of(service).client.get("/auth/me", headers=service.headers("enterprise")).json()
    return int(me["subject_id"])


def test_a_good_parameter_file_takes_effect_for_later_cases_and_is_audited(service: Service) -> None:
    before = _claim(service)
    assert before["amount_submitted"] == "1500.00"
    admin = browser_of(service, "admin")
    admin.get("/admin/parameters")
    stored = _upload(admin, GOOD, "南宁本地参数.params.yaml")
    assert stored.status_code == 303  # type: ignore[attr-defined]
    page = admin.get("/admin/parameters?done=uploaded")
    assert "参数文件已保存" in page.text and "南宁本地参数.params.yaml" in page.text
    assert "gx.expansion.amount_per_person" in page.text and "2,000.00元" in page.text
    assert "2025年01月01日" in page.text or "2025年1月1日" in page.text
    assert re.search(r"<code class=\"hash\">[0-9a-f]{64}</code>", page.text)
    assert _upload(admin, GOOD).status_code == 409  # type: ignore[attr-defined]  # the same content again

    after = _claim(service)
    assert after["amount_submitted"] == "2000.00"
    provenance = after["provenance_submitted"]
    assert isinstance(provenance, dict) and provenance["rule_hash"] != before["provenance_submitted"]["rule_hash"]  # type: ignore[index]
    assert provenance["parameter_dates"]["gx.expansion.amount_per_person"] == ["2025-01-01"]

    audit = browser_of(service, "auditor").get("/admin/audit?action=parameters.upload")
    assert "parameters.upload" in audit.text and "南宁本地参数.params.yaml" in audit.text

    # A service started later over the same database takes the stored file at start-up.
    restarted = create_app(service.app.state.settings)
    try:
        assert restarted.state.engine_service.params["gx.expansion.amount_per_person"].entries[-1].value == 1500
        with TestClient(restarted):
            entry = restarted.state.engine_service.params["gx.expansion.amount_per_person"].entries[-1]
            assert entry.value == 2000 and entry.reference.document == "南宁市人社局通知"
    finally:
        restarted.state.engine.dispose()


def test_local_settings_unset_and_assumptions_in_force_are_shown(service: Service) -> None:
    admin = browser_of(service, "admin")
    page = admin.get("/admin/parameters")
    assert "尚未设定的地方参数" in page.text and "xxq.intern.monthly_rate" in page.text
    assumed = admin.get("/admin/parameters/assumptions?per_page=5")
    assert assumed.status_code == 200 and 'rel="next"' in assumed.text and assumed.text.count("<tr>") == 5 + 1
    everything = admin.get("/admin/parameters/assumptions?per_page=200").text
    assert "common.jurisdiction.xxq" in everything and "部署时在本地参数文件中改为实际区县代码" in everything
    export = admin.get("/admin/parameters/assumptions/export")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "参数" and len(rows) > 5


def test_the_audit_log_is_masked_paged_filtered_and_exported(service: Service) -> None:
    with transaction(service.app.state.sessions) as session:
        for i in range(7):
            detail = {"note": f"号码 450103200305011236 电话 1380013{i:04d} 账号 6217000011112222333"}
            record(session, actor="careless", action="test.note", entity="test", entity_id=i, detail=detail)
    auditor = browser_of(service, "auditor")
    page = auditor.get("/admin/audit?actor=careless&per_page=5")
    assert page.status_code == 200 and "第 1–5 条，共 7 条" in page.text and 'rel="next"' in page.text
    assert "450103200305011236" not in page.text and "4501**********1236" in page.text
    assert "13800130006" not in page.text and "6217000011112222333" not in page.text
    second = auditor.get("/admin/audit?actor=careless&per_page=5&page=2")
    assert "第 6–7 条，共 7 条" in second.text
    # Unfiltered, the whole trail is counted (not one row): its pages past the first are reachable.
    with transaction(service.app.state.sessions) as session:
        trail = session.scalar(select(func.count()).select_from(AuditEvent))
    unfiltered = auditor.get("/admin/audit?per_page=5")
    assert trail and trail > 7 and f"共 {trail} 条" in unfiltered.text and 'rel="next"' in unfiltered.text
    export = auditor.get("/admin/audit/export?actor=careless")
    cells = [str(c) for row in openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
             for c in row]  # fmt: skip
    assert len(cells) == 8 * 7 and not any("450103200305011236" in c or "6217000011112222333" in c for c in cells)
    wrong = auditor.get("/admin/audit?since=2025-12-31&until=2025-01-01")
    assert wrong.status_code == 422 and "结束日期早于开始日期" in wrong.text
    assert browser_of(service, "caseworker").get("/admin/audit").status_code == 403


def test_the_chain_is_verified_with_its_anchor(service: Service) -> None:
    auditor = browser_of(service, "auditor")
    report = auditor.get("/admin/audit/verify")
    assert report.status_code == 200 and "审计链完整" in report.text
    anchor = re.search(r'<code class="hash" id="anchor">(\d+:[0-9a-f]{64})</code>', report.text)
    assert anchor
    again = auditor.get("/admin/audit/verify", params={"anchor": anchor.group(1)})
    assert "已与保存的锚点核对一致" in again.text
    count, digest = anchor.group(1).split(":")
    future = auditor.get("/admin/audit/verify", params={"anchor": f"{int(count) + 1000}:{digest}"})
    assert "审计链在第" in future.text and "末尾的记录" in future.text
    bad = auditor.get("/admin/audit/verify", params={"anchor": "not-an-anchor"})
    assert bad.status_code == 422 and "锚点格式不正确" in bad.text
    assert browser_of(service, "finance").get("/admin/audit/verify").status_code == 403
    assert browser_of(service, "admin").get("/admin/audit/verify").status_code == 200


def test_password_is_required_to_log_in_to_new_accounts(service: Service) -> None:
    # The demo password is never what a new account gets: it is the one the administrator typed.
    admin = browser_of(service, "admin")
    admin.get("/admin/users")
    admin.post("/admin/users", {"username": "li_sh", "role": "reviewer", "region": "450103",
                                "password": "typed-by-admin-1"})  # fmt: skip
    assert _login_status(service, "li_sh", PASSWORD) == 401
    assert _login_status(service, "li_sh", "typed-by-admin-1") == 303
