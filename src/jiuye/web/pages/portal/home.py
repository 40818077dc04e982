"""``/my``: the claimant's own subject (number masked) and their open applications."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from jiuye.cases import TERMINAL_STATES
from jiuye.regions import region_name
from jiuye.service.api.deps import SessionDep
from jiuye.service.casework import claimant_sees
from jiuye.service.models import IDENTITY_VERIFIED, Application
from jiuye.service.offers import list_offers
from jiuye.service.subjects import get_subject
from jiuye.web.pages.portal.common import ClaimantCaller, measure_title
from jiuye.web.render import render

__all__ = ["router"]

router = APIRouter()
_OPEN_SHOWN = 10


@router.get("/my")
def my_home(request: Request, caller: ClaimantCaller, session: SessionDep, welcome: int = 0) -> Response:
    subject = get_subject(session, caller, caller.subject_id or 0)
    closed = [s.value for s in TERMINAL_STATES]
    query = select(Application).where(claimant_sees(caller), Application.state.not_in(closed))
    open_apps = list(session.scalars(query.order_by(Application.id.desc()).limit(_OPEN_SHOWN)))
    offers, _ = list_offers(session, caller, limit=1)
    context = {
        "subject": subject,
        "region_name": region_name(subject.region),
        "verified": subject.identity_status == IDENTITY_VERIFIED,
        "open_apps": [(app, measure_title(app.measure_id)) for app in open_apps],
        "offer_count": offers,
        "flash": "注册成功，已登录。" if welcome else None,
    }
    return render(request, "portal/home.html", context)
