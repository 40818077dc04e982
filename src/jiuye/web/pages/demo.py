"""Demo mode only: the administrator sets "today", to walk a claim through its notice period
without waiting five working days (the page form of ``POST /demo/today``; absent in a real service)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from jiuye.service.auth import Caller
from jiuye.service.demo import DemoClock
from jiuye.service.errors import ForbiddenError, NotFoundError
from jiuye.web.forms import read_form, validate
from jiuye.web.render import render
from jiuye.web.session import PageCaller

__all__ = ["router"]

router = APIRouter()


class TodayForm(BaseModel):
    today: dt.date


def _demo_clock(request: Request, caller: Caller) -> DemoClock:
    clock = request.app.state.clock
    if not isinstance(clock, DemoClock):
        msg = "只有演示模式才能设定日期"
        raise NotFoundError(msg)
    if caller.role != "admin":
        msg = "只有管理员可以设定演示日期"
        raise ForbiddenError(msg)
    return clock


@router.get("/admin/demo")
def demo_page(request: Request, caller: PageCaller, saved: str | None = None) -> Response:
    clock = _demo_clock(request, caller)
    flash = "演示日期已设定" if saved else None
    return render(request, "demo.html", {"values": {"today": clock.today.isoformat()}, "flash": flash})


@router.post("/admin/demo")
async def demo_set(request: Request, caller: PageCaller) -> Response:
    clock = _demo_clock(request, caller)
    form = validate(TodayForm, await read_form(request))
    if not form.ok or form.model is None:
        return render(request, "demo.html", {"values": form.values, "errors": form.errors}, status=422)
    clock.today = form.model.today
    return RedirectResponse("/admin/demo?saved=1", status_code=303)
