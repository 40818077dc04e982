"""Person-level fund-safety checks across applications and regions, on SQLite and PostgreSQL:
unemployed while insured (flag), left right after the subsidy (post-payment), paid in two regions
(blocking until cleared)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, update

from claims_world import CLOSED_ON, FIRMS, OTHER_DISTRICT, OTHER_FIRM, OTHER_PERSON, PERSON, World, built_world, facts
from jiuye.service import applications as apps
from jiuye.service import disbursement as pay
from jiuye.service import safety
from jiuye.service.accounts import add_bank_account
from jiuye.service.amounts import set_amount
from jiuye.service.models import Application, SafetyHit
from jiuye.service.person_checks import LEFT_AFTER_PAYMENT_DAYS

PAY_DAY = dt.date(2025, 12, 15)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, accounts=True) as built:
        yield built


def _hits(world: World, rule: str) -> list[SafetyHit]:
    with world.sessions() as session:
        return list(session.scalars(select(SafetyHit).where(SafetyHit.rule == rule).order_by(SafetyHit.id)))


def _pay(world: World, finance: str = "finance") -> int | None:
    """A payment run by ``finance``; the bank pays everything in it."""
    caller = world.callers[finance]
    batch = world.step(
        pay.prepare_batch, world.protector, world.fingerprint_key, caller, pay_date=PAY_DAY, today=PAY_DAY
    )
    if batch is None:
        return None
    world.callers["finance"], saved = caller, world.callers["finance"]  # World's bank helpers act as "finance"
    try:
        world.export(batch.id)
        world.import_return(batch.id, world.bank_return(batch.id))
    finally:
        world.callers["finance"] = saved
    return int(batch.id)


def test_a_person_registered_unemployed_while_insured_by_an_employer_is_flagged(world: World) -> None:
    first = world.claim("E1")  # registered 2025-01-10 to 03-01, hired and insured from 03-01: consistent
    assert not _hits(world, "unemployed_insured")
    data = facts("E2", PERSON, hire="2025-07-01")
    data["persons"][0] |= {
        "unemployment_registered_on": "2025-05-01",
        "unemployment_registration_ended_on": "2025-07-01",
    }
    second = world.claim("E2", data=data)  # "unemployed" in May and June, while E1 was paying contributions
    [hit] = _hits(world, "unemployed_insured")
    assert (hit.application_id, hit.mode, hit.disposition) == (second, "flag", "open")
    evidence = json.loads(hit.evidence)
    assert f"申请 {first}" in evidence["参保就业"] and "2025-05-01" in evidence["失业登记"]
    assert PERSON not in hit.evidence


def test_a_stated_registration_is_checked_like_a_dated_one(world: World) -> None:
    world.claim("E1")
    data = facts("E2", PERSON, hire="2025-07-01")
    data["persons"][0] |= {"registered_unemployed": True, "registered_unemployed_since": "2025-05-01"}
    second = world.claim("E2", data=data)  # stated "registered since May", while E1 was paying contributions
    # flagged against E1's contributions, and against its own hire: stated "still registered" while hired
    jobs = sorted(
        json.loads(h.evidence)["参保就业"] for h in _hits(world, "unemployed_insured") if h.application_id == second
    )
    assert jobs == ["2025-03-01～在职（申请 1）", f"2025-07-01～在职（申请 {second}）"]


def test_a_hire_who_moves_on_soon_after_the_payment_is_drawn_for_checking(world: World) -> None:
    paid = world.grant("E1")
    later = world.grant("E2", OTHER_PERSON)
    _pay(world)
    soon = (PAY_DAY + dt.timedelta(days=LEFT_AFTER_PAYMENT_DAYS - 30)).isoformat()
    world.claim("E2", data=facts("E2", PERSON, hire=soon))  # E2 hires E1's subsidised hire a month later
    much_later = (PAY_DAY + dt.timedelta(days=LEFT_AFTER_PAYMENT_DAYS + 30)).isoformat()
    world.claim("E1", data=facts("E1", OTHER_PERSON, hire=much_later))  # beyond the window: not a finding
    [hit] = _hits(world, "left_after_subsidy")
    assert (hit.application_id, hit.mode) == (paid, "post")
    assert json.loads(hit.evidence)["发生日"] == soon
    assert later not in [h.application_id for h in _hits(world, "left_after_subsidy")]


def test_a_departure_known_before_the_payment_is_found_when_the_payment_is_reconciled(world: World) -> None:
    granted = world.grant("E1")
    world.claim("E2", data=facts("E2", PERSON, hire=(PAY_DAY + dt.timedelta(days=20)).isoformat()))
    assert not _hits(world, "left_after_subsidy"), "尚未发放：不是发放后离职"
    _pay(world)
    [hit] = _hits(world, "left_after_subsidy")
    assert hit.application_id == granted


def _training(employer: str, uscc: str, region: str, issued: str) -> dict[str, Any]:
    """A worker's claim for their training subsidy (gx.training), one certificate."""
    return {
        "employers": [{"id": employer, "uscc": uscc, "kind": "enterprise", "region": region}],
        "persons": [{"id": "P1", "id_number": PERSON}],
        "certificates": [
            {"person": "P1", "employer": employer, "level": "intermediate", "occupation_name": "焊工",
             "ai_shortage_occupation": False, "issued_on": issued, "compliant_training": True}
        ],
    }  # fmt: skip


