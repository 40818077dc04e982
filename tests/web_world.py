"""Pages over HTTP without a browser (fast): the demo service of ``api_world``, a browser-like
client per role that keeps its cookies and sends the form's CSRF value, as a page's form would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from tests.api_world import PASSWORD, USER_OF_ROLE, Service, start_service

__all__ = ["Browser", "browser_of", "csrf_of", "web_service"]

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "页面上没有表单校验码（csrf）"
    return found.group(1)


class Browser:
    """A TestClient that behaves like a browser on a form: it reads the CSRF value from the page it
    was on and posts it back with the fields."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, path: str, **kwargs: Any) -> Any:
        answer = self.client.get(path, **kwargs)
        if "text/html" in answer.headers.get("content-type", "") and 'name="csrf"' in answer.text:
            self.csrf = csrf_of(answer.text)
        return answer

    def post(self, path: str, data: dict[str, Any] | None = None, files: Any = None, **kwargs: Any) -> Any:
        if not self.csrf:
            self.get("/")
        return self.client.post(path, data={**(data or {}), "csrf": self.csrf}, files=files, **kwargs)

    def login(self, username: str, password: str = PASSWORD) -> Any:
        self.get("/login")
        answer = self.post("/login", {"username": username, "password": password}, follow_redirects=False)
        assert answer.status_code == 303, answer.text[:500]
        return answer


@contextmanager
def web_service(database_url: str, data_dir: Path) -> Iterator[Service]:
    service = start_service(database_url, data_dir)
    try:
        yield service
    finally:
        service.close()


def browser_of(service: Service, role: str | None = None, username: str | None = None) -> Browser:
    """A fresh browser (own cookies), logged in as the demo user of ``role`` (or ``username``)."""
    client = TestClient(service.app, base_url="http://testserver")
    browser = Browser(client)
    name = username or (USER_OF_ROLE[role] if role else None)
    if name:
        browser.login(name)
    return browser
