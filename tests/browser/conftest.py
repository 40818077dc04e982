"""Fixtures of the browser tests: one demo server and one Chromium for the session, a fresh
browser context (no cookies) per test, and the check that no page asked another host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.harness import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    HostWatch,
    LiveServer,
    iter_pages,
    require_chromium,
    start_server,
    stop_server,
)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(Path(tmp_path_factory.mktemp("web-demo")))
    yield live
    stop_server(live)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def watch(server: LiveServer) -> Iterator[HostWatch]:
    seen = HostWatch(server.base_url)
    yield seen
    assert not seen.foreign, f"页面请求了其他主机：{seen.foreign}"


@pytest.fixture
def page(browser: Any, server: LiveServer, watch: HostWatch) -> Iterator[Any]:
    yield from iter_pages(browser, server, watch, DESKTOP)


@pytest.fixture
def phone(browser: Any, server: LiveServer, watch: HostWatch) -> Iterator[Any]:
    yield from iter_pages(browser, server, watch, PHONE)
