"""Policy diff: which measures started, ended or changed a parameter between two dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiuye.errors import JiuyeError
from jiuye.params import ParameterSet, Reference, ValueEntry, load_parameters
from jiuye.policies.diff import END_KEYS, MeasureDiff, policy_diff
from jiuye.policies.measure_params import measure_parameter_uses, own_parameters
from jiuye.policies.registry import all_measures, get_measure
from jiuye.regions import contains

D = dt.date
PARAMS = load_parameters()


def _diff(params: ParameterSet, start: dt.date, end: dt.date, region: str | None = None) -> dict[str, MeasureDiff]:
    return {d.measure: d for d in policy_diff(all_measures(), params, start=start, end=end, region=region)}


def _event(found: MeasureDiff, kind: str) -> dt.date | None:
    return next((e.date for e in found.events if e.kind == kind), None)


def test_the_2025_diff_for_a_district_lists_every_measure_that_ends_with_2025() -> None:
    found = _diff(PARAMS, D(2025, 1, 1), D(2026, 1, 1), "450103")
    expected = set()
    for measure in all_measures():
        territory = PARAMS[f"common.jurisdiction.{measure.jurisdiction}"].entries[-1].value
        if not contains(territory, "450103"):
            continue
        for name in own_parameters(measure, PARAMS):
            value = PARAMS[name].entries[-1].value
            if name.rsplit(".", 1)[-1] in END_KEYS and isinstance(value, dt.date) and value.year == 2025:
                expected.add(measure.id)
    assert expected >= {"gx.expansion", "gx.ui.refund", "xxq.tax.hire", "xxq.si.defer", "gx.si.keygroup"}
    for measure_id in expected:
        assert _event(found[measure_id], "ended") == D(2025, 12, 31), measure_id
    ended = next(e for e in found["gx.ui.refund"].events if e.kind == "ended")
    assert ended.source.quote.endswith("政策执行期限至2025年12月底")  # the latest document that says so
    # cn.soe.hire runs to 2026-12-31: listed (it started in 2025) but not as ending.
    assert _event(found["cn.soe.hire"], "ended") is None


def test_the_2025_diff_shows_the_raised_refund_ratios_with_their_clause() -> None:
    refund = _diff(PARAMS, D(2025, 1, 1), D(2026, 1, 1), "450103")["gx.ui.refund"]
    changes = {c.name: c for c in refund.changes}
    for name, raised in (("ratio_related_sme", "90%"), ("ratio_related_large", "50%")):
        change = changes[f"gx.ui.refund.{name}"]
        assert change.new == raised
        if change.kind == "retroactive":  # dated back to the year's start, published in August
            assert change.known_then == "（无）" and any(s.retroactive for s in change.steps)
        else:
            assert change.kind in ("added", "changed")
        assert change.source is not None
        # gxys（十四） and gx38（二） both raise them (提至 / 提高至).
        assert change.source.citation in ("广西人社厅行动方案（2025）（十四）", "桂人社发〔2025〕38号（二）")
        assert f"至{raised}" in change.source.quote
        assert change.source.assumption is None
        assert any("相关企业" in g for g in change.governs)
    # A condition taken from the national rule is marked as a named assumption.
    layoffs = changes["gx.ui.refund.max_layoff_rate"]
    assert layoffs.new == "5.5%" and layoffs.source is not None and layoffs.source.assumption


def test_region_keeps_only_measures_whose_jurisdiction_covers_it() -> None:
    liuzhou = _diff(PARAMS, D(2025, 1, 1), D(2026, 1, 1), "450202")
    assert not [m for m in liuzhou if m.startswith("xxq.")]
    assert "gx.expansion" in liuzhou and "cn.soe.hire" in liuzhou
    everywhere = _diff(PARAMS, D(2025, 1, 1), D(2026, 1, 1))
    assert "xxq.tax.hire" in everywhere and set(liuzhou) < set(everywhere)


def test_a_measure_starts_only_when_its_first_day_falls_inside_the_window() -> None:
    """The first day is the latest first value of the parameters it reads (whatever the data say)."""
    for measure_id in ("gx.expansion", "xxq.tax.hire"):
        names = measure_parameter_uses(get_measure(measure_id), PARAMS, [D(2025, 12, 31)])
        first = max(PARAMS[n].entries[0].since for n in names)
        year = dt.timedelta(days=366)  # late enough for every document to be published
        before = _diff(PARAMS, first - dt.timedelta(days=1), first + year).get(measure_id)
        assert before is not None and _event(before, "started") == first, measure_id
        after = _diff(PARAMS, first, first + year).get(measure_id)
        assert after is None or _event(after, "started") is None, measure_id
    # Nothing dated or published between two days when it is in force: not listed at all.
    assert "gx.expansion" not in _diff(PARAMS, D(2025, 9, 10), D(2025, 11, 30))


def test_a_dated_value_in_the_window_is_a_change_with_old_and_new_values() -> None:
    params = PARAMS.with_value("gx.expansion.amount_per_person", D(2025, 10, 1), Decimal(2000), note="测试：提高标准")
    found = _diff(params, D(2025, 9, 10), D(2025, 11, 1))["gx.expansion"]
    (change,) = found.changes
    assert (change.kind, change.old, change.new) == ("changed", "1,500.00元", "2,000.00元")
    assert change.source is not None and change.source.assumption == "测试：提高标准"
    assert change.governs == ("金额",)
    assert not found.events
    assert "gx.expansion" not in _diff(params, D(2025, 9, 10), D(2025, 9, 30))


def test_a_repealed_rate_ends_the_measure_and_is_no_longer_set() -> None:
    rates = _diff(PARAMS, D(2025, 9, 1), D(2026, 1, 1))["gx.si.rates"]
    assert _event(rates, "ended") == D(2025, 12, 31)
    total = next(c for c in rates.changes if c.name == "gx.si.rates.ui_total_rate")
    assert (total.kind, total.old, total.new) == ("removed", "1%", "（未规定）")
    assert xxq_pension_cut() == ("changed", "18%", "16%")


def xxq_pension_cut() -> tuple[str, str, str]:
    found = _diff(PARAMS, D(2025, 4, 30), D(2025, 5, 1))["xxq.si.rates"]
    change = next(c for c in found.changes if c.name == "xxq.si.rates.employer_pension_rate")
    return change.kind, change.old, change.new


def test_a_value_counts_only_once_its_document_is_published_by_the_later_date() -> None:
    """gx38 is dated 2025-09-10: a value it sets for events from 2025-03-01 is unknown in June."""
    name = "xxq.tax.hire.annual_quota_veteran"
    assert name in PARAMS
    entry = ValueEntry(
        D(2025, 3, 1), Decimal(10000), Reference("gx38", "（六）", "测试用引文"), published=D(2025, 9, 10)
    )
    params = ParameterSet({**PARAMS.params, name: PARAMS[name].with_entry(entry)})
    assert "xxq.tax.hire" not in _diff(params, D(2025, 4, 1), D(2025, 6, 30))
    found = _diff(params, D(2025, 4, 1), D(2025, 10, 1))["xxq.tax.hire"]
    change = next(c for c in found.changes if c.name == name)
    assert change.kind == "retroactive" and change.new == "10,000.00元" and change.old == "10,000.00元"
    assert change.known_then == "9,000.00元"  # as known on 1 April
    (step,) = change.steps
    assert step.retroactive and step.since == D(2025, 3, 1) and step.published == D(2025, 9, 10)


def test_parameter_uses_name_the_conditions_they_govern() -> None:
    measure = get_measure("gx.expansion")
    uses = measure_parameter_uses(measure, PARAMS, [D(2025, 12, 31)])
    assert uses["common.jurisdiction.gx"] == ["适用地区"]
    assert "金额" in uses["gx.expansion.amount_per_person"]
    assert any("{gx.expansion.period_end}" in label or "期限" in label for label in uses["gx.expansion.period_end"])
    assert set(own_parameters(measure, PARAMS)) <= set(uses)


def test_the_later_date_may_not_precede_the_earlier() -> None:
    with pytest.raises(JiuyeError, match="早于起始日"):
        policy_diff(all_measures(), PARAMS, start=D(2026, 1, 1), end=D(2025, 1, 1))
