"""The console in a real browser: a claim filed through the live server's API, then accepted by the
caseworker and approved by the reviewers the amount's tier needs, all through the pages; the queue
and the case page pass the accessibility check on a desktop and a phone."""

from __future__ import annotations

import json
import random
import urllib.request
from typing import Any
from urllib.parse import urlencode

from tests.browser.harness import PASSWORD, LiveServer, accessibility_problems, login, screenshot
from tests.claims_world import facts, id_number


def _call(
    server: LiveServer, path: str, body: dict[str, Any] | None = None, token: str = "", form: bool = False
) -> Any:
    """One JSON call of the live server's API (the standard library's client)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = urlencode(body).encode() if form else json.dumps(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
    request = urllib.request.Request(server.url(path), data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def _filed_case(server: LiveServer) -> int:
    """A claim of the demo enterprise (qiye) for one new hire, filed and submitted through the API."""
    token = _call(server, "/auth/token", {"username": "qiye", "password": PASSWORD}, form=True)["access_token"]
    subject_id = _call(server, "/auth/me", token=token)["subject_id"]
    person = id_number(f"45010320020707{random.randrange(1000):03d}")  # other tests share this server
    body = {"measure_id": "gx.expansion", "subject_id": subject_id, "claimant_ref": "E1", "facts": facts("E1", person)}
    case_id = int(_call(server, "/applications", body, token=token)["id"])
    submitted = _call(server, f"/applications/{case_id}/submit", {}, token=token)
    assert submitted["state"] == "auto_checked", submitted
    return case_id


def _state_shown(page: Any) -> str:
    return str(page.locator("main h1 + p .badge").inner_text())


def test_accept_and_approve_through_the_pages(page: Any, server: LiveServer) -> None:
    case_id = _filed_case(server)
    login(page, server, "clerk")
    page.goto(server.url("/staff"))
    assert page.get_by_role("link", name=f"案件 {case_id}", exact=True).count() == 1
    screenshot(page, "console-queue-desktop")
    assert accessibility_problems(page) == []
    page.get_by_role("link", name=f"案件 {case_id}", exact=True).click()
    assert page.get_by_role("heading", name="自动校验（规则引擎的决定）").count() == 1
    assert page.get_by_role("cell", name="桂人社发", exact=False).count() >= 1
    screenshot(page, "console-case-desktop")
    assert accessibility_problems(page) == []
    page.get_by_role("button", name="受理并送审").click()
    assert "已受理并送审" in page.get_by_role("status").inner_text()
    assert _state_shown(page) == "审核中"
    page.get_by_role("button", name="退出").click()

    for reviewer in ("reviewer1", "reviewer2"):
        login(page, server, reviewer)
        page.goto(server.url(f"/staff/cases/{case_id}"))
        if _state_shown(page) != "审核中":
            page.get_by_role("button", name="退出").click()
            break  # the tier needed fewer reviewers
        assert page.get_by_role("button", name="受理并送审").count() == 0, "审核人员不受理"
        page.get_by_role("button", name="审核通过").click()
        assert "已审核通过" in page.get_by_role("status").inner_text()
        page.get_by_role("button", name="退出").click()
    login(page, server, "clerk")
    page.goto(server.url(f"/staff/cases/{case_id}"))
    assert _state_shown(page) == "公示中"
    assert page.get_by_text("公示期：").count() == 1


def test_the_console_on_a_phone(phone: Any, server: LiveServer) -> None:
    case_id = _filed_case(server)
    login(phone, server, "clerk")
    phone.goto(server.url("/staff"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    screenshot(phone, "console-queue-phone")
    assert accessibility_problems(phone) == []
    phone.goto(server.url(f"/staff/cases/{case_id}"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "手机宽度下不应横向滚动"
    screenshot(phone, "console-case-phone")
    assert accessibility_problems(phone) == []
