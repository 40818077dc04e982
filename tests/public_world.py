"""Claims in their public notice, made through the JSON API as a caseworker and a reviewer would
(file, submit, accept, approve): the notice board's data in the page and browser tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stdnum.cn import ric

__all__ = ["Call", "hire_id_number", "to_notice"]

#: (method, path, role, JSON body) -> the answer's JSON; role is "caseworker" or "reviewer".
Call = Callable[[str, str, str, dict[str, Any] | None], Any]


def hire_id_number(seq: int) -> str:
    """A valid citizen ID number of a person born 2003-05-01 (16–24 when hired in 2025), unique by ``seq``."""
    first17 = f"45010320030501{seq % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum takes the 18 characters


def to_notice(call: Call, *, subject_id: int, seq: int) -> dict[str, Any]:
    """A gx.expansion claim for one hire, filed for ``subject_id`` (an enterprise of 450103) and
    approved: it ends in its public notice. Returns the application as the API shows it."""
    uscc = call("POST", f"/subjects/{subject_id}/unmask", "caseworker", {"reason": "填写申请事实"})["number"]
    facts = {
        "employers": [{"id": "E1", "uscc": uscc, "kind": "enterprise", "region": "450103"}],
        "persons": [
            {"id": "P1", "id_number": hire_id_number(seq), "unemployment_registered_on": "2025-01-10",
             "unemployment_registration_ended_on": "2025-03-01"}
        ],
        "employments": [
            {"person": "P1", "employer": "E1", "hire_date": "2025-03-01", "labour_contract": True,
             "months_paid_ui": 6, "months_paid_injury": 6, "months_paid_pension": 6}
        ],
    }  # fmt: skip
    body = {"measure_id": "gx.expansion", "subject_id": subject_id, "claimant_ref": "E1", "facts": facts}
    app_id = call("POST", "/applications", "caseworker", body)["id"]
    call("POST", f"/applications/{app_id}/submit", "caseworker", None)
    call("POST", f"/applications/{app_id}/accept", "caseworker", None)
    answer: dict[str, Any] = call("POST", f"/applications/{app_id}/approve", "reviewer", None)
    assert answer["state"] == "public_notice", answer
    return answer
