"""Random but well-formed facts documents, generated from the facts model itself.

Every field of every entity is drawn (often null = unknown), so a field added to the model
is exercised without touching this file.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from jiuye.facts import model as m
from jiuye.facts.tables import _base_type

REGIONS = ["450103", "450102", "450123", "450100", "450000", "440300"]
INDUSTRIES = ["C39", "C13", "F52", "F51", "I65", "H62", "K7020", "L72", "M73", "E48", "A01", "5910", "66"]
SPECIAL = {
    "region": lambda r: r.choice([*REGIONS, None]),
    "industry": lambda r: r.choice([*INDUSTRIES, None]),
    "id_number": lambda r: None,
    "uscc": lambda r: None,
    "phone": lambda r: None,
    "name": lambda r: None,
    "measure": lambda r: r.choice(["gx.expansion", "gx.hrservice", "gx.intern"]),
    "occupation_code": lambda r: None,
    "occupation_name": lambda r: None,
}


def _date(r: random.Random) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=r.randint(0, 800))


def _value(r: random.Random, model: type[BaseModel], name: str) -> Any:
    if name in SPECIAL:
        return SPECIAL[name](r)
    info = model.model_fields[name]
    base = _base_type(info.annotation)
    if r.random() < 0.15 and not info.is_required():
        return None
    if base is dt.date:
        if name == "birth_date":
            return dt.date(1965, 1, 1) + dt.timedelta(days=r.randint(0, 15000))
        return _date(r)
    if base is bool:
        return r.random() < 0.5
    if base is int:
        return r.choice([0, 1, 2, 3, 5, 6, 11, 12, 18, 20, 24, 30, 36, 100, 101, 3500, 4000])
    if base is Decimal:
        unit = (info.json_schema_extra or {}).get("unit") if isinstance(info.json_schema_extra, dict) else None
        if unit == "比例":
            return str(r.choice(["0", "0.035", "0.05", "0.5", "0.9", "1"]))
        return str(r.choice([0, 20, 300, 1000, 2500, 48000, 1200000]))
    if isinstance(base, type) and issubclass(base, Enum):
        return r.choice(list(base)).value
    return None


def _entity(r: random.Random, model: type[BaseModel], fixed: dict[str, Any]) -> dict[str, Any]:
    data = {n: _value(r, model, n) for n in model.model_fields if n not in fixed}
    data.update(fixed)
    if model is m.Employment and data.get("separation_date") and data["separation_date"] < data["hire_date"]:
        data["separation_date"] = None
    _consistent(r, model, data)
    return {k: v for k, v in data.items() if v is not None}


def _consistent(r: random.Random, model: type[BaseModel], data: dict[str, Any]) -> None:
    """Keep the combinations the model rejects out (a stated status with a contradicting field),
    but keep declared statuses that disagree with the dates: that is what they are for."""
    if model in (m.Employment, m.Placement):
        if r.random() < 0.5:  # half the hires state the contract the old way, half by its type
            data.pop("contract_type", None)
        else:
            data.pop("labour_contract", None)
            data.pop("open_ended_contract", None)
        if data.get("contract_type") in ("open_ended", "none") or data.get("open_ended_contract"):
            data.pop("contract_months", None)
        if data.get("labour_contract") is False:
            data.pop("open_ended_contract", None)
    if model is m.Person:
        for flag in ("registered_unemployed", "ui_insured"):
            if data.get(flag) is False:
                data.pop(f"{flag}_since", None)
        for group in m.KEY_GROUP_LISTS:
            since, until = data.get(f"{group}_since"), data.get(f"{group}_until")
            if since and until and until < since:
                data[f"{group}_since"], data[f"{group}_until"] = until, since
    if model is m.Certificate and data.get("held") is False:
        data.pop("issued_on", None)


def random_facts(seed: int, tag: str = "") -> dict[str, Any]:
    """A facts document whose ids carry ``tag`` (so several can be merged into one batch)."""
    r = random.Random(seed)
    persons = [f"{tag}P{i}" for i in range(r.randint(1, 4))]
    employers = [f"{tag}E{i}" for i in range(r.randint(1, 3))]
    pick_p, pick_e = (lambda: r.choice(persons)), (lambda: r.choice(employers))
    doc: dict[str, Any] = {
        "persons": [_entity(r, m.Person, {"id": p}) for p in persons],
        "employers": [_entity(r, m.Employer, {"id": e}) for e in employers],
        "employments": [
            _entity(r, m.Employment, {"person": pick_p(), "employer": pick_e(), "hire_date": _date(r)})
            for _ in range(r.randint(0, 4))
        ],
        "internships": [
            _entity(r, m.Internship, {"person": pick_p(), "employer": pick_e(), "start_date": _date(r)})
            for _ in range(r.randint(0, 2))
        ],
        "businesses": [
            _entity(r, m.Business, {"id": f"{tag}B{i}", "founder": pick_p()}) for i in range(r.randint(0, 2))
        ],
        "certificates": [
            _entity(r, m.Certificate, {"person": pick_p(), "employer": pick_e()}) for _ in range(r.randint(0, 2))
        ],
        "apprenticeships": [
            _entity(r, m.Apprenticeship, {"person": pick_p(), "employer": pick_e()}) for _ in range(r.randint(0, 2))
        ],
        "placements": [
            _entity(r, m.Placement, {"agency": pick_e(), "person": pick_p(), "employer": pick_e()})
            for _ in range(r.randint(0, 2))
        ],
        "trainings": [
            _entity(r, m.Training, {"person": pick_p(), "start_date": _date(r)}) for _ in range(r.randint(0, 2))
        ],
        "prior_grants": [
            _entity(r, m.PriorGrant, {"person": pick_p(), "employer": None, "granted_on": _date(r)})
            for _ in range(r.randint(0, 1))
        ],
    }
    return doc
