"""Code health of the delivery forms: every catalog measure has exactly one, cited in the words of
its document (or a named assumption), and only cash from a named fund is a bank payment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog_ids import CATALOG_IDS
from jiuye.delivery import Form, LoanTerms, all_deliveries, cash_measures, load_deliveries, settle
from jiuye.delivery.loans import LoanTermsError
from jiuye.params import load_parameters
from jiuye.policies.documents import documents
from jiuye.policies.registry import get_measure

DELIVERIES = all_deliveries()
CASH_FUNDS = {"ui_fund", "employment_fund", "fiscal"}
PARAMS = load_parameters()


def test_every_catalog_measure_has_exactly_one_delivery_form() -> None:
    assert sorted(DELIVERIES) == sorted(CATALOG_IDS)
    with pytest.raises(ValueError, match="出现两次"):
        load_deliveries("deliveries:\n  gx.si.defer: {form: record}\n  gx.si.defer: {form: fee_relief}\n")


@pytest.mark.parametrize("measure_id", CATALOG_IDS)
def test_each_delivery_form_quotes_its_document(measure_id: str, shared: Path) -> None:
    delivery = DELIVERIES[measure_id]
    ref = delivery.reference
    document = documents()[ref.document]
    assert ref.clause and ref.quote, "须写明条款并引用原文"
    if document.file:
        text = (shared / "policies" / document.file).read_text(encoding="utf-8")
        for passage in ref.quote.split("……"):
            assert passage in text, f"引文不在 {document.file} 中：{passage}"
    assert delivery.assumption is None or len(delivery.assumption) >= 10, "假设须写明"


@pytest.mark.parametrize("measure_id", CATALOG_IDS)
def test_a_bank_payment_is_money_from_a_named_fund_and_nothing_else_is(measure_id: str) -> None:
    measure, form = get_measure(measure_id), DELIVERIES[measure_id].form
    if form is Form.BANK_PAYMENT:
        assert measure.fund in CASH_FUNDS and measure.parts, "银行发放须有资金渠道和金额"
    assert (measure_id in cash_measures()) == (form is Form.BANK_PAYMENT)
    if measure.fund == "tax":
        assert form is Form.TAX_DEDUCTION
    if measure.fund == "loan":
        assert form is Form.LOAN_SETTLEMENT
    if not measure.parts:  # no amount: never a payment line of 0.00
        assert form is not Form.BANK_PAYMENT


def _terms(principal_fen: int, rate: str, base: str, days: int, person: bool = False) -> LoanTerms:
    start = dt.date(2026, 1, 5)
    return LoanTerms(principal_fen, Decimal(rate), Decimal(base), start, start + dt.timedelta(days=days), person)


def test_interest_subsidies_follow_the_cited_shares() -> None:
    p = PARAMS.at(dt.date(2026, 1, 5))
    xxq = settle("xxq.startup.loan", _terms(200_000_000, "0.035", "0.0345", 365), p)
    assert (xxq.subsidy_fen, xxq.reward_fen, xxq.limit_fen) == (3_497_917, 2_000_000, 300_000_000)
    # Guangxi: the borrower bears up to LPR − 1.5%, 3.45% − 1.5% = 1.95%; the rest of 3.95% is subsidised.
    gx = settle("gx.startup.loan", _terms(30_000_000, "0.0395", "0.0345", 360, person=True), p)
    assert (gx.subsidised_rate, gx.subsidy_fen, gx.reward_fen, gx.limit_fen) == (
        Decimal("0.0200"),
        600_000,
        0,
        30_000_000,
    )
    wengang = settle("gx.loan.wengang", _terms(100_000_000, "0.03", "0.0345", 365), PARAMS.at(dt.date(2025, 10, 1)))
    assert (wengang.subsidy_fen, wengang.reward_fen) == (0, 0)
    assert any("xxq.startup.loan.interest_subsidy_share：xxq7" in b for b in xxq.basis)
    with pytest.raises(LoanTermsError, match="超过最高额度"):
        settle("gx.startup.loan", _terms(30_000_001, "0.0395", "0.0345", 360, person=True), p)
    # Before the action plan raised it, the limit is 财金〔2020〕21号's 200,000 yuan (gx/lineage.yaml).
    early = PARAMS.at(dt.date(2025, 1, 1))
    with pytest.raises(LoanTermsError, match="超过最高额度"):
        settle("gx.startup.loan", _terms(20_000_001, "0.0395", "0.0345", 360, person=True), early)
    with pytest.raises(LoanTermsError, match="没有贷款额度参数"):  # before the earliest basis: refused, not guessed
        settle("gx.startup.loan", _terms(100, "0.0395", "0.0345", 360, person=True), PARAMS.at(dt.date(2024, 12, 31)))


@given(st.integers(1, 300_000_000), st.integers(1, 3 * 366), st.integers(0, 100_000))
def test_a_subsidy_never_exceeds_the_interest_and_grows_with_the_loan(principal: int, days: int, ppm: int) -> None:
    p = PARAMS.at(dt.date(2026, 1, 5))
    rate = str(Decimal(ppm) / 1_000_000)
    one = settle("xxq.startup.loan", _terms(principal, rate, rate, days), p)
    interest = Decimal(principal) * Decimal(rate) * days / 360
    assert 0 <= one.subsidy_fen <= interest + 1
    if principal < 300_000_000:
        more = settle("xxq.startup.loan", _terms(principal + 1, rate, rate, days), p)
        assert more.subsidy_fen >= one.subsidy_fen
