"""The fund ledger: allocations add up, approvals commit, payments are counted, and approving
beyond an allocation is refused. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from claims_world import CLOSED_ON, OTHER_PERSON, PERSON, World
from jiuye.service import applications as apps
from jiuye.service import funds
from jiuye.service.auth import Caller
from jiuye.service.errors import ConflictError, ForbiddenError, InputError


@pytest.fixture
def world(database_url: str) -> Any:
    built = World(database_url)
    yield built
    built.db.dispose()


def _allocate(world: World, amount_fen: int, region: str = "450103", caller: Caller | None = None) -> None:
    world.step(
        funds.allocate, caller or world.callers["finance"], fund="ui_fund", region=region, year=2025,
        amount_fen=amount_fen, note="桂人社函〔2025〕示例号",
    )  # fmt: skip


def _position(world: World, region: str = "450103") -> funds.Position:
    with world.sessions() as session:
        return funds.position(session, fund="ui_fund", region=region, year=2025)


def test_without_an_allocation_a_fund_is_not_budget_controlled(world: World) -> None:
    world.grant("E1", PERSON)
    state = _position(world)
    assert not state.controlled and state.committed_fen == 150_000


def test_an_approval_beyond_the_allocation_is_refused_and_a_top_up_lets_it_through(world: World) -> None:
    _allocate(world, 150_000)
    world.grant("E1", PERSON)  # 1500 元 of 1500 元
    second = world.claim("E2", OTHER_PERSON)
    world.to_notice(second)
    with pytest.raises(ConflictError, match="超出预算"):
        world.step(apps.close_notice, world.engine, None, second, today=CLOSED_ON)
    assert _position(world).committed_fen == 150_000, "被拒绝的核准不占用预算"
    _allocate(world, 100_000)
    _allocate(world, 50_000)  # allocations add up
    world.step(apps.close_notice, world.engine, None, second, today=CLOSED_ON)
    state = _position(world)
    assert (state.allocated_fen, state.committed_fen, state.available_fen) == (300_000, 300_000, 0)


def test_a_city_allocation_covers_its_districts(world: World) -> None:
    district = world.callers["finance"]
    city = Caller(district.user_id, "city_finance", "finance", "450100", None)  # 南宁市财务
    _allocate(world, 100_000, region="450100", caller=city)  # less than one grant
    claim = world.claim("E1", PERSON)
    world.to_notice(claim)
    with pytest.raises(ConflictError, match="450100"):
        world.step(apps.close_notice, world.engine, None, claim, today=CLOSED_ON)


def test_only_finance_allocates_within_its_region_and_names_the_basis(world: World) -> None:
    with pytest.raises(ForbiddenError):
        world.step(
            funds.allocate, world.callers["clerk"], fund="ui_fund", region="450103", year=2025,
            amount_fen=1, note="x",
        )  # fmt: skip
    with pytest.raises(InputError, match="资金渠道"):
        world.step(
            funds.allocate, world.callers["finance"], fund="nothing", region="450103", year=2025,
            amount_fen=1, note="x",
        )  # fmt: skip
    with pytest.raises(ForbiddenError):
        _allocate(world, 1, region="450200")
