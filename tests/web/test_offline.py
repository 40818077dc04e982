"""Offline: no page, template or asset of ours points at another host (a bureau's intranet has no
way out), and the API docs load Swagger UI and ReDoc from this server. The browser tests also watch
every request each page makes (tests/browser/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.api_world import Service
from tests.web_world import browser_of

WEB = Path(__file__).resolve().parents[2] / "src" / "jiuye" / "web"
#: A reference a browser would load or follow: src=, href=, action=, url(…) and @import with a
#: scheme or a protocol-relative address.
FOREIGN = re.compile(
    r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.I,
)


def test_no_template_or_asset_of_ours_names_another_host() -> None:
    files = [p for p in WEB.rglob("*") if p.suffix in {".html", ".css", ".js"}]
    assert len(files) >= 5
    offending = [f"{p.relative_to(WEB)}: {m.group(0)}" for p in files for m in FOREIGN.finditer(p.read_text("utf-8"))]
    assert offending == []


def test_the_api_docs_load_their_assets_from_this_server(service: Service) -> None:
    browser = browser_of(service)
    for path in ("/docs", "/redoc"):
        html = browser.get(path).text
        assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
        assert assets and all(a.startswith("/static/") or a.startswith("#") for a in assets), assets
        assert "fonts.googleapis" not in html and "cdn." not in html
    bundle = browser.get("/static/docs/redoc.standalone.js")
    assert bundle.status_code == 200 and b"cdn.redoc.ly/redoc/logo" not in bundle.content
    assert browser.get("/static/docs/swagger-ui-bundle.js").status_code == 200
