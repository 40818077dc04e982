"""Near misses (差一点): exactly one condition false, every other one true; how far it is, in words."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import pytest

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.calculator import calculate, prior_grants_frame
from jiuye.engine.evaluate import run_measure
from jiuye.engine.gap import Gap, GapUnit, count_short_of_share, excess, excess_ppm, format_gap, outside, shortfall
from jiuye.engine.measure import Condition, Measure, Unit, cite
from jiuye.engine.near_miss import near_misses_off, with_near_miss
from jiuye.engine.near_miss_text import ONLY_THIS, describe_near_misses, near_miss_catalog
from jiuye.facts import facts_from_data
from jiuye.facts.tables import build_tables
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures
from random_facts import random_facts

AS_OF = dt.date(2025, 12, 31)
col = pl.col
C = cite("gx38", "（六）")

# ---- gaps and their numbers, one unit kind at a time ------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (1, GapUnit.months, "1"),
        (-3, GapUnit.years, "3"),  # a range's other side: the words carry the direction
        (12, GapUnit.days, "12"),
        (2, GapUnit.persons, "2"),
        (5, GapUnit.items, "5"),
        (3000, GapUnit.ppm, "0.3"),  # 0.3 percentage points
        (20000, GapUnit.ppm, "2"),
        (1, GapUnit.ppm, "0.01"),  # just over the line never reads as 0
        (278334, GapUnit.ppm, "27.84"),  # rounded up to 0.01
        (150050, GapUnit.fen, "1500.50"),
        (7, GapUnit.fen, "0.07"),
    ],
)
def test_a_gap_is_written_for_its_unit(amount: int, unit: GapUnit, text: str) -> None:
    assert format_gap(amount, unit) == text


def test_gap_arithmetic_is_in_integers_and_rounds_against_the_entity() -> None:
    frame = pl.DataFrame({"n": [58, 55, 0, 7], "d": [1000, 1000, 10, 30], "k": [1, 3, 5, 40]})
    got = frame.select(
        excess_ppm(col("n"), col("d"), 55_000).alias("rate_over"),  # 5.8% − 5.5% = 0.3 pp = 3000 ppm
        count_short_of_share(col("k"), 250_000, col("d")).alias("persons_short"),  # ceil(25% × d) − k
        shortfall(col("k"), 3).alias("short"),
        excess(col("k"), 35).alias("over"),
        outside(col("k"), 3, 12).alias("outside"),
    )
    assert got.to_dict(as_series=False) == {
        "rate_over": [3000, 0, -55000, 178334],
        "persons_short": [249, 247, -2, -32],
        "short": [2, 0, -2, -37],
        "over": [-34, -32, -30, 5],
        "outside": [-2, 0, 0, 28],
    }


# ---- which rows are near misses: a measure made for the test --------------------------------


def _measure() -> Measure:
    return Measure(
        id="gx.expansion",  # a real id, so that the catalogue and citations resolve
        title="测试措施",
        unit=Unit.person,
        beneficiary="person",
        jurisdiction="gx",
        sources=(C,),
        summary="测试",
        conditions=(
            Condition(
                "months",
                "缴费满3个月",
                C,
                lambda p: col("person_m") >= 3,
                Gap(lambda p: shortfall(col("person_m"), 3), GapUnit.months, "缴费差{}个月"),
            ),
            Condition(
                "age",
                "16—24岁",
                C,
                lambda p: (col("person_age") >= 16) & (col("person_age") <= 24),
                Gap(lambda p: outside(col("person_age"), 16, 24), GapUnit.years, "年龄超出{}岁", "年龄差{}岁"),
            ),
            Condition(
                "money",
                "收入不超过1000元且已申报",
                C,
                lambda p: (col("person_fen") <= 100_000) & col("person_filed"),
                Gap(lambda p: excess(col("person_fen"), 100_000), GapUnit.fen, "收入超出{}元"),
            ),
            Condition("contract", "签订劳动合同", C, lambda p: col("person_contract")),
        ),
    )


_ROWS: list[dict[str, Any]] = [
    # id, region, months, age, fen, filed, contract → near miss, gap
    {"id": "all-pass", "region": "450103", "m": 3, "age": 20, "fen": 100_000, "filed": True, "contract": True},
    {"id": "one-month", "region": "450103", "m": 2, "age": 20, "fen": 0, "filed": True, "contract": True},
    {"id": "one-year-over", "region": "450103", "m": 5, "age": 25, "fen": 0, "filed": True, "contract": True},
    {"id": "two-years-under", "region": "450103", "m": 5, "age": 14, "fen": 0, "filed": True, "contract": True},
    {"id": "fen-over", "region": "450103", "m": 5, "age": 20, "fen": 100_050, "filed": True, "contract": True},
    {"id": "not-filed", "region": "450103", "m": 5, "age": 20, "fen": 0, "filed": False, "contract": True},
    {"id": "no-contract", "region": "450103", "m": 5, "age": 20, "fen": 0, "filed": True, "contract": False},
    {"id": "two-fail", "region": "450103", "m": 2, "age": 25, "fen": 0, "filed": True, "contract": True},
    {"id": "fail-and-unknown", "region": "450103", "m": 2, "age": None, "fen": 0, "filed": True, "contract": True},
    {"id": "elsewhere-only", "region": "440103", "m": 5, "age": 20, "fen": 0, "filed": True, "contract": True},
    {"id": "elsewhere-and-one", "region": "440103", "m": 2, "age": 20, "fen": 0, "filed": True, "contract": True},
]
_EXPECTED = {
    "all-pass": (None, None, None),
    "one-month": ("months", 1, "缴费差1个月"),
    "one-year-over": ("age", 1, "年龄超出1岁"),
    "two-years-under": ("age", -2, "年龄差2岁"),
    "fen-over": ("money", 50, "收入超出0.50元"),
    "not-filed": ("money", None, ONLY_THIS),  # fails on the part the gap does not measure
    "no-contract": ("contract", None, ONLY_THIS),  # a condition without a gap: the key, no distance
    "two-fail": (None, None, None),
    "fail-and-unknown": (None, None, None),  # "all others true" must be known
    "elsewhere-only": (None, None, None),  # the jurisdiction is never "nearly" met
    "elsewhere-and-one": (None, None, None),
}


def _table() -> pl.DataFrame:
    return pl.DataFrame(
        [{f"person_{k}": v for k, v in row.items()} for row in _ROWS],
        schema={
            "person_id": pl.String,
            "person_region": pl.String,
            "person_m": pl.Int64,
            "person_age": pl.Int64,
            "person_fen": pl.Int64,
            "person_filed": pl.Boolean,
            "person_contract": pl.Boolean,
        },
    ).with_row_index("row_id")


def _run(params: ParameterSet, *, keep_trace: bool = False, as_of: dt.date = AS_OF) -> pl.DataFrame:
    run = run_measure(
        _measure(),
        _table(),
        params=params,
        as_of=as_of,
        default_region=None,
        location=("person_region",),
        keep_trace=keep_trace,
    )
    return run.lazy.collect()


def test_exactly_one_failed_condition_is_a_near_miss_with_its_distance(params: ParameterSet) -> None:
    rows = _run(params)
    described = describe_near_misses(
        rows.with_columns(pl.lit("gx.expansion").alias("measure")), near_miss_catalog([_measure()], params.at(AS_OF))
    )
    got = {r["subject_id"]: (r["near_miss"], r["near_miss_gap"], r["near_miss_text"]) for r in described.to_dicts()}
    assert got == _EXPECTED
    flagged = rows.filter(pl.col("near_miss").is_not_null())
    assert set(flagged["status"]) == {"ineligible"}


def test_near_misses_can_be_left_out_and_cost_nothing_then(params: ParameterSet) -> None:
    with near_misses_off():
        rows = _run(params)
    assert rows["near_miss"].null_count() == rows.height
    assert rows["near_miss_gap"].null_count() == rows.height
    assert rows.drop("near_miss", "near_miss_gap").equals(_run(params).drop("near_miss", "near_miss_gap"))


def test_a_measure_not_in_force_has_no_near_misses(params: ParameterSet) -> None:
    rows = _run(params, keep_trace=True).drop("near_miss", "near_miss_gap")
    conditions = [_jurisdiction(), *_measure().conditions]
    p = params.at(AS_OF)
    assert with_near_miss(rows.lazy(), conditions, p, in_force=True).collect()["near_miss"].drop_nulls().len() == 6
    absent = with_near_miss(rows.lazy(), conditions, p, in_force=False).collect()
    assert absent["near_miss"].null_count() == absent.height


def _jurisdiction() -> Condition:
    return Condition("jurisdiction", "所在地", C, lambda p: pl.lit(value=True))


def test_a_measure_with_a_single_condition_has_no_near_misses(params: ParameterSet) -> None:
    only = _measure()
    single = dataclasses.replace(only, conditions=only.conditions[:1])
    run = run_measure(
        single, _table(), params=params, as_of=AS_OF, default_region=None, location=("person_region",), keep_trace=False
    )
    rows = run.lazy.collect()
    assert rows.filter(pl.col("subject_id") == "one-month")["status"].item() == "ineligible"
    assert rows["near_miss"].null_count() == rows.height  # failing its one condition is just failing


# ---- real measures, as the calculator shows them --------------------------------------------


def _reasons(doc: dict[str, Any], measure: str, as_of: dt.date = AS_OF) -> list[str]:
    report = calculate(facts_from_data(doc), as_of=as_of, region="450103")
    (decision,) = [d for d in report.decisions if d.measure == measure]
    return decision.reasons


def _hire(months: int, *, contract: bool = True) -> dict[str, Any]:
    return {
        "employers": [{"id": "E1", "name": "某公司", "kind": "enterprise", "region": "450103"}],
        "persons": [
            {
                "id": "P1",
                "name": "李青",
                "birth_date": "2003-05-01",
                "college_graduate": True,
                "graduation_date": "2025-06-30",
                "employed_since_graduation": False,
            }
        ],
        "employments": [
            {
                "person": "P1",
                "employer": "E1",
                "hire_date": "2025-10-01",
                "labour_contract": contract,
                "contract_months": 12,
                "months_paid_ui": months,
                "months_paid_injury": months,
                "months_paid_pension": months,
            }
        ],
    }


def test_a_hire_one_contribution_month_short_reads_one_month_short() -> None:
    reasons = _reasons(_hire(2), "gx.expansion")
    assert any(r.startswith("不符合：足额缴纳") for r in reasons)
    assert "差一点：缴费差1个月" in reasons


def test_a_hire_short_of_contributions_and_without_a_contract_is_no_near_miss() -> None:
    reasons = _reasons(_hire(2, contract=False), "gx.expansion")
    assert sum(r.startswith("不符合") for r in reasons) == 2
    assert not any("差一点" in r for r in reasons)


def test_an_intern_one_year_too_old_reads_one_year_over() -> None:
    doc = {
        "employers": [
            {"id": "E1", "name": "某公司", "kind": "enterprise", "region": "450103", "internship_base": True}
        ],
        "persons": [
            {
                "id": "P1",
                "name": "蒙某",
                "birth_date": "2000-01-01",
                "college_graduate": False,
                "unemployment_registered_on": "2025-01-15",
            }
        ],
        "internships": [{"person": "P1", "employer": "E1", "start_date": "2025-03-01", "planned_months": 6}],
    }
    assert "差一点：年龄超出1岁" in _reasons(doc, "xxq.intern")


def test_an_enterprise_whose_layoff_rate_is_over_by_a_third_of_a_point() -> None:
    doc = {
        "employers": [
            {
                "id": "E1",
                "name": "某公司",
                "kind": "enterprise",
                "industry": "C39",
                "staff": 1200,
                "revenue": 60000,
                "region": "450103",
                "related_enterprise": False,
                "insured_staff": 1000,
                "ui_paid_months": 36,
                "layoffs_last_year": 58,
                "ui_contributions_last_year": "520000",
            }
        ],
    }
    assert "差一点：裁员率超出0.3个百分点" in _reasons(doc, "gx.ui.refund", dt.date(2025, 11, 1))


def test_an_enterprise_two_points_short_of_a_labour_shortage() -> None:
    doc = {"employers": [{"id": "E1", "name": "某公司", "kind": "enterprise", "region": "450103", "staff": 92,
                          "vacancies": 8}]}  # fmt: skip  # 8 ÷ (92 + 8) = 8%, the line is "over 10%"
    assert "差一点：缺工率差2个百分点" in _reasons(doc, "gx.shortage")


# ---- the batch says what the single case says ----------------------------------------------


def _merge(docs: list[dict[str, list[dict[str, object]]]]) -> dict[str, list[dict[str, object]]]:
    merged: dict[str, list[dict[str, object]]] = {}
    for doc in docs:
        for key, rows in doc.items():
            merged.setdefault(key, []).extend(rows)
    return merged


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2025, 7, 1)])
def test_batch_and_single_case_flag_the_same_near_misses(as_of: dt.date, params: ParameterSet) -> None:
    docs = [random_facts(seed, tag=f"N{seed}-") for seed in range(24)]
    single: dict[tuple[str, str], set[str]] = {}
    for doc in docs:
        for d in calculate(facts_from_data(doc), as_of=as_of, region="450103", params=params).decisions:
            if d.status == "ineligible":
                single[(d.measure, d.subject_id)] = {x.near_miss for x in d.lines if x.near_miss}
    merged = facts_from_data(_merge(docs))
    prior = prior_grants_frame(merged)
    rows = evaluate_batch(build_tables(merged), as_of=as_of, region="450103", params=params, prior=prior)
    decided = decide_batch(rows)
    p = params.at(as_of)
    described = describe_near_misses(decided, near_miss_catalog(all_measures(), p))
    batch = {
        (r["measure"], r["subject_id"]): r["near_miss_text"]
        for r in described.filter(pl.col("status") == "ineligible").iter_rows(named=True)
    }
    assert batch.keys() == single.keys()
    flagged = {k for k, v in batch.items() if v is not None}
    assert flagged == {k for k, texts in single.items() if texts}
    assert flagged, "随机数据应有差一点的对象"
    assert all(batch[k] in single[k] for k in flagged)  # the closest of the lines the single case shows
