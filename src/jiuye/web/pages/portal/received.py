"""``/my/payments`` (payments received, paged) and ``/my/jobs`` (a graduate's recommended jobs)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jiuye.assistance import Stage
from jiuye.service.api.deps import SessionDep, today
from jiuye.service.job_matching import jobs_for_own_ledger_entry
from jiuye.service.jobs import postings_by_id
from jiuye.service.received import payments_received
from jiuye.web.pages.portal.common import ClaimantCaller, measure_title
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render

__all__ = ["router"]

router = APIRouter()


@router.get("/my/payments")
def my_payments(
    request: Request, caller: ClaimantCaller, session: SessionDep, page: PageNo = 1, per_page: PerPage = 20
) -> Response:
    total, _ = payments_received(session, caller, limit=1)
    paging = Paging.of(page=page, per_page=per_page, total=total)
    _, rows = payments_received(session, caller, limit=paging.per_page, offset=paging.offset)
    titles = {r.measure_id: measure_title(r.measure_id) for r in rows}
    return render(request, "portal/payments.html", {"rows": rows, "paging": paging, "titles": titles})


@router.get("/my/jobs")
def my_jobs(request: Request, caller: ClaimantCaller, session: SessionDep) -> Response:
    found = jobs_for_own_ledger_entry(session, caller, today=today(request))
    if found is None:
        return render(request, "portal/jobs.html", {"on_ledger": False, "is_person": caller.role == "individual"})
    pushes, fresh = found
    postings = postings_by_id(session, ids=[p.posting_id for p in pushes])
    pushed = [(p, postings.get(p.posting_id), Stage(p.stage).label) for p in pushes]
    recommended = [(m.posting, m.explanation.text().splitlines()) for m in fresh]
    return render(request, "portal/jobs.html", {"on_ledger": True, "pushed": pushed, "recommended": recommended})
