"""Public pages in a real browser: the policy catalog and a measure's guide, and the notice board
with a claim taken to its notice through the JSON API of the live server; desktop and phone."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from tests.browser.harness import PASSWORD, LiveServer, accessibility_problems, screenshot
from tests.public_world import to_notice

_USERS = {"caseworker": "clerk", "reviewer": "reviewer1"}


def _api(server: LiveServer) -> Any:
    tokens: dict[str, str] = {}

    def token(role: str) -> str:
        if role not in tokens:
            body = urllib.parse.urlencode({"username": _USERS[role], "password": PASSWORD}).encode()
            with urllib.request.urlopen(server.url("/auth/token"), data=body, timeout=30) as answer:
                tokens[role] = json.load(answer)["access_token"]
        return tokens[role]

    def call(method: str, path: str, role: str, body: dict[str, Any] | None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(server.url(path), data=data, method=method)
        request.add_header("Authorization", f"Bearer {token(role)}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as exc:
            pytest.fail(f"{method} {path}：{exc.code} {exc.read().decode(errors='replace')}")

    return call


@pytest.fixture(scope="module")
def notice(server: LiveServer) -> dict[str, Any]:
    """Our own claim in its notice (the server is shared: other tests' notices may be there too)."""
    return to_notice(_api(server), subject_id=1, seq=int(time.time()) % 1000)


def test_catalog_filters_and_opens_a_guide(page: Any, server: LiveServer) -> None:
    page.goto(server.url("/policies"))
    assert page.title().startswith("政策目录")
    page.get_by_label("辖区").select_option("gx")
    page.get_by_label("受益对象").select_option("unit")
    page.get_by_label("搜索标题或简介").fill("扩岗")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert "jurisdiction=gx" in page.url
    rows = page.locator("table.stack tbody tr")
    assert rows.count() >= 1
    screenshot(page, "public-catalog-desktop")
    assert accessibility_problems(page) == []
    page.get_by_role("link", name="一次性扩岗补助").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="要准备什么").count() == 1
    assert page.get_by_text("与所招用人员签订的劳动合同").count() >= 1
    assert page.get_by_text("gx-rsf-2025-38.txt").count() >= 1
    screenshot(page, "public-measure-desktop")
    assert accessibility_problems(page) == []


def test_catalog_and_guide_on_a_phone(phone: Any, server: LiveServer) -> None:
    phone.goto(server.url("/policies"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    screenshot(phone, "public-catalog-phone")
    assert accessibility_problems(phone) == []
    phone.goto(server.url("/policies/cn.report.quarterly"))
    assert "岗位开发和方案实施情况季度报送" in phone.locator("h1").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    screenshot(phone, "public-measure-phone")
    assert accessibility_problems(phone) == []


def test_an_unknown_measure_is_a_chinese_404(page: Any, server: LiveServer) -> None:
    answer = page.goto(server.url("/policies/no.such.measure"))
    assert answer.status == 404
    assert "没有编号为 no.such.measure 的政策" in page.locator("main").inner_text()


def test_the_notice_board_shows_our_claim(page: Any, server: LiveServer, notice: dict[str, Any]) -> None:
    page.goto(server.url("/notices"))
    page.get_by_label("地区", exact=True).select_option("450103")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert "region=450103" in page.url
    row = page.locator("table.stack tbody tr").filter(has_text=str(notice["id"])).first
    assert "南宁示例制造有限公司" in row.inner_text() and "1,500.00 元" in row.inner_text()
    assert page.get_by_role("heading", name="如何提出异议").count() == 1
    screenshot(page, "public-notices-desktop")
    assert accessibility_problems(page) == []


def test_the_notice_board_on_a_phone(phone: Any, server: LiveServer, notice: dict[str, Any]) -> None:
    phone.goto(server.url("/notices"))
    assert phone.get_by_text(str(notice["id"]), exact=True).count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    screenshot(phone, "public-notices-phone")
    assert accessibility_problems(phone) == []