def test_a_person_paid_in_another_region_blocks_the_payment_until_cleared(world: World) -> None:
    world.add_district()
    world.add_person("P", PERSON)
    world.step(
        add_bank_account, world.protector, world.callers["finance"], world.subjects["P"],
        bank_name="示例银行", holder_name="个人P", account_no="6217000011112222003", today=dt.date(2025, 1, 1),
    )  # fmt: skip
    here = world.claim("P", data=_training("E1", FIRMS["E1"], "450103", "2025-09-20"), measure="gx.training",
                       claimant="P1")  # fmt: skip
    # gx.training gives a ceiling (每人最高2500元): the caseworker sets the amount within it
    world.step(set_amount, world.callers["clerk"], here, 250000, "按培训成本核定")
    world.to_notice(here)
    world.step(apps.close_notice, world.engine, None, here, today=CLOSED_ON)
    assert _pay(world) is not None
    there = world.claim("P", data=_training("E3", OTHER_FIRM, OTHER_DISTRICT, "2025-10-10"), measure="gx.training",
                        claimant="P1")  # fmt: skip  # another certificate date: another ledger item
    # The same person's claim handled in another region (data from before claims were bound to their
    # subject's region, or merged from another district's system).
    with world.sessions() as session, session.begin():
        session.execute(update(Application).where(Application.id == there).values(region=OTHER_DISTRICT))
    world.step(apps.accept, world.callers["clerk3"], there)
    world.step(set_amount, world.callers["clerk3"], there, 200000, "按培训成本核定")
    world.step(apps.approve, world.callers["reviewer3"], there, today=dt.date(2025, 12, 2))
    world.step(apps.close_notice, world.engine, None, there, today=CLOSED_ON)
    assert _pay(world, "finance3") is None, "同一人员同一事项已在其他地区发放：暂停发放"
    [hit] = _hits(world, "other_region")
    assert (hit.application_id, hit.mode, hit.region) == (there, "blocking", OTHER_DISTRICT)
    assert json.loads(hit.evidence)["其他申请"] == here
    world.step(safety.dispose, world.callers["reviewer3"], hit.id, "cleared", "两张证书分别核实，均为真实培训")
    assert _pay(world, "finance3") is not None


def test_a_resubmission_replaces_what_the_claim_said_about_people(world: World) -> None:
    """The first submission only adds (nothing was indexed before it); a resubmission after
    corrected facts replaces the earlier statements, so no check sees a person no longer named."""
    from jiuye.service.models import ClaimPerson

    def named(app_id: int) -> set[str]:
        with world.sessions() as session:
            query = select(ClaimPerson.person_index).where(
                ClaimPerson.application_id == app_id, ClaimPerson.role == "named"
            )
            return set(session.scalars(query))

    app_id = world.claim("E1", PERSON)
    assert named(app_id) == {world.protector.blind_index("id_number", PERSON)}
    world.step(apps.return_for_revision, world.callers["clerk"], app_id, "人员身份证号码有误，请更正")
    firm = world.callers["firm_E1"]
    world.step(apps.update_facts, world.engine, firm, app_id, facts("E1", OTHER_PERSON))
    world.step(apps.submit, world.engine, firm, app_id, today=CLOSED_ON)
    assert named(app_id) == {world.protector.blind_index("id_number", OTHER_PERSON)}
