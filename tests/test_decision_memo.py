"""The engine's decision memo: a hit only for the same facts, measure, claimant, region, date and
parameters; anything else that changes is a new evaluation; bounded; shared safely between threads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from claims_world import CLOSED_ON, SUBMITTED, World, facts
from jiuye.facts import facts_from_data
from jiuye.params import load_parameters
from jiuye.service import applications as apps
from jiuye.service import claims
from jiuye.service.casework import Engine
from jiuye.service.decision_memo import MAX_ITEMS, DecisionKey, DecisionMemo
from jiuye.service.protect import Protector

AMOUNT = "gx.expansion.amount_per_person"


@pytest.fixture(scope="module")
def params() -> Any:
    return load_parameters()


@pytest.fixture
def engine(params: Any, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """An engine that counts its real evaluations."""
    evaluate, calls = claims.evaluate, []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["as_of"])
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(claims, "evaluate", counted)
    built = Engine(params, Protector(os.urandom(32), os.urandom(32)))
    built.calls = calls  # type: ignore[attr-defined]
    return built


def _decide(engine: Engine, data: dict[str, Any], as_of: dt.date = SUBMITTED, region: str = "450103") -> Any:
    return engine.decide("gx.expansion", "E1", region, as_of, facts_from_data(data))


def test_the_same_claim_the_same_day_is_evaluated_once(engine: Engine) -> None:
    first = _decide(engine, facts("E1"))
    again = _decide(engine, facts("E1"))
    assert again == first and first.status == "eligible" and first.amount_fen
    assert len(engine.calls) == 1 and engine.memo.hits == 1  # type: ignore[attr-defined]


def test_a_changed_fact_is_a_new_evaluation(engine: Engine) -> None:
    eligible = _decide(engine, facts("E1"))
    data = facts("E1")
    data["employments"][0]["months_paid_ui"] = 1  # too short to qualify
    changed = _decide(engine, data)
    assert len(engine.calls) == 2  # type: ignore[attr-defined]
    assert eligible.status == "eligible" and changed.status != "eligible"
    assert changed.provenance["facts_hash"] != eligible.provenance["facts_hash"]


def test_another_date_or_region_is_a_new_evaluation(engine: Engine) -> None:
    _decide(engine, facts("E1"))
    _decide(engine, facts("E1"), as_of=CLOSED_ON)
    _decide(engine, facts("E1"), region="450105")
    assert engine.calls == [SUBMITTED, CLOSED_ON, SUBMITTED]  # type: ignore[attr-defined]


def test_new_parameters_are_a_new_evaluation_with_the_new_values(engine: Engine) -> None:
    before = _decide(engine, facts("E1"))
    old_memo = engine.memo
    # What an upload of a local parameter file does: the engine is given a new set.
    engine.params = engine.params.with_value(AMOUNT, dt.date(2025, 1, 1), 2000, note="测试：地方参数文件")
    after = _decide(engine, facts("E1"))
    assert len(engine.calls) == 2 and engine.memo is not old_memo  # type: ignore[attr-defined]
    assert after.amount_fen == 200_000 != before.amount_fen
    assert after.provenance["rule_hash"] != before.provenance["rule_hash"]


def test_the_facts_own_parameter_settings_are_part_of_the_key(engine: Engine) -> None:
    plain = _decide(engine, facts("E1"))
    data = facts("E1") | {"parameters": {AMOUNT: 2000}}
    local = _decide(engine, data)
    assert len(engine.calls) == 2 and local.amount_fen == 200_000 != plain.amount_fen  # type: ignore[attr-defined]


def test_a_caller_changing_its_copy_does_not_change_the_memo(engine: Engine) -> None:
    first = _decide(engine, facts("E1"))
    first.reasons.append("调用方自己的改动")
    first.provenance["as_of"] = "1999-01-01"
    again = _decide(engine, facts("E1"))
    assert "调用方自己的改动" not in again.reasons and again.provenance["as_of"] == SUBMITTED.isoformat()


def test_the_memo_keeps_the_most_recently_used_entries_only() -> None:
    memo = DecisionMemo(2)
    keys = [DecisionKey.of("gx.expansion", "E1", "450103", SUBMITTED, f"{i:064x}", "p") for i in range(3)]
    entry = claims.Assessment("gx.expansion", SUBMITTED, "450103", "eligible", 1, [])
    memo.put(keys[0], entry)
    memo.put(keys[1], entry)
    assert memo.get(keys[0]) == entry  # the first is now the most recently used
    memo.put(keys[2], entry)
    assert len(memo) == 2 and memo.get(keys[1]) is None and memo.get(keys[0]) == entry
    assert DecisionMemo(0).get(keys[0]) is None
    large = DecisionMemo(2)  # a claim of many persons is evaluated each time, never kept
    item = claims.GrantItem("gx.expansion", "0" * 64, "once", 1, "")
    large.put(keys[0], dataclasses.replace(entry, items=[item] * (MAX_ITEMS + 1)))
    large.put(keys[1], dataclasses.replace(entry, items=[item] * MAX_ITEMS))
    assert large.get(keys[0]) is None and large.get(keys[1]) is not None


def test_threads_sharing_the_engine_get_the_same_decisions(engine: Engine) -> None:
    people = [facts("E1", hire=f"2025-0{m}-01") for m in (3, 4, 5)]
    alone = [_decide(engine, data) for data in people]
    with ThreadPoolExecutor(4) as pool:
        shared = list(pool.map(lambda i: _decide(engine, people[i % 3]), range(12)))
    assert shared == [alone[i % 3] for i in range(12)]
    assert len(engine.calls) == 3  # type: ignore[attr-defined]


def test_a_claim_resubmitted_with_changed_facts_the_same_day_is_decided_again(database_url: str) -> None:
    """Through the service: the memo answers only for the facts it decided on."""
    world = World(database_url)
    firm, clerk = world.callers["firm_E1"], world.callers["clerk"]
    app_id = world.claim("E1")
    first = world.step(apps.get_application, clerk, app_id)
    assert first.status_submitted == "eligible"
    world.step(apps.accept, clerk, app_id)
    world.step(apps.return_for_revision, world.callers["reviewer1"], app_id, "缺少社会保险缴费记录")
    short = facts("E1")
    short["employments"][0]["months_paid_ui"] = 1
    world.step(apps.update_facts, world.engine, firm, app_id, short)
    apps.submit_staged(world.sessions, world.engine, firm, app_id, today=SUBMITTED)
    again = world.step(apps.get_application, clerk, app_id)
    assert again.status_submitted != "eligible" and again.state == "returned"
    assert json.loads(again.provenance_submitted)["facts_hash"] != json.loads(first.provenance_submitted)["facts_hash"]
    assert world.engine.memo.misses == 2 and world.engine.memo.hits == 0
    world.db.dispose()
