"""Approved gx.expansion claims made through the JSON API of a demo service (a TestClient or the live
server), for the finance pages to pay: the enterprise files, the caseworker accepts, a reviewer
approves, the demo clock passes the notice period and the notice closes; the clock is put back.

Each claim hires a new person (a random, valid ID number): the once-only rule never refuses it,
whatever other tests on the same server have claimed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from stdnum.cn import ric
from tests.claims_world import facts


def new_person() -> str:
    """A valid ID number of someone born in 2003 in the demo district (21–22 when hired in 2025)."""
    first17 = (
        f"450103{dt.date(2003, 1, 1) + dt.timedelta(days=random.randrange(365)):%Y%m%d}{random.randrange(1000):03d}"
    )
    return first17 + ric.calc_check_digit(first17 + "0")


def expansion_facts(person: str) -> dict[str, Any]:
    """One hire of ``person`` by the demo enterprise (the claims tests' facts)."""
    return facts("E1", person)


def bearer(client: Any, username: str, password: str) -> dict[str, str]:
    done = client.post("/auth/token", data={"username": username, "password": password})
    assert done.status_code == 200, done.text
    return {"Authorization": f"Bearer {done.json()['access_token']}"}


def approved_claims(client: Any, password: str, count: int = 1, *, firm: str, clerk: str = "clerk",
                    reviewer: str = "reviewer1", admin: str = "admin") -> list[int]:  # fmt: skip
    """``count`` approved claims of the demo enterprise user ``firm``; their ids."""
    as_firm, as_clerk = bearer(client, firm, password), bearer(client, clerk, password)
    as_reviewer, as_admin = bearer(client, reviewer, password), bearer(client, admin, password)
    subject = client.get("/auth/me", headers=as_firm).json()["subject_id"]
    made, last_day, started = [], dt.date.min, None
    for _ in range(count):
        body = {"measure_id": "gx.expansion", "subject_id": subject, "claimant_ref": "E1",
                "facts": expansion_facts(new_person())}  # fmt: skip
        created = client.post("/applications", json=body, headers=as_firm)
        assert created.status_code == 201, created.text
        app_id = created.json()["id"]
        submitted = client.post(f"/applications/{app_id}/submit", headers=as_firm).json()
        started = started or dt.date.fromisoformat(submitted["provenance_submitted"]["as_of"])
        assert client.post(f"/applications/{app_id}/accept", headers=as_clerk).json()["state"] == "in_review"
        noticed = client.post(f"/applications/{app_id}/approve", headers=as_reviewer).json()
        assert noticed["state"] == "public_notice", noticed
        last_day = max(last_day, dt.date.fromisoformat(noticed["notice_last_day"]))
        made.append(app_id)
    after = (last_day + dt.timedelta(days=1)).isoformat()
    assert client.post("/demo/today", json={"today": after}, headers=as_admin).status_code == 200
    try:
        for app_id in made:
            closed = client.post(f"/applications/{app_id}/close-notice", headers=as_clerk).json()
            assert closed["state"] == "approved", closed
    finally:  # other tests on the same server keep the day they expect
        assert started is not None
        client.post("/demo/today", json={"today": started.isoformat()}, headers=as_admin)
    return made


def application_state(client: Any, headers: dict[str, str], app_id: int) -> str:
    state: str = client.get(f"/applications/{app_id}", headers=headers).json()["state_label"]
    return state


def sent_batch(bank_file: bytes) -> Any:
    """The batch as the bank reads it from the text 代发 file we exported (header, then one line a payment)."""
    from jiuye.money import to_fen
    from jiuye.payments import BankBatch, BatchHeader, PaymentLine

    rows = [line.split("|") for line in bank_file.decode("utf-8-sig").splitlines() if line]
    no, count, total, payer, day = rows[0]
    header = BatchHeader(no, int(count), to_fen(total), payer, dt.datetime.strptime(day, "%Y%m%d").date())
    lines = tuple(PaymentLine(int(r[0]), r[1], r[2], to_fen(r[3]), r[4], r[5]) for r in rows[1:])
    return BankBatch(header, lines)


def bank_return(bank_file: bytes, failed: slice = slice(0)) -> bytes:
    """What the simulated bank sends back: the lines in ``failed`` failed (户名与账号不符), the rest paid."""
    from jiuye.payments import Outcome, simulate_return

    sent = sent_batch(bank_file)
    outcomes = {line.key: Outcome.FAILED for line in sent.lines[failed]}
    return simulate_return(sent, outcomes, at=dt.datetime(2025, 12, 16, 10, 0))
