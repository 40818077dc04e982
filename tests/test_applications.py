"""Claims from draft to a granted approval, and the ledger that grants a hire once, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest

from claims_world import APPROVED_ON, CLOSED_ON, OTHER_PERSON, PASSWORD, PERSON, World
from jiuye.cases import ApprovalError, State, TransitionPreconditionError, TransitionRoleError
from jiuye.service import applications as apps
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import transaction
from jiuye.service.errors import ConflictError, InputError
from jiuye.service.models import Application


@pytest.fixture
def world(database_url: str) -> Any:
    built = World(database_url)
    yield built
    built.db.dispose()


def test_a_claim_goes_from_submission_to_a_grant_exactly_as_the_engine_decides(world: World) -> None:
    app_id = world.claim("E1")
    with world.sessions() as session:
        app = session.get(Application, app_id)
        assert app.state == State.AUTO_CHECKED and app.amount_submitted_fen == 150_000
        assert PERSON not in app.facts_sealed, "事实中的身份证号码须加密保存"
    noticed = world.to_notice(app_id)
    assert noticed.state == State.PUBLIC_NOTICE and noticed.notice_last_day == dt.date(2025, 12, 9)
    with pytest.raises(TransitionPreconditionError):
        world.step(apps.close_notice, world.engine, None, app_id, today=dt.date(2025, 12, 9))
    granted = world.step(apps.close_notice, world.engine, None, app_id, today=CLOSED_ON)
    assert granted.state == State.APPROVED and granted.amount_approved_fen == 150_000
    assert granted.as_of_approved == CLOSED_ON
    submitted, approved = json.loads(granted.provenance_submitted), json.loads(granted.provenance_approved)
    assert approved["as_of"] == CLOSED_ON.isoformat() and approved["region"] == granted.region
    assert submitted["rule_hash"] == approved["rule_hash"] and submitted["facts_hash"] == approved["facts_hash"]
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
    world.to_notice(app_id)
    with pytest.raises(InputError):
        world.step(apps.object_to, world.callers["clerk"], app_id, "无")
    back = world.step(apps.object_to, world.callers["clerk"], app_id, "群众反映该人员未实际到岗")
    assert back.state == State.IN_REVIEW and back.review_round == 2
    again = world.step(apps.approve, world.callers["reviewer1"], app_id, today=APPROVED_ON)
    assert again.state == State.PUBLIC_NOTICE


def test_the_same_hire_claimed_by_a_second_employer_fails_the_automatic_check(world: World) -> None:
    first = world.claim("E1")
    world.to_notice(first)
    world.step(apps.close_notice, world.engine, None, first, today=CLOSED_ON)
    second = world.claim("E2")
    with world.sessions() as session:
        app = session.get(Application, second)
        assert app.state == State.RETURNED
        assert "已享受过" in app.reasons


def test_two_claims_for_one_hire_approved_side_by_side_grant_it_once(world: World) -> None:
    first, second = world.claim("E1"), world.claim("E2")
    world.to_notice(first)
    world.to_notice(second)
    world.step(apps.close_notice, world.engine, None, first, today=CLOSED_ON)
    with pytest.raises(ConflictError, match="不予重复核准"):
        world.step(apps.close_notice, world.engine, None, second, today=CLOSED_ON)
    with world.sessions() as session:
        assert session.get(Application, second).state == State.PUBLIC_NOTICE, "失败的核准不得留下任何改动"
    assert world.live_items() == 1


def test_concurrent_approvals_of_competing_claims_grant_the_hire_exactly_once(world: World) -> None:
    claims = [world.claim("E1"), world.claim("E2")]
    for app_id in claims:
        world.to_notice(app_id)
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


def test_staff_named_in_a_claim_must_stand_aside(world: World) -> None:
    with transaction(world.sessions) as session:
        own = world.protector.blind_index("id_number", PERSON)
        user = create_user(session, username="reviewer_p", password=PASSWORD, role="reviewer", region="450103",
                           display_name="本人审核", person_index=own)  # fmt: skip
    reviewer = Caller(user.id, "reviewer_p", "reviewer", "450103", None)
    app_id = world.claim("E1")  # the hire it claims for is the reviewer
    world.step(apps.accept, world.callers["clerk"], app_id)
    with pytest.raises(ApprovalError, match="回避"):
        world.step(apps.approve, reviewer, app_id, today=APPROVED_ON)
    other = world.claim("E2", OTHER_PERSON)
    world.step(apps.accept, world.callers["clerk"], other)
    assert world.step(apps.approve, reviewer, other, today=APPROVED_ON).state == State.PUBLIC_NOTICE
