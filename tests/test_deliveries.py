"""Delivery forms in the case service: only bank payments enter payment batches; a tax deduction,
a deferral, a loan's interest subsidy and a recognition end in their own documents, issued once.

On SQLite and PostgreSQL, driven through the service functions as tests/claims_world.py does."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from claims_world import CLOSED_ON, FIRMS, PERSON, World, built_world
from jiuye.service import applications as apps
from jiuye.service import deliveries
from jiuye.service import disbursement as pay
from jiuye.service.errors import ConflictError, InputError, NotFoundError
from jiuye.service.models import Application, DeliveryDocument, Payment

PAY_DAY = dt.date(2025, 12, 15)


def tax_hire(employer: str = "E1") -> dict[str, Any]:
    """A service enterprise hires a self-employed veteran in March 2025: 9000 ÷ 12 × 10 months = 7500 in 2025."""
    return {
        "employers": [{"id": employer, "uscc": FIRMS[employer], "kind": "enterprise", "tax_category": "service",
                       "region": "450103"}],
        "persons": [{"id": "V1", "id_number": PERSON, "veteran_self_employed": True}],
        "employments": [{"person": "V1", "employer": employer, "hire_date": "2025-03-01", "contract_months": 36,
                         "months_paid_pension": 9, "months_paid_medical": 9, "months_paid_ui": 9}],
    }  # fmt: skip


def si_defer(employer: str = "E1") -> dict[str, Any]:
    return {"employers": [{"id": employer, "uscc": FIRMS[employer], "kind": "enterprise", "region": "450103",
                           "related_enterprise": True, "genuine_difficulty": True}]}  # fmt: skip


def startup_loan(employer: str = "E1") -> dict[str, Any]:
    return {"employers": [{"id": employer, "uscc": FIRMS[employer], "kind": "enterprise", "region": "450103",
                           "size": "small", "staff": 80, "new_qualifying_hires": 20}]}  # fmt: skip


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, accounts=True) as built:
        yield built


def approve(world: World, measure: str, data: dict[str, Any]) -> int:
    app_id = world.claim(data["employers"][0]["id"], data=data, measure=measure)
    world.to_notice(app_id)
    world.step(apps.close_notice, world.engine, None, app_id, today=CLOSED_ON)
    return app_id


def prepare(world: World) -> Any:
    args = (world.protector, world.fingerprint_key, world.callers["finance"])
    return world.step(pay.prepare_batch, *args, pay_date=PAY_DAY, today=PAY_DAY)


def documents(world: World, caller: str = "clerk", form: str | None = None) -> list[DeliveryDocument]:
    result: list[DeliveryDocument] = world.step(deliveries.list_documents, world.callers[caller], form=form)
    return result


def sheet(data: bytes, name: str = "明细") -> list[list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [["" if c is None else str(c) for c in row] for row in book[name].iter_rows(values_only=True)]


def test_an_approved_tax_deduction_is_on_the_tax_list_and_in_no_bank_file(world: World) -> None:
    app_id = approve(world, "xxq.tax.hire", tax_hire())
    assert prepare(world) is None, "税收扣减不进入银行发放批次"
    [document] = documents(world, form="tax_deduction")
    assert (document.application_id, document.amount_fen, document.status) == (app_id, 750_000, "issued")
    assert document.number.startswith("JM450103")
    data = world.step(deliveries.export_documents, world.protector, world.callers["clerk"], form="tax_deduction",
                      today=CLOSED_ON)  # fmt: skip
    header, row = sheet(data)
    assert header[3] == "纳税人识别号/统一社会信用代码" and header[7] == "减免税额（元）"
    assert row[1] == document.number and row[3] == FIRMS["E1"] and row[6] == "2025" and row[7] == "7500.00"
    # A reviewer has no need of the full number: masked, in the list and in the certificate.
    masked = world.step(deliveries.export_documents, world.protector, world.callers["reviewer1"],
                        form="tax_deduction", today=CLOSED_ON)  # fmt: skip
    assert FIRMS["E1"] not in sheet(masked)[1][3]
    text = world.step(deliveries.notice, world.protector, world.callers["firm_E1"], document.id)
    assert "2025年度减免税额（扣减限额）：7500.00元" in text and "不以现金发放" in text and FIRMS["E1"] not in text


def test_a_rule_only_approval_ends_in_a_notice_and_never_touches_a_batch(world: World) -> None:
    app_id = approve(world, "gx.si.defer", si_defer())
    assert prepare(world) is None
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 0
    [document] = documents(world)
    assert (document.application_id, document.form, document.amount_fen) == (app_id, "fee_relief", None)
    text = world.step(deliveries.notice, world.protector, world.callers["clerk"], document.id)
    assert text.startswith("社会保险费缓缴（降费）决定通知书") and "gx38（三）" in text and "免收滞纳金" in text


def test_a_cash_batch_still_exports_beside_tax_and_rule_only_approvals(world: World) -> None:
    approve(world, "xxq.tax.hire", tax_hire("E2"))
    approve(world, "gx.si.defer", si_defer("E1"))
    cash = world.grant("E1")
    batch = prepare(world)
    assert batch is not None and batch.declared_count == 1 and batch.declared_total_fen == 150_000
    assert "0.00" not in world.export(batch.id).decode("utf-8-sig").split("\n", 2)[-1]
    with world.sessions() as session:
        assert list(session.scalars(select(Payment.application_id))) == [cash]


def test_a_loan_settlement_computes_the_interest_subsidy_and_the_lender_reward_from_cited_parameters(
    world: World,
) -> None:
    approve(world, "xxq.startup.loan", startup_loan())
    assert prepare(world) is None, "贷款贴息与经办银行结算，不付给借款人"
    [document] = documents(world, form="loan_settlement")
    assert document.status == "awaiting_loan"
    settled = world.step(
        deliveries.record_loan, world.engine.params, world.callers["finance"], document.id,
        principal_fen=200_000_000, annual_rate=Decimal("0.035"), base_rate=Decimal("0.0345"),
        start=dt.date(2026, 1, 5), end=dt.date(2027, 1, 5),
    )  # fmt: skip
    # 2,000,000 × (3.45% × 50%) × 365 ÷ 360 = 34,979.17; reward 1% of the new loan = 20,000.
    assert (settled.amount_fen, settled.status) == (3_497_917, "settled")
    header, row = sheet(world.step(deliveries.export_documents, world.protector, world.callers["finance"],
                                   form="loan_settlement", today=CLOSED_ON))  # fmt: skip
    assert row[header.index("贴息金额（元）")] == "34979.17" and row[header.index("经办银行奖励（元）")] == "20000.00"
    assert "xxq.startup.loan.interest_subsidy_share" in row[-1] and "xxq7" in row[-1]
    with pytest.raises(ConflictError):  # settled once
        world.step(deliveries.record_loan, world.engine.params, world.callers["finance"], document.id,
                   principal_fen=1, annual_rate=Decimal("0.03"), base_rate=Decimal("0.03"),
                   start=dt.date(2026, 1, 5), end=dt.date(2026, 2, 5))  # fmt: skip


def test_a_loan_above_the_cited_limit_is_refused_in_chinese(world: World) -> None:
    approve(world, "xxq.startup.loan", startup_loan())
    [document] = documents(world)
    with pytest.raises(InputError, match=r"超过最高额度 3,000,000\.00 元"):
        world.step(deliveries.record_loan, world.engine.params, world.callers["clerk"], document.id,
                   principal_fen=300_000_001, annual_rate=Decimal("0.035"), base_rate=Decimal("0.0345"),
                   start=dt.date(2026, 1, 5), end=dt.date(2027, 1, 5))  # fmt: skip


@pytest.mark.parametrize("measure", ["xxq.targets", "cn.report.quarterly", "cn.directions"])
def test_a_claim_for_a_target_a_schedule_or_a_taxonomy_is_refused_at_creation(world: World, measure: str) -> None:
    with pytest.raises(InputError, match="不是单位或个人可申请的待遇"):
        world.claim("E1", data=si_defer(), measure=measure)
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 0


def test_a_document_is_never_issued_twice(world: World) -> None:
    app_id = approve(world, "gx.si.defer", si_defer())
    with world.sessions() as session, pytest.raises(ConflictError, match="已出具"):
        app = session.get(Application, app_id)
        deliveries.issue_document(session, None, app, today=CLOSED_ON)
    assert len(documents(world)) == 1


def test_concurrent_approvals_of_one_claim_issue_one_document(world: World) -> None:
    app_id = world.claim("E1", data=tax_hire(), measure="xxq.tax.hire")
    world.to_notice(app_id)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def race() -> None:
        barrier.wait()
        try:
            world.step(apps.close_notice, world.engine, None, app_id, today=CLOSED_ON)
            outcomes.append("approved")
        except Exception as exc:  # the lost race: a refusal, an optimistic-lock or unique-constraint failure
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=race) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("approved") == 1, outcomes
    assert len(documents(world)) == 1


def test_documents_are_scoped_like_the_other_lists(world: World) -> None:
    world.add_district()
    approve(world, "gx.si.defer", si_defer("E1"))
    approve(world, "xxq.tax.hire", tax_hire("E2"))
    assert [d.form for d in documents(world, "firm_E1")] == ["fee_relief"]
    assert [d.form for d in documents(world, "firm_E2")] == ["tax_deduction"]
    assert len(documents(world, "reviewer1")) == 2
    assert documents(world, "clerk3") == []
    mine = documents(world, "firm_E2")[0].id
    for outsider in ("firm_E1", "clerk3"):
        with pytest.raises(NotFoundError):
            world.step(deliveries.notice, world.protector, world.callers[outsider], mine)
    with pytest.raises(InputError, match="没有交付文书"):
        documents(world, form="bank_payment")
