"""What explaining reads from an epoch's rule (jiuye.engine.rule_text) is derived once and kept
with the epoch: later documents reuse it, and explaining reads no parameter the rows did not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jiuye.calculator import calculate, evaluate
from jiuye.engine import plans
from jiuye.engine.explain import decisions_of
from jiuye.engine.rule_text import RuleText
from jiuye.facts import facts_from_data
from jiuye.policies.registry import get_measure
from random_facts import random_facts

AS_OF = dt.date(2025, 12, 31)


def test_an_epochs_texts_are_derived_once_for_every_document(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[RuleText] = []
    init = RuleText.__init__

    def counted(self: RuleText, *args: Any) -> None:
        init(self, *args)
        built.append(self)

    monkeypatch.setattr(RuleText, "__init__", counted)
    monkeypatch.setattr(plans, "_plans", {})  # cold: no epoch explained yet
    measure = get_measure("gx.expansion")  # once per hire: each run labels its once conditions anew
    epochs: set[int] = set()
    for seed in [s for s in range(60) if random_facts(s).get("employments")][:8]:
        facts = facts_from_data(random_facts(seed, tag=f"T{seed}-"))
        runs, params, _ = evaluate(facts, as_of=AS_OF, region="450103", measures=[measure])
        for run in runs:
            decisions_of(run, params.at(AS_OF))
            epochs |= {id(e) for e in run.epochs}
    assert 0 < len(built) <= len(epochs)


def test_explaining_reads_no_parameter_the_evaluation_did_not() -> None:
    for seed in range(30):
        facts = facts_from_data(random_facts(seed, tag=f"N{seed}-"))
        runs, params, _ = evaluate(facts, as_of=dt.date(2024, 6, 30), region="450103")
        for run in runs:
            before = [(dict(e.params.used), set(e.params.missing)) for e in run.epochs]
            decisions_of(run, params.at(AS_OF))
            assert [(dict(e.params.used), set(e.params.missing)) for e in run.epochs] == before, run.measure.id


def test_a_decision_reads_as_the_rows_say_whichever_document_came_first() -> None:
    one, two = (facts_from_data(random_facts(s, tag=f"O{s}-")) for s in (3, 4))
    first = calculate(two, as_of=AS_OF, region="450103").decisions
    calculate(one, as_of=AS_OF, region="450103")
    assert calculate(two, as_of=AS_OF, region="450103").decisions == first
