"""Who may claim what, over HTTP on both databases: the beneficiary the facts name must be the applying
subject (an enterprise cannot file another's hire, nor an unregistered one's), staff file on a
subject's behalf and are recorded, a subject that still needs an identity check cannot be approved,
and no clear ID number leaves in an error."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from claims_world import FIRMS, OTHER_PERSON, PERSON, World, credit_code, facts
from jiuye.identifiers import mask_id
from jiuye.service.api import create_app
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.disbursement import prepare_batch
from jiuye.service.models import Application, AuditEvent, BankAccount, Payment, Subject
from jiuye.service.protect import Protector
from jiuye.service.settings import Settings
from jiuye.service.subjects import register_subject, verify_subject

PASSWORD = "correct horse battery"
UNREGISTERED = credit_code("91450103MA5KD0009")  # a valid code no subject has


class Clock:
    today = dt.date(2025, 12, 1)

    def __call__(self) -> dt.date:
        return self.today


class Site:
    def __init__(self, client: TestClient, clock: Clock, subjects: dict[str, int], users: dict[str, int]) -> None:
        self.client, self.clock, self.subjects, self.users = client, clock, subjects, users

    def headers(self, username: str) -> dict[str, str]:
        done = self.client.post("/auth/token", data={"username": username, "password": PASSWORD})
        return {"Authorization": f"Bearer {done.json()['access_token']}"}

    def file(self, username: str, subject: str, data: dict[str, Any], **overrides: Any) -> Any:
        body = {"measure_id": "gx.expansion", "subject_id": self.subjects[subject], "claimant_ref": "E1"}
        return self.client.post(
            "/applications", json={**body, "facts": data, **overrides}, headers=self.headers(username)
        )

    def stored(self) -> int:
        with self.client.app.state.sessions() as session:  # type: ignore[attr-defined]
            return int(session.scalar(select(func.count()).select_from(Application)) or 0)


def _facts_of(ref: str, uscc: str) -> dict[str, Any]:
    """The claims world's hire, its employer numbered ``ref`` with the code ``uscc``."""
    data = facts("E1")
    data["employers"] = [{**data["employers"][0], "id": ref, "uscc": uscc}]
    data["employments"] = [{**data["employments"][0], "employer": ref}]
    return data


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[Site]:
    settings = Settings(database_url=database_url, data_dir=tmp_path, master_key=os.urandom(32), max_claim_persons=3)
    engine = make_engine(database_url)
    protector = Protector(settings.index_key, settings.encryption_key)
    subjects: dict[str, int] = {}
    users: dict[str, int] = {}
    with transaction(make_sessions(engine, audit_key=settings.audit_key)) as session:
        for name, role, region in (
            ("clerk", "caseworker", "450103"),
            ("reviewer1", "reviewer", "450103"),
            ("clerk_lz", "caseworker", "450202"),
        ):
            user = create_user(session, username=name, password=PASSWORD, role=role, region=region, display_name=name)
            users[name] = user.id
        clerk = Caller(users["clerk"], "clerk", "caseworker", "450103", None)
        for ref, kind, number, role in (
            ("E1", "enterprise", FIRMS["E1"], "enterprise"),
            ("E2", "enterprise", FIRMS["E2"], "enterprise"),
            ("P", "person", PERSON, "individual"),
        ):
            subject = register_subject(
                session, protector, clerk, kind=kind, number=number, name=f"对象{ref}", region="450103"
            )
            subjects[ref] = subject.id
            user = create_user(
                session, username=f"user_{ref}", password=PASSWORD, role=role, region="450103",
                display_name=ref, subject_id=subject.id,
            )  # fmt: skip
            users[f"user_{ref}"] = user.id
    engine.dispose()
    clock = Clock()
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        yield Site(client, clock, subjects, users)
    app.state.engine.dispose()


