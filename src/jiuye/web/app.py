"""Mount the pages, their static assets and the offline API docs on the service's application."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from jiuye.web import paths
from jiuye.web.errors import page_error
from jiuye.web.pages import ROUTERS
from jiuye.web.session import check_csrf

__all__ = ["install_web"]

_STATIC = Path(__file__).parent / "static"
#: Swagger UI and ReDoc as shipped inside the fastapi-offline package (installed from PyPI): the
#: docs work on an intranet with no way out, and no file of theirs is copied into this repository.
_DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"


_DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'"
)


#: The one address ReDoc's bundle loads from its maker's CDN (the logo in its sidebar), served
#: instead from here: the bundle is rewritten in memory as it is served, never copied.
_REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


@cache
def _redoc_bundle() -> bytes:
    return (_DOCS_ASSETS / "redoc.standalone.js").read_bytes().replace(_REDOC_LOGO, b"/static/docs/favicon.png")


def _docs_routes(app: FastAPI) -> APIRouter:
    docs = APIRouter(include_in_schema=False)
    title = app.title

    @docs.get("/static/docs/redoc.standalone.js")
    def redoc_bundle() -> Response:
        return Response(_redoc_bundle(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    @docs.get("/docs")
    def swagger() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{title} · 接口文档",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},  # the public validator is another host
        )
        page.headers["Content-Security-Policy"] = _DOCS_POLICY
        return page

    @docs.get("/redoc")
    def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{title} · 接口说明",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        )
        # ReDoc's sidebar always shows its maker's logo from their CDN: the policy keeps the
        # browser from asking any host but this one (an intranet has no way out anyway).
        page.headers["Content-Security-Policy"] = _DOCS_POLICY
        return page

    return docs


def install_web(app: FastAPI) -> None:
    """Pages on ``app`` (created with ``docs_url=None, redoc_url=None``): every page route checks the
    CSRF value of a POST, and errors on pages are answered as pages."""
    app.state.page_paths = paths
    app.state.page_error = page_error
    app.include_router(_docs_routes(app))  # before the mounts: it serves one file under /static/docs
    app.mount("/static/docs", StaticFiles(directory=_DOCS_ASSETS), name="docs-assets")
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False, dependencies=[Depends(check_csrf)])
