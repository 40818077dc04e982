"""Templates: one Jinja2 environment, the formats as filters, and ``render`` for every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from jiuye.cases import State
from jiuye.web import formats
from jiuye.web.nav import menu_for
from jiuye.web.session import csrf_token, set_csrf_cookie

__all__ = ["PAGE_HEADERS", "TEMPLATES", "render"]

#: Every page: nothing cached (pages may hold personal data), nothing loaded from another host and no
#: inline script (CSP), never framed by another site, no page address sent elsewhere.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
_env = TEMPLATES.env
_env.filters.update(
    fen=formats.fen,
    yuan=formats.yuan,
    cn_date=formats.cn_date,
    cn_datetime=formats.cn_datetime,
    simplified=formats.simplified,
)
_env.globals["state_label"] = lambda code: State(code).label if code in State._value2member_map_ else code
_env.globals["ROLE_LABELS"] = {
    "enterprise": "单位",
    "individual": "个人",
    "caseworker": "经办人员",
    "reviewer": "审核人员",
    "finance": "财务人员",
    "auditor": "审计人员",
    "admin": "系统管理员",
}


def render(request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    """A page: the caller (if logged in), the menu for their role and the form's CSRF value are
    always in the context; a new CSRF cookie is set when this browser had none."""
    caller = getattr(request.state, "caller", None)
    ctx: dict[str, Any] = {
        "caller": caller,
        "display_name": getattr(request.state, "display_name", None),
        "menu": menu_for(caller),
        "csrf": csrf_token(request),
        "path": request.url.path,
        "errors": {},
        "values": {},
    }
    ctx.update(context or {})
    response = TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)
    set_csrf_cookie(request, response)
    response.headers.update(PAGE_HEADERS)
    return response
