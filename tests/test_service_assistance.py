"""The real-name assistance ledger in the database, on SQLite and PostgreSQL: entry by the engine's
rule, services and status, pushes never repeated, the trail, the ledger and its Excel export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims_world import PASSWORD, World, id_number
from jiuye.assistance import GraduateStatus, ServiceKind, Stage, TrailError
from jiuye.jobs.model import Posting, Seeker
from jiuye.jobs.parsing import Salary
from jiuye.service import assistance as ledger
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import transaction
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.jobs import postings_by_id, store_postings

TODAY = dt.date(2025, 10, 9)
GRADUATE = id_number("45010320030301123")


def _posting(n: int, *, close_on: dt.date | None = None) -> Posting:
    return Posting(
        id=f"test:{n}", title=f"会计{n}", employer=f"单位{n}", channel="test", channel_id=str(n), region="450103",
        salary=Salary(Decimal("4000"), Decimal("6000")), close_on=close_on,
    )  # fmt: skip


@pytest.fixture
def world(database_url: str) -> Any:
    built = World(database_url)
    with transaction(built.sessions) as session:
        other = create_user(session, username="clerk_lz", password=PASSWORD, role="caseworker", region="450202",
                            display_name="柳州经办")  # fmt: skip
        built.callers["clerk_lz"] = Caller(other.id, "clerk_lz", "caseworker", "450202", None)
    yield built
    built.db.dispose()


def _register(world: World, number: str = GRADUATE, **kwargs: Any) -> int:
    args = {"number": number, "name": "李同学", "region": "450103", "graduated_on": dt.date(2025, 6, 30),
            "today": dt.date(2025, 10, 1), "school": "广西大学", **kwargs}  # fmt: skip
    graduate = world.step(ledger.register_graduate, world.engine, world.callers["clerk"], **args)
    return int(graduate.id)


def _first(n: int) -> Any:
    def choose(session: Session, seeker: Seeker, pushed: frozenset[str], day: dt.date) -> list[Any]:
        postings = postings_by_id(session, today=day).values()
        return [(p, f"推荐理由：{p.title}") for p in postings if p.id not in pushed][:n]

    return choose


def test_a_graduate_enters_the_ledger_only_when_the_1131_rule_says_so(world: World) -> None:
    graduate_id = _register(world, hardship=["low_income_family"])
    with pytest.raises(ConflictError, match="已在实名帮扶台账中"):
        _register(world)
    with pytest.raises(InputError, match="不属于"):
        _register(world, id_number("45010319950301123"), graduated_on=dt.date(2018, 6, 30))
    with pytest.raises(InputError, match="困难类别"):
        _register(world, id_number("45010320030301234"), hardship=["rich"])
    with pytest.raises(ForbiddenError):
        world.step(ledger.register_graduate, world.engine, world.callers["reviewer1"], number=GRADUATE, name="x",
                   region="450103", graduated_on=dt.date(2025, 6, 30), today=TODAY)  # fmt: skip
    [row] = world.step(ledger.ledger, world.callers["clerk"], today=dt.date(2025, 10, 20))
    assert row.graduate_id == graduate_id and row.number == GRADUATE[:4] + "*" * 10 + GRADUATE[-4:]
    assert GRADUATE not in row.number and row.hardship == "低保家庭" and row.status == "已登记"
    assert row.overdue_since == dt.date(2025, 10, 8), "登记7日内未联系：逾期"
    assert "首次联系 1 次" in row.owed and "针对性岗位推送 3 次" in row.owed


def test_services_move_the_status_and_pay_down_what_is_owed(world: World) -> None:
    graduate_id = _register(world)
    clerk = world.callers["clerk"]
    world.step(ledger.record_service, clerk, graduate_id, kind=ServiceKind.CONTACT, on=TODAY, channel="电话",
               evidence="电话联系，了解求职意向")  # fmt: skip
    assert world.step(ledger.get_graduate, clerk, graduate_id).status == GraduateStatus.CONTACTED
    for kind in (ServiceKind.POLICY_BRIEFING, ServiceKind.CAREER_GUIDANCE, ServiceKind.INTERNSHIP):
        world.step(ledger.record_service, clerk, graduate_id, kind=kind, on=TODAY, channel="窗口",
                   evidence=f"{kind.label}：当面办理")  # fmt: skip
    graduate = world.step(ledger.get_graduate, clerk, graduate_id)
    assert graduate.status == GraduateStatus.IN_SERVICE
    [row] = world.step(ledger.ledger, clerk, today=TODAY)
    assert row.owed.startswith("岗位推荐 3 次") and row.overdue_since is None
    with pytest.raises(InputError, match="服务方式"):
        world.step(ledger.record_service, clerk, graduate_id, kind=ServiceKind.CONTACT, on=TODAY, channel="微信群",
                   evidence="群发通知消息")  # fmt: skip
    employed = world.step(ledger.set_status, clerk, graduate_id, GraduateStatus.EMPLOYED, on=TODAY,
                          reason="已与某公司签订劳动合同")  # fmt: skip
    assert employed.status == GraduateStatus.EMPLOYED
    [closed] = world.step(ledger.ledger, clerk, today=dt.date(2026, 3, 1), overdue_only=False)
    assert closed.owed == "已结束帮扶，无待提供服务" and closed.overdue_since is None


def test_jobs_are_pushed_once_and_their_trail_only_moves_forward(world: World) -> None:
    clerk = world.callers["clerk"]
    report = world.step(store_postings, clerk, [_posting(n) for n in range(5)] + [_posting(9, close_on=TODAY)])
    assert (report.added, report.updated) == (6, 0)
    again = world.step(store_postings, clerk, [_posting(0)])
    assert (again.added, again.unchanged) == (0, 1)
    with world.sessions() as session:
        assert "test:9" not in postings_by_id(session, today=TODAY + dt.timedelta(days=1)), "已截止的岗位不再列出"
    graduate_id = _register(world, hardship=["disabled"])
    first = world.step(ledger.push_jobs, clerk, graduate_id, today=TODAY, choose=_first(3))
    second = world.step(ledger.push_jobs, clerk, graduate_id, today=TODAY, choose=_first(3))
    assert len(first) == 3 and {p.posting_id for p in first}.isdisjoint({p.posting_id for p in second})
    assert all(p.targeted for p in first), "困难毕业生的推送计为针对性岗位推送"
    with pytest.raises(ConflictError, match="已推送过"):
        world.step(
            ledger.push_jobs,
            clerk,
            graduate_id,
            today=TODAY,
            choose=lambda session, s, pushed, day: [(postings_by_id(session, ids=sorted(pushed))["test:0"], "x")],
        )
    [row] = world.step(ledger.ledger, clerk, today=TODAY)
    assert "针对性岗位推送" not in row.owed and row.pushes == {"已推送": 6}
    push_id = first[0].id
    world.step(ledger.advance_push, clerk, push_id, Stage.APPLIED, on=TODAY)
    hired = world.step(ledger.advance_push, clerk, push_id, Stage.HIRED, on=TODAY + dt.timedelta(days=5))
    assert hired.stage == Stage.HIRED and '"applied"' in hired.trail
    with pytest.raises(TrailError):
        world.step(ledger.advance_push, clerk, push_id, Stage.VIEWED, on=TODAY + dt.timedelta(days=6))


def test_the_database_refuses_a_second_push_of_the_same_job(world: World) -> None:
    from jiuye.service.models import JobPush

    clerk = world.callers["clerk"]
    world.step(store_postings, clerk, [_posting(1)])
    graduate_id = _register(world)
    with pytest.raises(IntegrityError), transaction(world.sessions) as session:
        for _ in range(2):
            session.add(JobPush(graduate_id=graduate_id, posting_id="test:1", pushed_on=TODAY, stage="pushed",
                                stage_on=TODAY))  # fmt: skip
            session.flush()


def test_other_regions_see_nothing_and_the_export_is_masked(world: World) -> None:
    graduate_id = _register(world)
    outsider = world.callers["clerk_lz"]
    assert world.step(ledger.ledger, outsider, today=TODAY) == []
    with pytest.raises(NotFoundError):
        world.step(ledger.get_graduate, outsider, graduate_id)
    with pytest.raises(NotFoundError):
        world.step(ledger.record_service, outsider, graduate_id, kind=ServiceKind.CONTACT, on=TODAY, channel="电话",
                   evidence="电话联系，了解求职意向")  # fmt: skip
    rows = world.step(ledger.ledger, world.callers["clerk"], today=TODAY, caseworker="clerk")
    data = ledger.export_ledger(rows, today=TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "李同学" in values and GRADUATE not in "".join(values) and any("*" in v for v in values)
    assert world.step(ledger.ledger, world.callers["clerk"], today=TODAY, caseworker="nobody") == []
    assert len(world.step(ledger.ledger, world.callers["clerk"], today=TODAY, region="450103")) == 1
    with pytest.raises(ForbiddenError, match="不在您的辖区"):
        world.step(ledger.ledger, world.callers["clerk"], today=TODAY, region="450202")
