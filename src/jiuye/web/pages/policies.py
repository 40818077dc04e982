"""The policy catalog, public: every measure, filtered and paged, and each one's plain-language guide."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from jiuye.catalog import measure_json, quoted_clauses
from jiuye.engine.measure import Measure
from jiuye.params import ParameterSet
from jiuye.params.model import display_value
from jiuye.policies.browse import FUNDS, JURISDICTIONS, WHO, find, who_of
from jiuye.policies.documents import citation_text, document
from jiuye.policies.guides import guide_of
from jiuye.policies.registry import all_measures
from jiuye.service.api.deps import engine_of, today
from jiuye.service.errors import NotFoundError
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import OptionalCaller

__all__ = ["router"]

router = APIRouter()

# An empty value is what a form's "全部" option sends: no filter.
JurisdictionQ = Annotated[Literal["", "cn", "gx", "xxq"] | None, Query(description="辖区")]
WhoQ = Annotated[Literal["", "unit", "person", "government"] | None, Query(description="受益对象")]
FundQ = Annotated[
    Literal["", "ui_fund", "employment_fund", "fiscal", "tax", "loan", "none"] | None, Query(description="资金渠道")
]
TextQ = Annotated[str | None, Query(max_length=50, description="标题或简介中的文字")]
MeasureId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9_.]+$")]


def _row(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.id,
        "title": measure.title,
        "summary": measure.summary,
        "jurisdiction": JURISDICTIONS.get(measure.jurisdiction, measure.jurisdiction),
        "who": WHO[who_of(measure)],
        "fund": FUNDS.get(measure.fund or "none", measure.fund),
        "pays_money": measure.pays_money,
    }


@router.get("/policies")
def catalog(
    request: Request,
    caller: OptionalCaller,
    jurisdiction: JurisdictionQ = None,
    who: WhoQ = None,
    fund: FundQ = None,
    q: TextQ = None,
    page: PageNo = 1,
    per_page: PerPage = 10,
) -> Response:
    request.state.caller = caller
    text = (q or "").strip()
    found = find(jurisdiction=jurisdiction or None, who=who or None, fund=fund or None, text=text or None)
    paging = Paging.of(page=page, per_page=per_page, total=len(found))
    filters = {"jurisdiction": jurisdiction or "", "who": who or "", "fund": fund or "", "q": text}
    context = {
        "rows": [_row(m) for m in found[paging.offset : paging.offset + paging.per_page]],
        "paging": paging,
        "filters": filters,
        "values": filters,
        "all_count": len(all_measures()),
        "jurisdictions": [("", "全部"), *JURISDICTIONS.items()],
        "whos": [("", "全部"), *WHO.items()],
        "funds": [("", "全部"), *FUNDS.items()],
    }
    return render(request, "public/catalog.html", context)


def _source(doc_id: str) -> dict[str, Any] | None:
    found = document(doc_id)
    if found is None:
        return None
    return {
        "id": doc_id,
        "title": found.title,
        "number": found.number,
        "issuer": found.issuer,
        "date": found.date,
        "file": found.file,
        "urls": found.source_url,
    }


def _in_force(params: ParameterSet, parameters: list[dict[str, Any]], day: dt.date) -> list[tuple[str, str, str]]:
    """(what, value, clause) in force today, per parameter, as the engine resolves it (both time
    axes: events of today, documents known today): the plain answer to "how much"."""
    out = []
    for shown in parameters:
        param = params.params[shown["name"]]
        entry = param.entry_at(day, known_by=day)
        if entry is not None:
            cite = citation_text(entry.reference.document, entry.reference.clause) if entry.reference else "具名假设"
            out.append((str(shown["description"]), display_value(entry.value, param.unit), cite))
    return out


@router.get("/policies/{measure_id}")
def measure_page(request: Request, caller: OptionalCaller, measure_id: MeasureId) -> Response:
    request.state.caller = caller
    measures = {m.id: m for m in all_measures()}
    measure = measures.get(measure_id)
    if measure is None:
        msg = f"没有编号为 {measure_id} 的政策；提示：从政策目录中选择"
        raise NotFoundError(msg)
    data = measure_json(measure, engine_of(request).params, as_of=today(request))
    current = _in_force(engine_of(request).params, data["parameters"], today(request))
    described = {p["name"]: p["description"] for p in data["parameters"]}
    bounds = [(described.get(name, name), value) for name, value in data["validity"]["bounds"].items()]
    sources = [s for s in (_source(c.document) for c in measure.sources) if s is not None]
    context = {
        "m": data,
        "clauses": quoted_clauses(data["clauses"]),
        "row": _row(measure),
        "parts": [{"label": p.label, "ceiling": p.ceiling} for p in measure.parts],
        "bounds": bounds,
        "current": current,
        "guide": guide_of(measure.id),
        "sources": list({s["id"]: s for s in sources}.values()),
        "today": today(request),
    }
    return render(request, "public/measure.html", context)
