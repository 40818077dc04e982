"""The issue's acceptance, all through the pages in a real browser: a new enterprise registers,
adds its bank account and applies for gx.expansion for two hires; the caseworker verifies its
identity and accepts; the reviewers approve; after the notice period the caseworker closes the
notice; finance pays and reconciles; the enterprise sees 已发放. Staff of another region see
nothing of the case."""

from __future__ import annotations

import random
import re
import string
from pathlib import Path
from typing import Any

from tests.browser.harness import DEMO_TODAY, LiveServer, accessibility_problems, login, screenshot
from tests.browser.test_forms import _fill_hire
from tests.browser.test_portal import _code_for, _new_uscc
from tests.finance_world import bank_return

_FIRM = "南宁验收测试制造有限公司"
_PASSWORD = "acceptance-password-2025"


def _sign_up(page: Any, server: LiveServer) -> str:
    number, last4 = _new_uscc(), f"{random.randrange(10_000):04d}"
    page.goto(server.url("/signup"))
    page.get_by_label("注册类型").select_option("enterprise")
    page.get_by_label("统一社会信用代码或公民身份号码").fill(number)
    page.get_by_label("单位名称或姓名").fill(_FIRM)
    page.get_by_label("所在地区代码").fill("450103")
    page.get_by_label("手机号").fill("1370000" + last4)
    offset = server.log.stat().st_size
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    page.get_by_label("短信验证码").fill(_code_for(server, last4, offset))
    username = "firm" + "".join(random.choices(string.ascii_lowercase, k=8))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("口令").fill(_PASSWORD)
    page.get_by_role("button", name="完成注册").click()
    page.wait_for_load_state()
    assert "/my" in page.url and page.get_by_text(_FIRM).count() >= 1
    return username


def _add_account(page: Any, server: LiveServer) -> None:
    page.goto(server.url("/my/offers"))
    page.get_by_label("开户银行").fill("示例银行南宁分行")
    page.get_by_label("户名").fill(_FIRM)
    page.get_by_label("账号").fill("6217000" + "".join(random.choices(string.digits, k=12)))
    page.get_by_role("button", name="登记账户").click()
    page.wait_for_load_state()
    assert page.get_by_text("示例银行南宁分行").count() >= 1


def _apply_for_two_hires(page: Any, server: LiveServer) -> int:
    page.goto(server.url("/my/apply/gx.expansion"))
    page.select_option('[name="s-kind"]', "enterprise")
    _fill_hire(page, 0, identity=True)
    page.get_by_role("button", name="增加一名人员").click()
    _fill_hire(page, 1, identity=True)
    page.get_by_role("button", name="检查").click()
    check = page.locator("section.decision").inner_text()
    assert "符合" in check and "3,000.00 元" in check, check
    page.get_by_role("button", name="提交申请").click()
    found = re.search(r"/my/applications/(\d+)$", page.url)
    assert found, page.url
    return int(found.group(1))


def _state(page: Any) -> str:
    """The state badge of the staff case page."""
    return str(page.locator("main h1 + p .badge").inner_text())


def _claimant_state(page: Any) -> str:
    """The state on the claimant's status page."""
    return str(page.locator("dt:has-text('当前状态') + dd .badge").inner_text())


def _as(page: Any, server: LiveServer, username: str, password: str | None = None) -> None:
    page.context.clear_cookies()
    if password:
        login(page, server, username, password)
    else:
        login(page, server, username)


def _review(page: Any, server: LiveServer, case: int) -> None:
    _as(page, server, "clerk")
    page.goto(server.url(f"/staff/cases/{case}"))
    page.get_by_label("身份核验依据").fill("已现场核对营业执照原件")
    page.get_by_role("button", name="确认身份已核验").click()
    page.get_by_role("button", name="受理并送审").click()
    assert _state(page) == "审核中"
    for reviewer in ("reviewer1", "reviewer2"):
        _as(page, server, reviewer)
        page.goto(server.url(f"/staff/cases/{case}"))
        if _state(page) != "审核中":
            break  # the amount's tier needed fewer reviewers
        page.get_by_role("button", name="审核通过").click()
    assert _state(page) == "公示中"


def _after_the_notice(page: Any, server: LiveServer, case: int) -> None:
    page.goto(server.url(f"/staff/cases/{case}"))
    _as(page, server, "admin")
    page.goto(server.url("/admin/demo"))
    page.get_by_label("今天（演示）").fill("2025-12-31")
    page.get_by_role("button", name="设定").click()
    _as(page, server, "clerk")
    page.goto(server.url(f"/staff/cases/{case}"))
    page.get_by_role("button", name="公示期满核准").click()
    assert _state(page) == "已核准"


def _pay(page: Any, server: LiveServer) -> None:
    _as(page, server, "finance")
    page.goto(server.url("/staff/batches"))
    page.get_by_role("button", name="生成批次").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载代发文件").click()
    bank_file = Path(download.value.path()).read_bytes()
    returned = bank_return(bank_file)  # the bank pays every line
    page.set_input_files("#f-file", files=[{"name": "回盘.txt", "mimeType": "text/plain", "buffer": returned}])
    page.get_by_role("button", name="导入并对账").click()
    page.wait_for_load_state()
    assert "失败 0 笔" in page.get_by_role("status").inner_text()


def _set_today(page: Any, server: LiveServer, day: str) -> None:
    _as(page, server, "admin")
    page.goto(server.url("/admin/demo"))
    page.get_by_label("今天（演示）").fill(day)
    page.get_by_role("button", name="设定").click()


def test_an_enterprise_is_paid_through_the_pages(page: Any, server: LiveServer) -> None:
    username = _sign_up(page, server)
    _add_account(page, server)
    case = _apply_for_two_hires(page, server)
    assert _claimant_state(page) == "已自动校验"
    try:
        _review(page, server, case)
        _after_the_notice(page, server, case)
        _pay(page, server)
    finally:
        _set_today(page, server, DEMO_TODAY)  # the server is shared with the other browser tests
    _as(page, server, username, _PASSWORD)
    page.goto(server.url(f"/my/applications/{case}"))
    assert _claimant_state(page) == "已发放"
    assert page.get_by_text("3,000.00 元").count() >= 1
    screenshot(page, "acceptance-paid-desktop")
    assert accessibility_problems(page) == []


def test_staff_of_another_region_see_nothing_of_the_case(page: Any, server: LiveServer) -> None:
    _as(page, server, "qiye")
    case = _apply_for_two_hires(page, server)
    outsider = "clerk" + "".join(random.choices(string.ascii_lowercase, k=6))
    _as(page, server, "admin")
    page.goto(server.url("/admin/users"))
    page.locator("#f-username").fill(outsider)
    page.locator("#f-display_name").fill("柳州经办员")
    page.locator("#f-role").select_option("caseworker")
    page.locator("#f-region").fill("450202")
    page.locator("#f-password").fill(_PASSWORD)
    page.get_by_role("button", name="开设账号").click()
    page.wait_for_load_state()
    _as(page, server, outsider, _PASSWORD)
    page.goto(server.url("/staff?queue=all"))
    assert page.get_by_text("柳州经办员（经办人员）").count() == 1, "另一地区的经办员已登录"
    assert page.get_by_role("link", name=f"案件 {case}", exact=True).count() == 0
    answer = page.goto(server.url(f"/staff/cases/{case}"))
    assert answer is not None and answer.status == 404
    assert page.get_by_text(_FIRM).count() == 0 and page.get_by_text("南宁示例制造有限公司").count() == 0
