"""免申即享: a registry match becomes pre-checked cases that still pass review, notice and the
ledger; importing the same match twice opens nothing new. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select

from claims_world import FIRMS, PASSWORD, World
from cli_world import add_staff
from jiuye.cases import State
from jiuye.matching import match_registry
from jiuye.matching.output import write_match
from jiuye.policies.registry import get_measure
from jiuye.registry.io import read_registry
from jiuye.registry.synth import synthesize
from jiuye.service import applications as apps
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import transaction
from jiuye.service.errors import ForbiddenError, InputError, NotFoundError
from jiuye.service.models import Application, AuditEvent
from jiuye.service.proactive import import_matches, registry_slices
from jiuye.service.subjects import create_self_registered, register_subject, verify_subject

AS_OF = dt.date(2025, 12, 1)


@pytest.fixture(scope="module")
def matched(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, pl.LazyFrame], pl.DataFrame]:
    """A synthetic registry of 1,500 people matched on gx.expansion province-wide."""
    root = tmp_path_factory.mktemp("proactive")
    synthesize(root / "registry", persons=1_500, seed=7, as_of=AS_OF)
    registry = read_registry(root / "registry")
    result = match_registry(registry.tables, as_of=AS_OF, region="450000", measures=[get_measure("gx.expansion")])
    write_match(result, registry.tables, root / "match")
    return registry.tables, pl.read_parquet(root / "match" / "decisions.parquet")


@pytest.fixture
def world(database_url: str) -> Any:
    built = World(database_url)
    with transaction(built.sessions) as session:
        user = create_user(session, username="province", password=PASSWORD, role="caseworker", region="450000",
                           display_name="自治区经办")  # fmt: skip
        built.callers["province"] = Caller(user.id, "province", "caseworker", "450000", None)
    yield built
    built.db.dispose()


def _import(world: World, matched: Any, caller: str = "province", measures: tuple[str, ...] = ("gx.expansion",)) -> Any:
    tables, decisions = matched
    args = (world.engine, world.callers[caller], tables, decisions)
    return world.step(import_matches, *args, measures=measures, today=AS_OF)


def test_eligible_matches_become_pre_checked_cases_once(world: World, matched: Any) -> None:
    _, decisions = matched
    eligible = decisions.filter((pl.col("measure") == "gx.expansion") & (pl.col("status") == "eligible"))
    assert eligible.height > 0, "合成数据中应有符合扩岗补助的单位"
    report = _import(world, matched)
    assert len(report.created) + len(report.skipped) == eligible.height
    assert report.created, report.skipped[:3]
    with world.sessions() as session:
        cases = session.scalars(select(Application).where(Application.id.in_(report.created))).all()
        assert {(c.state, c.source) for c in cases} == {(State.AUTO_CHECKED.value, "proactive")}
        amounts = {c.claimant_ref: c.amount_submitted_fen for c in cases}
        # The case's decision used the same rules and parameter values as the match that found it.
        rules = {json.loads(c.provenance_submitted or "{}").get("rule_hash") for c in cases}
        assert rules == set(eligible["rule_hash"].unique())
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "application.proactive")).all()
        assert len(audited) == len(cases)
    expected = {r["subject_id"]: int(r["amount"] * 100) for r in eligible.iter_rows(named=True)}
    assert all(amounts[ref] == expected[ref] for ref in amounts), "建案金额与比对结果一致"
    again = _import(world, matched)
    assert not again.created and all("不重复建案" in why for _, why in again.skipped)


def test_a_proactive_case_still_passes_review_notice_and_the_ledger(world: World, matched: Any) -> None:
    report = _import(world, matched)
    app_id = report.created[0]
    world.step(apps.accept, world.callers["province"], app_id)  # the import's caseworker may not: they submitted
    with transaction(world.sessions) as session:
        reviewer = create_user(session, username="prov_reviewer", password=PASSWORD, role="reviewer",
                               region="450000", display_name="自治区审核")  # fmt: skip
    caller = Caller(reviewer.id, "prov_reviewer", "reviewer", "450000", None)
    noticed = world.step(apps.approve, caller, app_id, today=dt.date(2025, 12, 2))
    assert noticed.state == State.PUBLIC_NOTICE
    granted = world.step(apps.close_notice, world.engine, None, app_id, today=dt.date(2025, 12, 10))
    assert granted.state == State.APPROVED and world.live_items() >= 1


def test_only_a_caseworker_imports_and_unknown_measures_are_refused(world: World, matched: Any) -> None:
    with pytest.raises(ForbiddenError):
        _import(world, matched, caller="reviewer1")
    with pytest.raises(InputError, match=r"no\.such"):
        _import(world, matched, measures=("no.such",))


def test_a_slice_holds_the_beneficiary_its_rows_and_the_people_they_name(matched: Any) -> None:
    tables, decisions = matched
    employer = decisions.filter(pl.col("measure") == "gx.expansion")["subject_id"][0]
    data = registry_slices(tables, "employer", [employer])[employer]
    assert [row["id"] for row in data["employers"]] == [employer]
    assert data["employments"] and all(row["employer"] == employer for row in data["employments"])
    assert {row["person"] for row in data["employments"]} <= {row["id"] for row in data["persons"]}


def test_a_district_caseworker_imports_only_their_district(world: World, matched: Any) -> None:
    report = _import(world, matched, caller="clerk")
    with world.sessions() as session:
        regions = set(session.scalars(select(Application.region).where(Application.id.in_(report.created))))
    assert regions <= {"450103"}


def test_the_command_line_imports_a_match_as_the_named_caseworker(
    tmp_path: Path, matched: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from jiuye.cli.app import app

    tables, decisions = matched
    registry, match = tmp_path / "registry", tmp_path / "match"
    registry.mkdir()
    match.mkdir()
    for name, frame in tables.items():
        frame.collect().write_parquet(registry / f"{name}.parquet")
    decisions.write_parquet(match / "decisions.parquet")
    add_staff(data_dir, "province", "caseworker", "450000", "自治区经办")
    args = ["cases", "import-matches", str(registry), str(match), "--measure", "gx.expansion",
            "--username", "province", "--today", AS_OF.isoformat(), "--data-dir", str(data_dir)]  # fmt: skip
    monkeypatch.setenv("JIUYE_PASSWORD", "wrong password")
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1 and "用户名或口令不正确" in refused.output
    monkeypatch.setenv("JIUYE_PASSWORD", PASSWORD)
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "新建主动服务案件" in done.output and "跳过 0 件" in done.output


def test_a_case_opened_for_a_pending_self_registered_subject_is_not_its_accounts_to_see_or_withdraw(
    world: World, matched: Any
) -> None:
    """Attack: someone self-registers an employer's 统一社会信用代码 (identity pending, their own phone)
    before the bureau's match; the proactive case found by that number must not be shown to, nor
    withdrawn by, that account until staff verify the subject."""
    tables, decisions = matched
    eligible = decisions.filter((pl.col("measure") == "gx.expansion") & (pl.col("status") == "eligible")
                                & pl.col("selected"))  # fmt: skip
    known = tables["employers"].filter(pl.col("uscc").is_in(list(FIRMS.values()))).collect()["id"].to_list()
    chosen = eligible.filter(~pl.col("subject_id").is_in(known)).row(0, named=True)  # not a World firm
    employer = tables["employers"].filter(pl.col("id") == chosen["subject_id"]).collect().row(0, named=True)
    region = chosen["region"]
    with transaction(world.sessions) as session:  # the impostor registers before the bureau's import
        subject = create_self_registered(
            session, world.protector, kind="enterprise", number=employer["uscc"], name=employer["name"],
            region=region, phone="13800000123", actor="registration:impostor",
        )  # fmt: skip
        user = create_user(session, username="impostor", password=PASSWORD, role="enterprise", region=region,
                           display_name="冒名", subject_id=subject.id)  # fmt: skip
        impostor = Caller(user.id, "impostor", "enterprise", region, subject.id)
    report = _import(world, matched)
    with world.sessions() as session:
        [case_id] = session.scalars(select(Application.id).where(Application.id.in_(report.created),
                                                                Application.subject_id == subject.id))  # fmt: skip
    assert world.step(apps.list_applications, impostor) == []
    for action in (apps.get_application, apps.withdraw):
        with pytest.raises(NotFoundError):
            world.step(action, impostor, case_id)
    with world.sessions() as session:
        assert session.get(Application, case_id).state == State.AUTO_CHECKED.value
    world.step(verify_subject, world.callers["province"], subject.id, "已现场核对营业执照原件")
    assert [a.id for a in world.step(apps.list_applications, impostor)] == [case_id], "核验后本单位可见"


def test_a_beneficiary_registered_in_another_region_is_skipped_not_the_whole_import(world: World, matched: Any) -> None:
    """A district's import meets an employer already registered in another district: that one is
    skipped with the reason (nothing is said or created for it), the others are imported."""
    tables, decisions = matched
    eligible = decisions.filter((pl.col("measure") == "gx.expansion") & (pl.col("status") == "eligible")
                                & pl.col("selected") & pl.col("region").str.starts_with("4501"))  # fmt: skip
    chosen = eligible.row(0, named=True)
    employer = tables["employers"].filter(pl.col("id") == chosen["subject_id"]).collect().row(0, named=True)
    elsewhere = "450202" if not chosen["region"].startswith("4502") else "450103"
    world.step(register_subject, world.protector, world.callers["province"], kind="enterprise",
               number=employer["uscc"], name=employer["name"], region=elsewhere)  # fmt: skip
    with transaction(world.sessions) as session:
        user = create_user(session, username="city", password=PASSWORD, role="caseworker", region="450100",
                           display_name="南宁市经办")  # fmt: skip
        world.callers["city"] = Caller(user.id, "city", "caseworker", "450100", None)
    report = _import(world, matched, caller="city")
    assert (
        f"gx.expansion:{chosen['subject_id']}",
        "该对象已在您辖区以外登记，由其登记地经办人员办理",
    ) in report.skipped
    assert len(report.created) + len(report.skipped) == eligible.height
