"""The enterprise and citizen portal in a real browser: a new enterprise signs up with the code
the demo writes to the service log; a claimant confirms a 免申即享 offer with their account, reads
the status page and attaches evidence; every main page on a desktop and a phone, checked by axe."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import string
from pathlib import Path
from typing import Any

from sqlalchemy import select
from stdnum.cn import uscc
from tests.browser.harness import LiveServer, accessibility_problems, login, screenshot

from jiuye.cases import State
from jiuye.service.audit import record
from jiuye.service.db import make_engine, make_sessions
from jiuye.service.models import Application, User
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _new_uscc() -> str:
    first17 = "91450103MA" + "".join(random.choices(_USCC_CHARS, k=7))
    return first17 + uscc.calc_check_digit(first17)


def _proactive_case(server: LiveServer, username: str) -> int:
    """A 免申即享 case for ``username``'s subject, as ``service.proactive.import_matches`` leaves one
    (the matching pages are the console's; here the server's own database and keys are used)."""
    settings = Settings.from_env(server.data_dir)
    url = f"sqlite:///{(server.data_dir / 'jiuye.db').as_posix()}"
    engine = make_engine(url)
    try:
        sessions = make_sessions(engine, audit_key=settings.audit_key)
        protector = Protector(settings.index_key, settings.encryption_key)
        with sessions() as session, session.begin():
            user = session.scalars(select(User).where(User.username == username)).one()
            clerk = session.scalars(select(User).where(User.username == "clerk")).one()
            reasons = ["免申即享：由政策找人比对结果自动建案", "招用登记失业人员2人，每人1,500元"]
            app = Application(
                measure_id="gx.expansion", subject_id=user.subject_id, region=user.region,
                state=State.AUTO_CHECKED.value, source="proactive", claimant_ref="E1",
                facts_sealed=protector.seal("{}"), submitted_by=clerk.id, filed_as="caseworker", handlers="",
                as_of_submitted=dt.date(2025, 11, 3), status_submitted="eligible", amount_submitted_fen=300_000,
                reasons=json.dumps(reasons, ensure_ascii=False),
            )  # fmt: skip
            session.add(app)
            session.flush()
            detail = {"measure": "gx.expansion", "amount_fen": 300_000, "to": app.state}
            record(session, actor="clerk", action="application.proactive", entity="application", entity_id=app.id,
                   detail=detail)  # fmt: skip
            return int(app.id)
    finally:
        engine.dispose()


def _code_for(server: LiveServer, last4: str, after: int) -> str:
    """The code the demo's SMS stand-in logged for the phone ending ``last4`` (after byte ``after``)."""
    text = server.log.read_bytes()[after:].decode("utf-8", errors="replace")
    codes = re.findall(rf"\*{{4}}{last4} 的短信：您的注册验证码为 (\d{{6}})", text)
    assert codes, "服务日志中没有验证码"
    return codes[-1]


def test_a_new_enterprise_signs_up_with_the_code_from_the_log(page: Any, server: LiveServer) -> None:
    number, last4 = _new_uscc(), f"{random.randrange(10_000):04d}"
    page.goto(server.url("/signup"))
    assert accessibility_problems(page) == []
    page.get_by_label("注册类型").select_option("enterprise")
    page.get_by_label("统一社会信用代码或公民身份号码").fill(number)
    page.get_by_label("单位名称或姓名").fill("南宁浏览器测试有限公司")
    page.get_by_label("手机号").fill("1390000" + last4)
    screenshot(page, "portal-signup-desktop")
    offset = server.log.stat().st_size
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="输入验证码").count() == 1
    page.get_by_label("短信验证码").fill(_code_for(server, last4, offset))
    username = "web" + "".join(random.choices(string.ascii_lowercase, k=8))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("口令").fill("browser-test-password")
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="完成注册").click()
    page.wait_for_load_state()
    assert page.url.endswith("/my?welcome=1")
    assert page.get_by_text("南宁浏览器测试有限公司").count() >= 1
    assert number not in page.content(), "统一社会信用代码应脱敏"
    screenshot(page, "portal-my-desktop")
    assert accessibility_problems(page) == []


def test_offer_confirmed_status_read_and_evidence_attached(page: Any, server: LiveServer, tmp_path: Path) -> None:
    case = _proactive_case(server, "qiye")
    login(page, server, "qiye")
    page.goto(server.url("/my/offers"))
    offer = page.get_by_role("region", name=re.compile("扩岗|吸纳|一次性"))
    assert offer.count() >= 1
    screenshot(page, "portal-offers-desktop")
    assert accessibility_problems(page) == []
    page.locator(f'form[action="/my/offers/{case}/confirm"] button').click()
    page.wait_for_load_state()
    assert page.get_by_text("已确认，补贴将发往所选账户。").count() == 1
    page.goto(server.url(f"/my/applications/{case}"))
    assert page.get_by_text("确认免申即享并选定收款账户").count() == 1
    evidence = tmp_path / "劳动合同.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label(re.compile("上传材料")).set_input_files(str(evidence))
    page.get_by_role("button", name="上传所选文件").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="劳动合同.pdf").count() == 1
    fake = tmp_path / "假的.pdf"
    fake.write_bytes(b"MZ not a pdf")
    page.get_by_label(re.compile("上传材料")).set_input_files(str(fake))
    page.get_by_role("button", name="上传所选文件").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("文件内容不是 PDF、JPG 或 PNG")).count() == 1
    screenshot(page, "portal-application-desktop")
    assert accessibility_problems(page) == []
    for path, name in (("/my/applications", "portal-applications-desktop"), ("/my/payments", "portal-payments-desktop"),
                       ("/my/jobs", "portal-jobs-desktop")):  # fmt: skip
        page.goto(server.url(path))
        screenshot(page, name)
        assert accessibility_problems(page) == [], path


def test_portal_on_a_phone(phone: Any, server: LiveServer) -> None:
    case = _proactive_case(server, "qiye")
    login(phone, server, "qiye")
    pages = (("/my", "portal-my-phone"), ("/my/offers", "portal-offers-phone"),
             (f"/my/applications/{case}", "portal-application-phone"),
             ("/my/applications", "portal-applications-phone"), ("/my/payments", "portal-payments-phone"),
             ("/my/jobs", "portal-jobs-phone"))  # fmt: skip
    for path, name in pages:
        phone.goto(server.url(path))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, f"{path} 手机宽度下不应横向滚动"
        screenshot(phone, name)
        assert accessibility_problems(phone) == [], path
    phone.context.clear_cookies()
    phone.goto(server.url("/signup"))
    screenshot(phone, "portal-signup-phone")
    assert accessibility_problems(phone) == []