def test_an_enterprise_cannot_claim_another_enterprises_hire(site: Site) -> None:
    as_e1 = site.headers("user_E1")
    for data, ref in ((_facts_of("E2", FIRMS["E2"]), "E2"), (_facts_of("E1", FIRMS["E2"]), "E1")):
        refused = site.file("user_E1", "E1", data, claimant_ref=ref)
        assert refused.status_code == 403 and refused.json()["code"] == "CLAIMANT_MISMATCH"
        message = refused.json()["message"]
        assert mask_id(FIRMS["E2"]) in message and FIRMS["E2"] not in message and "不符" in message
    unregistered = site.file("user_E1", "E1", _facts_of("E1", UNREGISTERED))
    assert unregistered.status_code == 403 and unregistered.json()["code"] == "CLAIMANT_MISMATCH"
    no_number = _facts_of("E1", FIRMS["E1"])
    del no_number["employers"][0]["uscc"]
    assert site.file("user_E1", "E1", no_number).status_code == 422
    assert site.stored() == 0

    # Its own hire goes through; the true employer's claim for the same hire is not blocked by it.
    own = site.file("user_E1", "E1", _facts_of("E1", FIRMS["E1"]))
    assert own.status_code == 201
    app_id = own.json()["id"]
    sneaked = site.client.put(
        f"/applications/{app_id}/facts", json={"facts": _facts_of("E1", FIRMS["E2"])}, headers=as_e1
    )
    assert sneaked.status_code == 403 and sneaked.json()["code"] == "CLAIMANT_MISMATCH"
    submitted = site.client.post(f"/applications/{app_id}/submit", headers=as_e1).json()
    assert submitted["state"] == "auto_checked" and submitted["amount_submitted"] == "1500.00"
    other = site.file("user_E2", "E2", _facts_of("E2", FIRMS["E2"]), claimant_ref="E2")
    assert other.status_code == 201


def test_a_person_claims_only_for_themselves_and_an_enterprise_no_personal_measure(site: Site) -> None:
    def person(number: str) -> dict[str, Any]:
        return {"persons": [{"id": "P1", "id_number": number, "unemployment_registered_on": "2025-01-10"}]}

    body = {"measure_id": "gx.ui.benefit", "claimant_ref": "P1"}
    other = site.file("user_P", "P", person(OTHER_PERSON), **body)
    assert other.status_code == 403 and other.json()["code"] == "CLAIMANT_MISMATCH"
    assert OTHER_PERSON not in other.text and PERSON not in other.text
    by_firm = site.file("user_E1", "E1", person(PERSON), **body)
    assert by_firm.status_code == 403 and "应为个人" in by_firm.json()["message"]
    assert site.stored() == 0
    assert site.file("user_P", "P", person(PERSON), **body).status_code == 201


def test_staff_file_on_a_subjects_behalf_recorded_and_the_claim_names_no_payee(site: Site) -> None:
    clerk = site.headers("clerk")
    wrong = site.file("clerk", "E1", _facts_of("E2", FIRMS["E2"]), claimant_ref="E2")
    assert wrong.status_code == 403 and wrong.json()["code"] == "CLAIMANT_MISMATCH"
    payee = site.file("clerk", "E1", _facts_of("E1", FIRMS["E1"]), payee_account="6217000011112222999")
    assert payee.status_code == 422 and "不允许的字段" in payee.json()["message"]
    paid_to = _facts_of("E1", FIRMS["E1"])
    paid_to["employers"][0]["bank_account"] = "6217000011112222999"
    assert site.file("clerk", "E1", paid_to).status_code == 422
    assert site.stored() == 0

    filed = site.file("clerk", "E1", _facts_of("E1", FIRMS["E1"]))
    assert filed.status_code == 201
    shown = filed.json()
    assert shown["subject_id"] == site.subjects["E1"] and shown["filed_by"] == site.users["clerk"]
    assert shown["filed_as"] == "caseworker" and shown["source"] == "caseworker"
    mine = site.file("user_E1", "E1", _facts_of("E1", FIRMS["E1"])).json()
    assert mine["filed_by"] == site.users["user_E1"] and mine["filed_as"] == "enterprise"
    listed = site.client.get("/applications", headers=clerk).json()
    assert {(a["filed_as"], a["subject_identity"]) for a in listed} == {("caseworker", "verified"),
                                                                        ("enterprise", "verified")}  # fmt: skip
    with site.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        event = session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "application.create", AuditEvent.entity_id == str(shown["id"])
            )
        )
        assert event is not None and event.actor == "clerk"
        detail = json.loads(event.detail)
        assert detail["filed_as"] == "caseworker" and detail["subject"] == site.subjects["E1"]


