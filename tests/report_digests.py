"""SHA-256 of the JSON report of random facts documents: proof that a change to how decisions are
explained leaves every report byte for byte as it was (``tests/test_report_digests.py``).

``tests/data/report_digests.json`` was written by this script from the code *before* such a
change; regenerate it only on a commit whose reports are known good, when a change is meant to
alter reports (a policy text, a parameter, a new field):

    PYTHONPATH=src:tests .venv/bin/python tests/report_digests.py --write "$(git rev-parse HEAD)"

or from an earlier revision's code, this script and its documents kept (how the file was written
before the explanation was reworked: ``git archive REV src | tar -x -C DIR``, then the same
command with ``PYTHONPATH=DIR/src:tests``).

Each document is reported at two evaluation dates, as :func:`jiuye.calculator.calculate` gives it
("near misses"), and with the rows' near-miss columns emptied before they are explained
("plain"), the path of a row with no near miss. The JSON is hashed in its own key order, as
``jiuye eval --format json`` prints it; the engine version is left out: a release changes it,
not the reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from jiuye.calculator import Report, _resolve_exclusions, _rule_provenance, calculate, evaluate
from jiuye.engine.decision import Decision
from jiuye.engine.explain import decisions_of
from jiuye.engine.near_miss import NEAR_MISS, NEAR_MISS_GAP
from jiuye.engine.provenance import RuleProvenance, facts_hash, provenance_of
from jiuye.facts import facts_from_data
from jiuye.policies.registry import all_measures
from jiuye.report_json import report_json

sys.path.insert(0, str(Path(__file__).resolve().parent))

from random_facts import random_facts

#: {"revision": the commit whose code wrote the digests, "digests": {"seed/date/variant": sha256}}
GOLDEN = Path(__file__).resolve().parent / "data" / "report_digests.json"
SEEDS = range(1000, 1200)  # 200 documents
DATES = (dt.date(2024, 6, 30), dt.date(2025, 12, 31))
REGION = "450103"


def _digest(report: Report) -> str:
    data = report_json(report)
    data["provenance"].pop("engine_version")
    for decision in data["decisions"]:
        decision["provenance"].pop("engine_version")
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # in order, as `jiuye eval` prints it
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _report(facts: Any, as_of: dt.date, *, near_misses: bool) -> Report:
    """:func:`calculate`, step by step, with or without the rows' near misses."""
    chosen = all_measures()
    runs, params, region = evaluate(facts, as_of=as_of, region=REGION, measures=chosen)
    if not near_misses:
        for run in runs:
            run.collected = run.frame.with_columns(
                pl.lit(None, dtype=pl.String).alias(NEAR_MISS), pl.lit(None, dtype=pl.Int64).alias(NEAR_MISS_GAP)
            )
    resolved = params.at(as_of)
    decisions: list[Decision] = []
    for run in runs:
        decisions += decisions_of(run, resolved)
    _resolve_exclusions(decisions, {m.id: i for i, m in enumerate(chosen)})
    rules: dict[str, RuleProvenance] = {}
    for run in runs:
        rules.setdefault(run.measure.id, _rule_provenance(run))
    provenance = provenance_of(
        rules.values(), input_kind="facts", input_hash=facts_hash(facts), as_of=as_of, region=region
    )
    return Report(as_of, region, decisions, provenance)


def digests(seeds: range = SEEDS, *, whole_every: int = 10) -> dict[str, str]:
    """``"seed/date/variant"`` → the report's digest; every ``whole_every``-th document is also
    reported by :func:`calculate` itself, which must agree with its steps."""
    out = {}
    for seed in seeds:
        facts = facts_from_data(random_facts(seed, tag=f"R{seed}-"))
        for as_of in DATES:
            out[f"{seed}/{as_of}/near_misses"] = found = _digest(_report(facts, as_of, near_misses=True))
            out[f"{seed}/{as_of}/plain"] = _digest(_report(facts, as_of, near_misses=False))
            if seed % whole_every == 0:
                whole = _digest(calculate(facts, as_of=as_of, region=REGION))
                assert whole == found, f"calculate disagrees with its steps: {seed} {as_of}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", metavar="REV", help=f"write {GOLDEN}, noting the revision of the code that ran")
    args = parser.parse_args()
    found = digests()
    if args.write:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps({"revision": args.write, "digests": found}, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(found)} digests to {GOLDEN}")
        return
    golden = json.loads(GOLDEN.read_text())["digests"]
    differ = sorted(k for k in golden if found.get(k) != golden[k])
    print(f"{len(golden) - len(differ)} of {len(golden)} reports identical; differ: {differ[:10]}")


if __name__ == "__main__":
    main()
