"""Declared status facts against derived ones (jiuye.engine.statuses): the declared one wins where
it covers the day, and the basis says which one decided."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from jiuye.engine import statuses as st
from jiuye.engine.measure import Unit
from jiuye.errors import FactsError
from jiuye.facts import facts_from_data
from jiuye.facts.tables import empty_table

D = dt.date
AS_OF = D(2025, 10, 1)


def _eval(status: st.Status, unit: Unit = Unit.person, **values: object) -> tuple[object, object]:
    """(value, basis) of a status on a one-row unit table with the given columns set."""
    schema = empty_table(unit).schema
    row = pl.DataFrame({k: [values.get(k)] for k in schema}, schema=schema)
    out = row.select(status.value.alias("value"), status.basis.alias("basis"))
    return out["value"].item(), out["basis"].item()


REGISTRATION_ENDED = {
    "person_unemployment_registered_on": D(2025, 1, 10),
    "person_unemployment_registration_ended_on": D(2025, 3, 1),
}


def test_registered_since_a_date_wins_over_registration_dates_that_ended() -> None:
    stated = {**REGISTRATION_ENDED, "person_registered_unemployed_since": D(2025, 6, 1)}
    value, basis = _eval(st.registered_unemployed(pl.lit(D(2025, 7, 1)), AS_OF), **stated)
    assert (value, basis) == (True, "失业登记状态：已申报（2025年6月1日起）")
    # the stated spell began on 1 June: before it the stated status says "not registered"
    assert _eval(st.registered_unemployed(pl.lit(D(2025, 5, 31)), AS_OF), **stated)[0] is False
    # without the statement the same dates say: not registered on 1 July
    assert _eval(st.registered_unemployed(pl.lit(D(2025, 7, 1)), AS_OF), **REGISTRATION_ENDED) == (
        False,
        "失业登记状态：由登记日期推算",
    )


def test_a_status_stated_without_a_date_covers_the_evaluation_date_only() -> None:
    registered = {"person_unemployment_registered_on": D(2025, 1, 10), "person_registered_unemployed": False}
    assert _eval(st.registered_unemployed(pl.lit(AS_OF), AS_OF), **registered) == (
        False,
        "失业登记状态：已申报未处于登记状态",
    )
    # an earlier hire is judged by the dates: the statement says nothing about that day
    assert _eval(st.registered_unemployed(pl.lit(D(2025, 2, 1)), AS_OF), **registered) == (
        True,
        "失业登记状态：由登记日期推算",
    )
    stated_yes = {"person_registered_unemployed": True}
    assert _eval(st.registered_unemployed(pl.lit(AS_OF), AS_OF), **stated_yes) == (
        True,
        "失业登记状态：已申报处于登记状态",
    )
    assert _eval(st.registered_unemployed(pl.lit(D(2025, 2, 1)), AS_OF), **stated_yes) == (None, None)


def test_registration_months_count_from_the_stated_start() -> None:
    stated = {**REGISTRATION_ENDED, "person_registered_unemployed_since": D(2025, 3, 15)}
    value, basis = _eval(st.registered_months(pl.lit(D(2025, 9, 15)), AS_OF), **stated)
    assert value == 6  # 15 March → 14 September: six whole months
    assert basis == "失业登记时长：按申报的登记起始日期（2025年3月15日）计算"
    value, basis = _eval(st.registered_months(pl.lit(D(2025, 9, 15)), AS_OF), **REGISTRATION_ENDED)
    assert (value, basis) == (8, "失业登记时长：按失业登记日期计算")
    assert _eval(st.registered_months(pl.lit(D(2025, 9, 15)), AS_OF)) == (None, None)


@pytest.mark.parametrize(
    ("day", "member"),
    [(D(2024, 12, 31), False), (D(2025, 1, 5), True), (D(2025, 6, 30), True), (D(2025, 7, 1), False)],
)
def test_a_dated_list_entry_decides_membership_on_the_day(day: dt.date, member: bool) -> None:
    entry = {
        "person_difficult_person": True,  # the undated yes loses to the dated entry
        "person_difficult_person_since": D(2025, 1, 5),
        "person_difficult_person_until": D(2025, 6, 30),  # the last day on the list still counts
    }
    value, basis = _eval(st.listed("difficult_person", pl.lit(day)), **entry)
    assert value is member
    assert basis == "就业困难人员名单：2025年1月5日至2025年6月30日"


def test_an_undated_list_answer_holds_for_any_day() -> None:
    assert _eval(st.listed("poverty_alleviated", pl.lit(D(2020, 1, 1))), person_poverty_alleviated=False) == (
        False,
        "脱贫劳动力：已申报不属于",
    )
    assert _eval(st.listed("disabled", pl.lit(D(2020, 1, 1))), person_disabled=True) == (
        True,
        "残疾人：已申报属于（未注明列入日期）",
    )
    assert _eval(st.listed("disabled", pl.lit(D(2020, 1, 1)))) == (None, None)


def test_stated_insurance_wins_over_the_month_count() -> None:
    not_insured = {"person_ui_insured": False, "person_ui_contribution_months": 24}
    assert _eval(st.insured_months_at_least(12, pl.lit(AS_OF)), **not_insured) == (
        False,
        "失业保险参保：已申报未参保",
    )
    since = {"person_ui_insured": True, "person_ui_insured_since": D(2024, 10, 1), "person_ui_contribution_months": 3}
    assert _eval(st.insured_months_at_least(12, pl.lit(AS_OF)), **since) == (
        True,
        "失业保险参保：已申报（2024年10月1日起参保，满12个月）",
    )
    assert _eval(st.insured_months_at_least(13, pl.lit(AS_OF)), **since)[0] is False
    # stated "insured" without a start date: the count decides
    counted = {"person_ui_insured": True, "person_ui_contribution_months": 12}
    assert _eval(st.insured_months_at_least(12, pl.lit(AS_OF)), **counted) == (
        True,
        "失业保险参保：由累计缴费月数推算",
    )


def test_a_certificate_stated_held_or_not_wins_over_its_issue_date() -> None:
    held = st.certificate_held(pl.lit(AS_OF))
    assert _eval(held, Unit.certificate, certificate_held=False) == (False, "证书：已申报尚未取得")
    assert _eval(held, Unit.certificate, certificate_held=True) == (True, "证书：已申报已取得")
    assert _eval(held, Unit.certificate, certificate_issued_on=D(2025, 10, 2)) == (
        False,
        "证书：按发证日期（2025年10月2日）判断",
    )
    assert _eval(held, Unit.certificate) == (None, None)


def test_the_model_accepts_the_facts_a_status_is_stated_with() -> None:
    facts = facts_from_data(
        {
            "persons": [
                {
                    "id": "P1",
                    "registered_unemployed": True,
                    "registered_unemployed_since": "2025-03-01",
                    "ui_insured": True,
                    "ui_insured_since": "2024-01-01",
                    "poverty_monitoring_since": "2024-05-01",
                    "startup_loan_applied_on": "2025-09-01",
                    "startup_loan_amount": "200000",
                }
            ],
            "certificates": [{"person": "P1", "level": "senior", "held": False}],
        }
    )
    assert facts.persons[0].registered_unemployed_since == D(2025, 3, 1)
    assert facts.certificates[0].held is False


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (
            {"persons": [{"id": "P1", "registered_unemployed": False, "registered_unemployed_since": "2025-01-01"}]},
            "失业登记起始日期",
        ),
        ({"persons": [{"id": "P1", "ui_insured": False, "ui_insured_since": "2025-01-01"}]}, "失业保险参保起始日期"),
        (
            {
                "persons": [
                    {"id": "P1", "low_income_family_since": "2025-03-01", "low_income_family_until": "2025-02-01"}
                ]
            },
            "低保家庭成员名单的截止日期早于起始日期",
        ),
        (
            {
                "persons": [{"id": "P1"}],
                "certificates": [{"person": "P1", "level": "junior", "held": False, "issued_on": "2025-01-01"}],
            },
            "尚未取得证书，却填写了发证日期",
        ),
    ],
)
def test_a_status_contradicting_its_own_dates_is_rejected(data: dict[str, object], fragment: str) -> None:
    with pytest.raises(FactsError, match=fragment):
        facts_from_data(data)
