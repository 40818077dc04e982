"""The browser-test harness: the demo service in a subprocess, Debian's Chromium under Playwright,
screenshots, the accessibility check (axe-core) and the watch on other hosts.

Chromium is never downloaded (``playwright install`` is not used): Debian's package, at
``/usr/bin/chromium`` or ``$JIUYE_CHROMIUM``. Missing, the browser tests skip on a developer's
machine and fail in CI (``JIUYE_REQUIRE_BROWSER=1``, set by ``.ci/run``, which installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Where the tests write their screenshots (the README names this folder; not committed).
SCREENSHOTS = ROOT / "build" / "screenshots"
PASSWORD = "jiuye-demo-2025"
#: The demo's "today": within 2025, so that the 2025 documents govern the claims made in the tests.
DEMO_TODAY = "2025-11-03"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Flags for a root user in a sandbox with no way out (see the machine notes): no sandbox, no GPU,
#: no background requests to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    path = os.environ.get("JIUYE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        msg = "Debian 的 chromium 未安装（apt-get install chromium）"
        if os.environ.get("JIUYE_REQUIRE_BROWSER") == "1":
            pytest.fail(msg + "；CI 要求浏览器测试必须运行")
        pytest.skip(msg)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    base_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return self.base_url + path


def start_server(data_dir: Path, today: str = DEMO_TODAY, extra_env: dict[str, str] | None = None) -> LiveServer:
    """``jiuye serve --demo`` as the README's first command runs it, on a free port."""
    port = _free_port()
    env = {**os.environ, "JIUYE_DATA_DIR": str(data_dir), "JIUYE_TEST_CHEAP_HASHING": "1", **(extra_env or {})}
    env.pop("DATABASE_URL", None)  # the demo's own SQLite database
    log = data_dir / "serve.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "jiuye.cli.app", "serve", "--demo", "--port", str(port), "--today", today]
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"服务未能启动：{log.read_text(encoding='utf-8', errors='replace')}")
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as answer:
                if answer.status == 200:
                    return LiveServer(base, data_dir, process, log)
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("服务 60 秒内未就绪")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@dataclass
class HostWatch:
    """Every request a page makes; anything to a host other than the server is a failure."""

    base_url: str
    foreign: list[str] = field(default_factory=list)

    def see(self, url: str) -> None:
        if url.startswith(("data:", "blob:", "about:")):
            return
        if urlsplit(url).netloc != urlsplit(self.base_url).netloc:
            self.foreign.append(url)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


#: axe-core impacts that fail a page (WCAG 2.1 A/AA rules only).
_BLOCKING = ("serious", "critical")


def accessibility_problems(page: Any) -> list[str]:
    """axe-core (shipped in axe-playwright-python) on the page as it is, WCAG 2.1 A and AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    found = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in _BLOCKING:
            targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:5]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} @ {targets}")
    return found


def login(page: Any, server: LiveServer, username: str, password: str = PASSWORD) -> None:
    page.goto(server.url("/login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("口令").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def iter_pages(browser: Any, server: LiveServer, watch: HostWatch, viewport: dict[str, int]) -> Iterator[Any]:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.on("request", lambda request: watch.see(request.url))
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
