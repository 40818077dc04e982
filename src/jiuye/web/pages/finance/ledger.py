"""The real-name assistance ledger (1131 服务台账, 桂人社发〔2025〕38号（十七）): who in the caller's
region is owed which service and since when, filtered and paged, as Excel too; entering a graduate
(``registerGraduate``). The rows are :func:`jiuye.service.assistance.ledger`'s, as the API's."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from jiuye.assistance import load_assistance_settings
from jiuye.jobs.model import HARDSHIP_FLAGS
from jiuye.jobs.seekers import SeekerInputError, read_resume
from jiuye.params import load_parameters
from jiuye.policies.documents import citation_text
from jiuye.service import assistance
from jiuye.service.api.deps import SessionDep, engine_of, today
from jiuye.service.auth import Caller
from jiuye.service.models import Graduate
from jiuye.web.exports import xlsx_response
from jiuye.web.forms import read_form, validate
from jiuye.web.pages.finance.common import attempt, cn_dates, hinted
from jiuye.web.pagination import PageNo, Paging, PerPage
from jiuye.web.render import render
from jiuye.web.session import StaffCaller

__all__ = ["plan_rules", "router"]

router = APIRouter()
_NS = "gx.grad.1131"
_PLAN = ("policy_briefings", "career_guidance", "job_recommendations", "training_or_internship", "targeted_jobs_min",
         "targeted_jobs_max")  # fmt: skip
_DEADLINES = {
    "first_contact_days": "首次联系",
    "plan_days": "完成“1131”服务",
    "targeted_days": "困难毕业生针对性岗位推送",
}


def plan_rules(day: dt.date) -> dict[str, Any]:
    """What the plan asks, each count with its clause, each deadline with its named assumption."""
    params = load_parameters()
    counts = []
    for key in _PLAN:
        parameter = params[f"{_NS}.{key}"]
        entry = parameter.entry_at(day, known_by=day)
        if entry is None:
            continue
        ref = entry.reference
        cite = citation_text(ref.document, ref.clause) if ref else ""
        counts.append({"label": parameter.description, "value": parameter.display(entry.value), "cite": cite,
                       "quote": ref.quote if ref else "", "assumption": entry.assumption or ""})  # fmt: skip
    settings = load_assistance_settings()
    deadlines = [{"label": label, "days": getattr(settings, key)} for key, label in _DEADLINES.items()]
    return {"counts": counts, "deadlines": deadlines, "deadline_origin": settings.origin}


class LedgerFilters(BaseModel):
    caseworker: str | None = Field(default=None, max_length=64)
    region: str | None = Field(default=None, pattern=r"^\d{6}$")
    overdue: bool = False


def _rows(request: Request, session: SessionDep, caller: Caller, f: LedgerFilters) -> list[assistance.LedgerRow]:
    return assistance.ledger(session, caller, today=today(request), caseworker=f.caseworker or None,
                             region=f.region or None, overdue_only=f.overdue)  # fmt: skip


@router.get("/staff/ledger")
def ledger_page(
    request: Request, session: SessionDep, caller: StaffCaller, caseworker: str | None = None,
    region: str | None = None, overdue: Literal["", "1"] = "", page: PageNo = 1, per_page: PerPage = 20,
) -> Response:  # fmt: skip
    filters = validate(LedgerFilters, {"caseworker": caseworker, "region": region, "overdue": overdue == "1"})
    kept = {"caseworker": caseworker or "", "region": region or "", "overdue": overdue}
    if filters.model is None:
        errors = hinted(filters.errors, {"region": "地区代码应为6位行政区划代码"})
        context = {"rows": [], "paging": Paging.of(page=1, per_page=per_page, total=0), "filters": kept,
                   "errors": errors, "rules": plan_rules(today(request))}  # fmt: skip
        return render(request, "finance/ledger.html", context, status=422)
    rows = _rows(request, session, caller, filters.model)
    paging = Paging.of(page=page, per_page=per_page, total=len(rows))
    context = {
        "rows": [replace(r, owed=cn_dates(r.owed)) for r in rows[paging.offset : paging.offset + paging.per_page]],
        "paging": paging, "filters": kept,
        "overdue_count": sum(1 for r in rows if r.overdue_since), "rules": plan_rules(today(request)),
        "can_act": caller.role in ("caseworker", "admin"), "today": today(request),
    }  # fmt: skip
    return render(request, "finance/ledger.html", context)


@router.get("/staff/ledger/export.xlsx")
def ledger_export(
    request: Request, session: SessionDep, caller: StaffCaller, caseworker: str | None = None,
    region: str | None = None, overdue: Literal["", "1"] = "",
) -> Response:  # fmt: skip
    filters = validate(LedgerFilters, {"caseworker": caseworker, "region": region, "overdue": overdue == "1"})
    if filters.model is None:
        filters = validate(LedgerFilters, {"caseworker": caseworker, "overdue": overdue == "1"})
    assert filters.model is not None
    rows = _rows(request, session, caller, filters.model)
    headers = ["编号", "姓名", "公民身份号码（脱敏）", "地区", "帮扶人员", "状态", "困难类别", "登记日期", "待提供服务",
               "逾期起始日", "岗位推送情况"]  # fmt: skip
    data = [[r.graduate_id, r.name, r.number, r.region, r.caseworker, r.status, r.hardship, r.registered_on.isoformat(),
             r.owed, r.overdue_since.isoformat() if r.overdue_since else "",
             "、".join(f"{k} {v}" for k, v in r.pushes.items())] for r in rows]  # fmt: skip
    return xlsx_response(f"实名帮扶台账{today(request).isoformat()}.xlsx", headers, data)


class GraduateForm(BaseModel):
    id_number: str = Field(min_length=15, max_length=18)
    name: str = Field(min_length=1, max_length=50)
    region: str = Field(pattern=r"^\d{6}$")
    graduated_on: dt.date
    school: str = Field(default="", max_length=200)
    major: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    hardship: list[str] = Field(default_factory=list)
    unemployment_registered_on: dt.date | None = None
    resume: str = Field(default="", max_length=20_000)


HARDSHIP_CHOICES = [(flag, assistance.HARDSHIP_LABELS.get(flag, flag)) for flag in HARDSHIP_FLAGS]


def _register_form(request: Request, values: dict[str, Any], errors: dict[str, str], status: int) -> Response:
    context = {"values": values, "errors": errors, "choices": HARDSHIP_CHOICES}
    return render(request, "finance/graduate_new.html", context, status=status)


@router.get("/staff/ledger/register")
def register_page(request: Request, caller: StaffCaller) -> Response:
    return _register_form(request, {"region": caller.region}, {}, 200)


@router.post("/staff/ledger/register")
async def register(request: Request, session: SessionDep, caller: StaffCaller) -> Response:
    values = await read_form(request)
    if isinstance(values.get("hardship"), str):
        values["hardship"] = [values["hardship"]]
    form = validate(GraduateForm, values)
    errors = hinted(form.errors, {"id_number": "应为18位公民身份号码"})
    model = form.model
    if model is None or errors:
        return _register_form(request, form.values, errors, 422)

    day = today(request)
    try:  # the seeker profile behind job recommendations, read as the API reads a resume
        profile = read_resume(model.resume, reference=day).seeker if model.resume.strip() else None
    except SeekerInputError as exc:
        return _register_form(request, form.values, {"resume": str(exc)}, 422)

    def enter() -> Graduate:
        return assistance.register_graduate(
            session, engine_of(request), caller, number=model.id_number, name=model.name, region=model.region,
            graduated_on=model.graduated_on, today=today(request), school=model.school, major=model.major,
            phone=model.phone, hardship=model.hardship, unemployment_registered_on=model.unemployment_registered_on,
            profile=profile,
        )  # fmt: skip

    graduate, refused = attempt(session, enter)
    if refused is not None or graduate is None:
        return _register_form(request, form.values, {"_form": str(refused)}, refused.status if refused else 422)
    return RedirectResponse(f"/staff/ledger/graduates/{graduate.id}?saved=1", status_code=303)
