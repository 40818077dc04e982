"""The policy calculator (算得清), public: who you are, which measures, then only the questions they need.

Step 1 (GET, no data): a unit or a person, the measures (all of that kind by default), the date
and the region. Step 2 (POST, every answer carried in the form, nothing stored): the generated
questions, rows added or removed by buttons; 计算 answers with the engine's decisions exactly as
``jiuye eval`` does (:func:`jiuye.calculator.calculate`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jiuye.calculator import calculate
from jiuye.engine.measure import Measure
from jiuye.errors import FactsError, RegionError
from jiuye.facts import facts_from_data
from jiuye.facts.answers import facts_from_answers
from jiuye.facts.questions import KIND_LABELS, KINDS, Kind, measures_of_kind, questionnaire
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures
from jiuye.regions import listed_regions, region_name, validate_region
from jiuye.service.api.deps import engine_of, today
from jiuye.web.facts_form import action_of, form_view, rows_after, rows_of
from jiuye.web.forms import read_form
from jiuye.web.render import render
from jiuye.web.session import OptionalCaller

__all__ = ["router"]

router = APIRouter()
_DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2100, 12, 31))


@dataclass(frozen=True)
class Choice:
    kind: Kind
    measures: list[Measure]
    as_of: dt.date
    region: str


def _default_region(params: ParameterSet, day: dt.date) -> str:
    """XX区 by default: its code is the local parameter ``common.jurisdiction.xxq``."""
    return str(params.at(day)["common.jurisdiction.xxq"])


def _query(request: Request) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, item in request.query_params.multi_items():
        values[key] = (
            [*values[key], item] if key == "measure" and key in values else ([item] if key == "measure" else item)
        )
    return values


def _choice(values: dict[str, Any]) -> tuple[Choice | None, dict[str, str]]:
    errors: dict[str, str] = {}
    kind = values.get("kind")
    if kind not in KINDS:
        return None, {"kind": "请选择您是单位还是个人"}
    offered = {x.id: x for x in measures_of_kind(all_measures(), kind)}
    raw = values.get("measure") or []
    ids = raw if isinstance(raw, list) else [raw]
    unknown = [str(i)[:40] for i in ids if i not in offered]
    if unknown:
        errors["measure"] = f"不是{KIND_LABELS[kind]}可申请的政策：{'、'.join(unknown[:3])}"
    elif not ids:
        errors["measure"] = "请至少选择一项政策"
    as_of: dt.date | None = None
    try:
        as_of = dt.date.fromisoformat(str(values.get("as_of", "")))
        if not _DATE_RANGE[0] <= as_of <= _DATE_RANGE[1]:
            errors["as_of"] = "评估日期应在2000年至2100年之间"
    except ValueError:
        errors["as_of"] = "请填写评估日期，如 2025-11-03"
    region = str(values.get("region", ""))
    try:
        validate_region(region)
    except RegionError:
        errors["region"] = "请从列表中选择地区"
    if errors or as_of is None:
        return None, errors
    chosen = [offered[i] for i in dict.fromkeys(ids)]
    return Choice(kind, chosen, as_of, region), {}


def _step1(request: Request, kind: str | None, values: dict[str, Any], errors: dict[str, str], status: int) -> Response:
    measures = measures_of_kind(all_measures(), kind) if kind in KINDS else []
    regions = listed_regions()
    return render(
        request,
        "forms/calculator_start.html",
        {"kind": kind if kind in KINDS else None, "kind_labels": KIND_LABELS, "measures": measures,
         "regions": regions, "values": values, "errors": errors},
        status=status,
    )  # fmt: skip


@router.get("/calculator")
def start(request: Request, caller: OptionalCaller, kind: str | None = None) -> Response:
    request.state.caller = caller
    if kind is not None and kind not in KINDS:
        return _step1(request, None, {}, {"kind": "请选择您是单位还是个人"}, 422)
    engine = engine_of(request)
    day = today(request)
    measures = measures_of_kind(all_measures(), kind) if kind in KINDS else []
    values = {
        "as_of": day.isoformat(),
        "region": _default_region(engine.params, day),
        "measure": [x.id for x in measures],
    }
    return _step1(request, kind, values, {}, 200)


def _page(
    request: Request, choice: Choice, values: dict[str, Any], errors: dict[str, str], rows: int, **extra: Any
) -> Response:
    q = questionnaire(choice.measures, choice.kind, engine_of(request).params, choice.as_of)
    own, rows_view = form_view(q, rows)
    context = {
        "choice": choice, "kind_label": KIND_LABELS[choice.kind], "region_name": region_name(choice.region),
        "own": own, "rows_view": rows_view, "rows": rows, "row_title": q.row_title, "values": values,
        "errors": errors, "report": None, "unanswered": [],
    } | extra  # fmt: skip
    return render(request, "forms/calculator.html", context, status=422 if errors else 200)


@router.get("/calculator/questions")
def questions(request: Request, caller: OptionalCaller) -> Response:
    request.state.caller = caller
    values = _query(request)
    choice, errors = _choice(values)
    if choice is None:
        kind = values.get("kind")
        return _step1(request, kind if isinstance(kind, str) else None, values, errors, 422)
    return _page(request, choice, {}, {}, rows_of(values))


@router.post("/calculator/questions")
async def answer(request: Request, caller: OptionalCaller) -> Response:
    request.state.caller = caller
    values = await read_form(request)
    choice, errors = _choice(values)
    if choice is None:
        kind = values.get("kind")
        return _step1(request, kind if isinstance(kind, str) else None, values, errors, 422)
    rows = rows_of(values)
    action = action_of(values, "calculate")
    if action in ("add", "remove"):
        rows, note = rows_after(action, rows)
        return _page(request, choice, values, {"_form": note} if note else {}, rows)
    q = questionnaire(choice.measures, choice.kind, engine_of(request).params, choice.as_of)
    answers = facts_from_answers(q, values, rows)
    if answers.data is None:
        return _page(request, choice, values, answers.errors, rows)
    try:
        facts = facts_from_data(answers.data)
    except FactsError as exc:
        return _page(request, choice, values, {"_form": str(exc)}, rows)
    report = calculate(
        facts, as_of=choice.as_of, region=choice.region, params=engine_of(request).params, measures=choice.measures
    )
    decided = {d.measure for d in report.decisions}
    unanswered = [x for x in choice.measures if x.id not in decided]
    return _page(request, choice, values, {}, rows, report=report, unanswered=unanswered)
