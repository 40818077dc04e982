"""Claims from draft to a granted approval, and the ledger that grants a hire once, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from stdnum.cn import ric, uscc

from jiuye.cases import ApprovalError, State, TransitionPreconditionError, TransitionRoleError
from jiuye.params import load_parameters
from jiuye.service import applications as apps
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.errors import ConflictError, InputError
from jiuye.service.models import Application, GrantItem
from jiuye.service.protect import Protector
from jiuye.service.subjects import register_subject

PASSWORD = "correct horse battery"
SUBMITTED, APPROVED_ON, CLOSED_ON = dt.date(2025, 12, 1), dt.date(2025, 12, 2), dt.date(2025, 12, 10)


def _id(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def _uscc(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


PERSON = _id("45010320030501123")  # born 2003-05-01: 21 when hired
FIRMS = {"E1": _uscc("91450103MA5KD0001"), "E2": _uscc("91450103MA5KD0002")}


def _facts(employer: str, hire: str = "2025-03-01") -> dict[str, Any]:
    """One hire of a registered unemployed 21-year-old, three insurances paid 10 months."""
    return {
        "employers": [{"id": employer, "uscc": FIRMS[employer], "kind": "enterprise", "region": "450103"}],
        "persons": [
            {
                "id": "P1",
                "id_number": PERSON,
                "unemployment_registered_on": "2025-01-10",
                "unemployment_registration_ended_on": "2025-03-01",
            }
        ],
        "employments": [
            {
                "person": "P1",
                "employer": employer,
                "hire_date": hire,
                "labour_contract": True,
                "months_paid_ui": 10,
                "months_paid_injury": 10,
                "months_paid_pension": 10,
            }
        ],
    }


class World:
    def __init__(self, url: str) -> None:
        self.db = make_engine(url)
        self.sessions: sessionmaker[Session] = make_sessions(self.db)
        self.protector = Protector(os.urandom(32), os.urandom(32))
        self.engine = apps.Engine(load_parameters(), self.protector)
        self.callers: dict[str, Caller] = {}
        self.subjects: dict[str, int] = {}
        with transaction(self.sessions) as session:
            for name, role in (("clerk", "caseworker"), ("reviewer1", "reviewer"), ("reviewer2", "reviewer")):
                self._user(session, name, role, None)
            for ref, number in FIRMS.items():
                subject = register_subject(
                    session, self.protector, self.callers["clerk"], kind="enterprise", number=number,
                    name=f"企业{ref}", region="450103",
                )  # fmt: skip
                self.subjects[ref] = subject.id
                self._user(session, f"firm_{ref}", "enterprise", subject.id)

    def _user(self, session: Session, name: str, role: str, subject: int | None) -> None:
        user = create_user(
            session, username=name, password=PASSWORD, role=role, region="450103", display_name=name, subject_id=subject
        )
        self.callers[name] = Caller(user.id, name, role, "450103", subject)

    def claim(self, employer: str, **facts: Any) -> int:
        """The enterprise files and submits; the clerk accepts: the claim is in review."""
        firm = self.callers[f"firm_{employer}"]
        with transaction(self.sessions) as session:
            app = apps.create_application(
                session, self.engine, firm, measure_id="gx.expansion", subject_id=self.subjects[employer],
                claimant_ref=employer, facts=_facts(employer, **facts),
            )  # fmt: skip
            app_id = app.id
        with transaction(self.sessions) as session:
            apps.submit(session, self.engine, firm, app_id, today=SUBMITTED)
        return app_id

    def step(self, fn: Any, *args: Any, **kwargs: Any) -> Application:
        with transaction(self.sessions) as session:
            app: Application = fn(session, *args, **kwargs)
            return app

    def live_items(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).where(GrantItem.status == "live")) or 0)


@pytest.fixture
def world(database_url: str) -> Any:
    built = World(database_url)
    yield built
    built.db.dispose()


def _to_notice(world: World, app_id: int) -> Application:
    world.step(apps.accept, world.callers["clerk"], app_id)
    return world.step(apps.approve, world.callers["reviewer1"], app_id, today=APPROVED_ON)


def test_a_claim_goes_from_submission_to_a_grant_exactly_as_the_engine_decides(world: World) -> None:
    app_id = world.claim("E1")
    with world.sessions() as session:
        app = session.get(Application, app_id)
        assert app.state == State.AUTO_CHECKED and app.amount_submitted_fen == 150_000
        assert PERSON not in app.facts_sealed, "事实中的身份证号码须加密保存"
    noticed = _to_notice(world, app_id)
    assert noticed.state == State.PUBLIC_NOTICE and noticed.notice_last_day == dt.date(2025, 12, 9)
    with pytest.raises(TransitionPreconditionError):
        world.step(apps.close_notice, world.engine, None, app_id, today=dt.date(2025, 12, 9))
    granted = world.step(apps.close_notice, world.engine, None, app_id, today=CLOSED_ON)
    assert granted.state == State.APPROVED and granted.amount_approved_fen == 150_000
    assert granted.as_of_approved == CLOSED_ON
    assert world.live_items() == 1


def test_review_needs_a_reviewer_who_did_not_handle_the_claim(world: World) -> None:
    app_id = world.claim("E1")
    world.step(apps.accept, world.callers["clerk"], app_id)
    with pytest.raises(TransitionRoleError):
        world.step(apps.approve, world.callers["clerk"], app_id, today=APPROVED_ON)
    first = world.step(apps.approve, world.callers["reviewer1"], app_id, today=APPROVED_ON)
    assert first.state == State.PUBLIC_NOTICE  # 1500 元: one reviewer is enough (review_tiers.yaml)


def test_an_objection_sends_the_claim_back_to_review_and_earlier_approvals_no_longer_count(world: World) -> None:
    app_id = world.claim("E1")
    _to_notice(world, app_id)
    with pytest.raises(InputError):
        world.step(apps.object_to, world.callers["clerk"], app_id, "无")
    back = world.step(apps.object_to, world.callers["clerk"], app_id, "群众反映该人员未实际到岗")
    assert back.state == State.IN_REVIEW and back.review_round == 2
    again = world.step(apps.approve, world.callers["reviewer1"], app_id, today=APPROVED_ON)
    assert again.state == State.PUBLIC_NOTICE


def test_the_same_hire_claimed_by_a_second_employer_fails_the_automatic_check(world: World) -> None:
    first = world.claim("E1")
    _to_notice(world, first)
    world.step(apps.close_notice, world.engine, None, first, today=CLOSED_ON)
    second = world.claim("E2")
    with world.sessions() as session:
        app = session.get(Application, second)
        assert app.state == State.RETURNED
        assert "已享受过" in app.reasons


def test_two_claims_for_one_hire_approved_side_by_side_grant_it_once(world: World) -> None:
    first, second = world.claim("E1"), world.claim("E2")
    _to_notice(world, first)
    _to_notice(world, second)
    world.step(apps.close_notice, world.engine, None, first, today=CLOSED_ON)
    with pytest.raises(ConflictError, match="不予重复核准"):
        world.step(apps.close_notice, world.engine, None, second, today=CLOSED_ON)
    with world.sessions() as session:
        assert session.get(Application, second).state == State.PUBLIC_NOTICE, "失败的核准不得留下任何改动"
    assert world.live_items() == 1


def test_concurrent_approvals_of_competing_claims_grant_the_hire_exactly_once(world: World) -> None:
    claims = [world.claim("E1"), world.claim("E2")]
    for app_id in claims:
        _to_notice(world, app_id)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def race(app_id: int) -> None:
        barrier.wait()
        try:
            world.step(apps.close_notice, world.engine, None, app_id, today=CLOSED_ON)
            outcomes.append("granted")
        except Exception as exc:  # a refusal, a lost optimistic-lock race or a serialisation wait
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=race, args=(claims[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("granted") == 1, outcomes
    assert world.live_items() == 1


def test_a_separation_of_duties_breach_is_refused(world: World) -> None:
    app_id = world.claim("E1")
    world.step(apps.accept, world.callers["clerk"], app_id)
    reviewer = world.callers["reviewer1"]
    with transaction(world.sessions) as session:
        session.get(Application, app_id).handlers += f",{reviewer.user_id}"
    with pytest.raises(ApprovalError):
        world.step(apps.approve, reviewer, app_id, today=APPROVED_ON)