def test_a_pending_subjects_claim_waits_for_a_caseworkers_identity_check(site: Site) -> None:
    with transaction(site.client.app.state.sessions) as session:  # type: ignore[attr-defined]
        session.execute(update(Subject).where(Subject.id == site.subjects["E1"]).values(identity_status="pending"))
    as_e1, clerk = site.headers("user_E1"), site.headers("clerk")
    app_id = site.file("user_E1", "E1", _facts_of("E1", FIRMS["E1"])).json()["id"]
    submitted = site.client.post(f"/applications/{app_id}/submit", headers=as_e1).json()
    assert submitted["subject_identity"] == "pending" and "待人工核验" in submitted["reasons"][0]
    assert site.client.post(f"/applications/{app_id}/accept", headers=clerk).status_code == 200
    site.clock.today = dt.date(2025, 12, 2)
    refused = site.client.post(f"/applications/{app_id}/approve", headers=site.headers("reviewer1"))
    assert refused.status_code == 409 and refused.json()["code"] == "IDENTITY_PENDING"

    url = f"/subjects/{site.subjects['E1']}/verify"
    assert site.client.post(url, json={"reason": "已现场核对营业执照原件"}, headers=as_e1).status_code == 403
    outsider = site.client.post(url, json={"reason": "已现场核对营业执照原件"}, headers=site.headers("clerk_lz"))
    assert outsider.status_code == 404
    assert site.client.post(url, json={"reason": "好"}, headers=clerk).status_code == 422
    verified = site.client.post(url, json={"reason": "已现场核对营业执照原件"}, headers=clerk)
    assert verified.status_code == 200 and verified.json()["identity_status"] == "verified"
    assert site.client.post(url, json={"reason": "已现场核对营业执照原件"}, headers=clerk).status_code == 409
    approved = site.client.post(f"/applications/{app_id}/approve", headers=site.headers("reviewer1"))
    assert approved.status_code == 200 and approved.json()["state"] == "public_notice"
    with site.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "subject.verify"))
        assert event is not None and event.actor == "clerk" and "营业执照" in event.detail


def test_no_clear_id_number_in_errors_and_claims_are_bounded(site: Site) -> None:
    clerk = site.headers("clerk")
    as_firm = {"kind": "enterprise", "number": OTHER_PERSON, "name": "错填号码", "region": "450103"}
    registered = site.client.post("/subjects", json=as_firm, headers=clerk)
    assert registered.status_code == 422 and OTHER_PERSON not in registered.text
    assert mask_id(OTHER_PERSON) in registered.json()["message"]
    in_facts = site.file("user_E1", "E1", _facts_of("E1", OTHER_PERSON))
    assert in_facts.status_code == 422 and OTHER_PERSON not in in_facts.text

    crowd = _facts_of("E1", FIRMS["E1"])
    crowd["persons"] = [{**crowd["persons"][0], "id": f"P{i}"} for i in range(4)]  # the site allows 3
    big = site.file("user_E1", "E1", crowd)
    assert big.status_code == 413 and big.json()["code"] == "CLAIM_TOO_LARGE" and "3" in big.json()["message"]
    assert site.stored() == 0


def test_a_pending_subjects_approved_claim_is_not_paid_until_verified(database_url: str) -> None:
    """An approved claim whose subject still awaits an identity check (e.g. approved before the check
    was required) stays out of payment runs until a caseworker verifies it."""
    world = World(database_url)
    world.open_accounts()
    app_id = world.grant("E1")
    with world.sessions() as session, session.begin():
        session.execute(update(Subject).where(Subject.id == world.subjects["E1"]).values(identity_status="pending"))
    args, pay_day = (world.protector, world.fingerprint_key, world.callers["finance"]), dt.date(2025, 12, 15)
    assert world.step(prepare_batch, *args, pay_date=pay_day, today=pay_day) is None
    world.step(verify_subject, world.callers["clerk"], world.subjects["E1"], "已现场核对营业执照原件")
    batch = world.step(prepare_batch, *args, pay_date=pay_day, today=pay_day)
    assert batch is not None and batch.declared_count == 1
    with world.sessions() as session:
        payment = session.scalar(select(Payment).where(Payment.application_id == app_id))
        account = session.get(BankAccount, payment.account_id) if payment else None
        assert account is not None and account.subject_id == world.subjects["E1"]  # the payee is the claimant
    world.db.dispose()
