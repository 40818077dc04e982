"""The issue's acceptance: a caseworker runs proactive matching on a synthetic registry and turns
one match into a case, through the pages, watching the progress bar; the pages pass axe on a
desktop and on a phone."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.harness import LiveServer, accessibility_problems, login, screenshot

#: Small enough for CI's two cores, large enough to find matches in the demo district.
PERSONS = "1000"


def _run_to_the_end(page: Any, server: LiveServer, screen: str) -> str:
    page.goto(server.url("/staff/matching"))
    page.get_by_label("人数").fill(PERSONS)
    assert page.locator("#f-region").input_value() == "450103"  # the caller's own district by default
    page.get_by_role("button", name="开始政策找人").click()
    page.wait_for_url(re.compile(r"/staff/matching/\d+$"))
    url: str = page.url
    # While it runs the bar is shown and polled; when it has finished the page reloads itself.
    if page.locator("[data-progress-url]").count():
        assert page.locator("progress").count() == 1
        screenshot(page, f"matching-progress-{screen}")
    page.get_by_role("heading", name="概况").wait_for(timeout=120_000)
    return url


def test_a_caseworker_runs_matching_and_turns_one_match_into_a_case(page: Any, server: LiveServer) -> None:
    login(page, server, "clerk")
    page.goto(server.url("/staff/matching"))
    screenshot(page, "matching-index-desktop")
    assert accessibility_problems(page) == []
    url = _run_to_the_end(page, server, "desktop")
    assert page.get_by_text("应发资金合计").count() == 1
    screenshot(page, "matching-run-desktop")
    assert accessibility_problems(page) == []
    page.get_by_role("link", name="预算汇总").click()
    assert page.get_by_role("heading", name=re.compile("预算汇总")).count() == 1
    assert accessibility_problems(page) == []
    page.get_by_role("link", name="差一点名单").click()
    assert accessibility_problems(page) == []
    page.goto(url + "?tab=eligible&per_page=200")
    rows = page.get_by_role("button", name=re.compile("转为案件$")).count() - 1  # the first is the measures form's
    for index in range(rows):
        page.get_by_role("button", name=re.compile("转为案件$")).nth(index + 1).click()  # 0 is the measures form
        report = page.get_by_role("heading", name=re.compile("转为案件："))
        if "新建主动服务案件 1 件" in report.inner_text():
            break
    assert "新建主动服务案件 1 件" in page.get_by_role("heading", name=re.compile("转为案件：")).inner_text()
    assert page.get_by_role("link", name=re.compile(r"^\d+$")).count() == 1
    screenshot(page, "matching-import-desktop")
    assert accessibility_problems(page) == []


def test_matching_pages_on_a_phone(phone: Any, server: LiveServer) -> None:
    login(phone, server, "clerk")
    phone.goto(server.url("/staff/matching"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    screenshot(phone, "matching-index-phone")
    assert accessibility_problems(phone) == []
    _run_to_the_end(phone, server, "phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    screenshot(phone, "matching-run-phone")
    assert accessibility_problems(phone) == []
