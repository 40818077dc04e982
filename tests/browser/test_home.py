"""The front door: the home page explains itself and offers the demo logins; login and logout
through the form; the offline API docs render with no other host asked."""

from __future__ import annotations

from typing import Any

from tests.browser.harness import LiveServer, accessibility_problems, login, screenshot


def test_home_offers_every_demo_login(page: Any, server: LiveServer) -> None:
    page.goto(server.url("/"))
    assert page.title().startswith("首页")
    demo = page.get_by_role("region", name="演示账号（仅本机试用）")
    for username in ("admin", "clerk", "reviewer1", "reviewer2", "finance", "auditor", "qiye", "geren"):
        assert demo.get_by_text(username, exact=True).count() == 1
    screenshot(page, "home-desktop")
    assert accessibility_problems(page) == []


def test_home_on_a_phone(phone: Any, server: LiveServer) -> None:
    phone.goto(server.url("/"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    screenshot(phone, "home-phone")
    assert accessibility_problems(phone) == []


def test_login_failure_keeps_the_name_and_says_why(page: Any, server: LiveServer) -> None:
    page.goto(server.url("/login"))
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("口令").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("用户名或口令不正确")
    assert page.get_by_label("用户名").input_value() == "clerk"
    assert page.get_by_label("口令").input_value() == "", "口令不回显"
    assert accessibility_problems(page) == []


def test_login_and_logout(page: Any, server: LiveServer) -> None:
    login(page, server, "clerk")
    page.goto(server.url("/"))
    assert page.get_by_text("XX区经办员（经办人员）").count() == 1
    page.get_by_role("button", name="退出").click()
    assert page.get_by_role("link", name="登录").count() >= 1


def test_offline_api_docs_render(page: Any, server: LiveServer) -> None:
    page.goto(server.url("/docs"))
    page.wait_for_selector(".swagger-ui .info .title")
    assert "案件服务" in page.locator(".swagger-ui .info .title").inner_text()
    page.goto(server.url("/redoc"))
    page.wait_for_selector("redoc h1, .api-info h1, h1")
    assert page.get_by_text("案件服务").count() >= 1
