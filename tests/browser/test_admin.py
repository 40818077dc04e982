"""Administration in a real browser: an administrator opens an account, disables it and gives it a
new password; views the local parameters and uploads a dated file; an auditor verifies the audit
chain. Screenshots ``admin-*`` on a desktop and a phone; axe finds nothing serious."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from tests.browser.harness import LiveServer, accessibility_problems, login, screenshot

# A value dated far ahead: the demo server is shared with every other browser test, whose claims
# must not change; the file still shows what it sets and from when.
LOCAL_FILE = """# {tag}
namespace: xxq.intern
parameters:
  monthly_rate:
    description: 就业见习补贴标准（每人每月，本地设定）
    unit: CNY
    values:
      2030-01-01:
        value: 1800
        reference: {{document: 浏览器测试通知, clause: 一, quote: 见习补贴每人每月1800元}}
"""


def _fits_a_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"


def test_an_administrator_opens_disables_and_resets_an_account(page: Any, server: LiveServer) -> None:
    name = f"jb_{uuid.uuid4().hex[:6]}"
    login(page, server, "admin")
    page.goto(server.url("/admin/users"))
    assert page.get_by_role("heading", name="用户与角色").count() == 1
    screenshot(page, "admin-users-desktop")
    assert accessibility_problems(page) == []

    form = page.locator("form[action='/admin/users'][method='post']")
    form.get_by_label("用户名").fill(name)
    form.get_by_label("显示名称").fill("浏览器经办")
    form.get_by_label("角色").select_option("caseworker")
    form.get_by_label("辖区（地区代码）").fill("440103")  # outside Guangxi: refused by the service
    form.get_by_label("初始口令").fill("first-pass-123")
    form.get_by_role("button", name="开设账号").click()
    assert "不在您的管理范围内" in page.get_by_role("alert").inner_text()
    assert form.get_by_label("用户名").input_value() == name, "填写的内容保留"
    assert form.get_by_label("初始口令").input_value() == "", "口令不回显"
    assert accessibility_problems(page) == []

    form.get_by_label("辖区（地区代码）").fill("450103")
    form.get_by_label("初始口令").fill("first-pass-123")
    form.get_by_role("button", name="开设账号").click()
    assert page.get_by_role("heading", name=f"用户 {name}").count() == 1
    assert "已创建用户" in page.get_by_role("status").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks before disabling
    page.get_by_role("button", name="停用账号").click()
    page.wait_for_load_state()
    assert "已停用用户" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="启用账号").count() == 1

    page.get_by_label("新口令").fill("second-pass-456")
    page.get_by_role("button", name="重设口令").click()
    assert "已重设口令" in page.get_by_role("status").inner_text()
    screenshot(page, "admin-user-desktop")
    assert accessibility_problems(page) == []


def test_an_administrator_views_parameters_and_uploads_a_dated_file(
    page: Any, server: LiveServer, tmp_path: Path
) -> None:
    login(page, server, "admin")
    page.goto(server.url("/admin/parameters"))
    unset = page.get_by_role("table", name="尚未设定的地方参数")
    assert unset.get_by_text("xxq.training.living.min_wage_monthly").count() == 1

    bad = tmp_path / "坏的.params.yaml"
    bad.write_text("namespace: xxq.intern\nparameters:\n  monthly_rate:\n    description: x\n    unit: CNY\n"
                   "    values:\n      2030-01-01: {value: 1800}\n", encoding="utf-8")  # fmt: skip
    page.get_by_label("参数文件（.params.yaml，UTF-8）").set_input_files(str(bad))
    page.get_by_role("button", name="校验并上传").click()
    assert "缺少出处" in page.get_by_role("alert").inner_text()

    good = tmp_path / "本地参数.params.yaml"
    good.write_text(LOCAL_FILE.format(tag=uuid.uuid4().hex), encoding="utf-8")
    page.get_by_label("参数文件（.params.yaml，UTF-8）").set_input_files(str(good))
    page.get_by_role("button", name="校验并上传").click()
    assert "参数文件已保存" in page.get_by_role("status").inner_text()
    assert page.get_by_text("1,800.00元").count() >= 1 and page.get_by_text("2030年").count() >= 1
    screenshot(page, "admin-parameters-desktop")
    assert accessibility_problems(page) == []

    page.get_by_role("link", name="查看全部现行具名假设").click()
    assert page.get_by_role("heading", name="现行具名假设").count() == 1
    assert accessibility_problems(page) == []


def test_an_auditor_reads_the_log_and_verifies_the_chain(page: Any, server: LiveServer) -> None:
    login(page, server, "auditor")
    page.goto(server.url("/admin/audit"))
    assert page.get_by_role("heading", name="审计日志").count() == 1
    page.get_by_label("操作人").fill("admin")
    page.get_by_role("button", name="筛选").click()
    assert "actor=admin" in page.url
    screenshot(page, "admin-audit-desktop")
    assert accessibility_problems(page) == []

    page.get_by_role("link", name="核验审计链").click()
    assert "审计链完整" in page.get_by_role("status").inner_text()
    anchor = page.locator("#anchor").inner_text()
    page.get_by_label("保存的锚点（条数:哈希）").fill(anchor)
    page.get_by_role("button", name="核验").click()
    assert "已与保存的锚点核对一致" in page.get_by_role("status").inner_text()
    screenshot(page, "admin-verify-desktop")
    assert accessibility_problems(page) == []


def test_admin_pages_on_a_phone(phone: Any, server: LiveServer) -> None:
    login(phone, server, "admin")
    for path, name in (("/admin/users", "users"), ("/admin/parameters", "parameters"), ("/admin/audit", "audit"),
                       ("/admin/audit/verify", "verify")):  # fmt: skip
        phone.goto(server.url(path))
        _fits_a_phone(phone)
        screenshot(phone, f"admin-{name}-phone")
        assert accessibility_problems(phone) == [], path
