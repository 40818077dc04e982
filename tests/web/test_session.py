"""Browser sessions: login sets an HttpOnly cookie; a form post without the page's CSRF value, or
from another origin, is refused; a login link cannot send anyone to another site; errors on pages
are pages in Chinese, errors of the API stay JSON."""

from __future__ import annotations

import datetime as dt

from tests.api_world import TODAY, Service
from tests.web_world import browser_of


def test_login_sets_an_httponly_session_cookie(service: Service) -> None:
    browser = browser_of(service)
    browser.get("/login")
    answer = browser.post("/login", {"username": "clerk", "password": "correct horse battery"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/staff"
    cookie = answer.headers["set-cookie"]
    assert "jiuye_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_a_post_without_the_csrf_value_is_refused(service: Service) -> None:
    browser = browser_of(service)
    browser.get("/login")
    answer = browser.client.post("/login", data={"username": "clerk", "password": "correct horse battery"})
    assert answer.status_code == 403 and "CSRF_FAILED" in answer.text and "表单校验码" in answer.text
    wrong = browser.client.post("/login", data={"username": "clerk", "password": "x", "csrf": "A" * 43})
    assert wrong.status_code == 403


def test_a_post_from_another_origin_is_refused(service: Service) -> None:
    browser = browser_of(service)
    browser.get("/login")
    answer = browser.client.post(
        "/login",
        data={"username": "clerk", "password": "correct horse battery", "csrf": browser.csrf},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403


def test_after_login_the_next_page_must_be_on_this_site(service: Service) -> None:
    browser = browser_of(service)
    browser.get("/login")
    answer = browser.post(
        "/login",
        {"username": "clerk", "password": "correct horse battery", "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/staff"


def test_wrong_password_keeps_the_name_and_never_echoes_the_password(service: Service) -> None:
    browser = browser_of(service)
    browser.get("/login")
    answer = browser.post("/login", {"username": "clerk", "password": "secret-typed-wrong"})
    assert answer.status_code == 401
    assert "用户名或口令不正确" in answer.text and 'value="clerk"' in answer.text
    assert "secret-typed-wrong" not in answer.text


def test_pages_carry_security_headers(service: Service) -> None:
    answer = browser_of(service).get("/")
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    assert answer.headers["x-frame-options"] == "DENY" and answer.headers["cache-control"] == "no-store"


def test_an_unknown_page_is_a_chinese_page_and_the_api_stays_json(service: Service) -> None:
    page = browser_of(service).get("/staff/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html") and "NOT_FOUND" in page.text
    api = browser_of(service).client.get("/applications/999999")
    assert api.headers["content-type"].startswith("application/json")


def test_the_demo_date_is_set_by_the_administrator_only(service: Service) -> None:
    admin = browser_of(service, "admin")
    assert "演示日期" in admin.get("/admin/demo").text
    bad = admin.post("/admin/demo", {"today": "2025-13-01"})
    assert bad.status_code == 422 and 'value="2025-13-01"' in bad.text and "应为日期" in bad.text
    done = admin.post("/admin/demo", {"today": "2025-12-20"})
    assert done.status_code == 200 and "演示日期已设定" in done.text
    assert service.app.state.clock() == dt.date(2025, 12, 20)
    assert browser_of(service, "caseworker").get("/admin/demo").status_code == 403
    service.app.state.clock.today = TODAY
