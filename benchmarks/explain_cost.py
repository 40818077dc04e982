"""Benchmark: the explanation alone, per facts document, warm (issue 13, item 2: a single case
with its full explanation in milliseconds).

Run: .venv/bin/python benchmarks/explain_cost.py [--docs 200] [--rounds 2] [--anchor REV]

What :func:`jiuye.calculator.calculate` does after the evaluation: every decision with its lines,
reasons and assumptions (``decisions_of``), the choice among exclusive measures and each rule's
provenance, over all measures. Each document is evaluated once; its explanation is then timed
alone, warm (every epoch explained once before).

The anchor is the same explanation as the code was at ``--anchor`` (default: the revision whose
code wrote ``tests/data/report_digests.json``, before the explanation was derived once per
epoch; the reports are the same), checked out from git into a temporary directory and run in a
process of its own; the two processes alternate ``--rounds`` times over the same documents, so
both see the same load.
Also shown: the current code given the rows as dicts (what a path that evaluates on dict rows
passes), the facts digest each report carries, and the whole of ``calculate``. Median and p99
in ms, wall and CPU; the machine is shared: compare within a run; the load average is printed.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = "tests/data/report_digests.json"
AS_OF = "2025-12-31"
REGION = "450103"


def measure(docs: int) -> dict[str, list[tuple[float, float]]]:
    """In this process, whichever ``jiuye`` is on the path: (wall, CPU) ms per document."""
    import datetime as dt

    sys.path.insert(0, str(ROOT / "tests"))
    from jiuye.calculator import _resolve_exclusions, _rule_provenance, calculate, evaluate
    from jiuye.engine.decision import Decision
    from jiuye.engine.explain import decisions_of
    from jiuye.engine.provenance import facts_hash
    from jiuye.facts import facts_from_data
    from jiuye.policies.registry import all_measures
    from random_facts import random_facts

    as_of = dt.date.fromisoformat(AS_OF)
    chosen = all_measures()
    order = {m.id: i for i, m in enumerate(chosen)}
    takes_rows = "rows" in inspect.signature(decisions_of).parameters
    cases = []
    for seed in range(docs):
        facts = facts_from_data(random_facts(seed, tag=f"X{seed}-"))
        runs, params, _ = evaluate(facts, as_of=as_of, region=REGION, measures=chosen)
        cases.append((facts, runs, params.at(as_of), [run.frame.to_dicts() for run in runs]))

    def explain(runs: list[Any], resolved: Any, rows: list[Any] | None) -> None:
        decisions: list[Decision] = []
        for i, run in enumerate(runs):
            decisions += decisions_of(run, resolved) if rows is None else decisions_of(run, resolved, rows=rows[i])
        _resolve_exclusions(decisions, order)
        for run in runs:
            _rule_provenance(run)

    for _, runs, resolved, _ in cases:  # warm: every epoch explained once
        explain(runs, resolved, None)
    out: dict[str, list[tuple[float, float]]] = {
        "explain": [],
        "explain, given rows": [],
        "facts digest": [],
        "calculate (whole)": [],
    }
    for facts, runs, resolved, rows in cases:
        out["explain"].append(_timed(lambda r=runs, p=resolved: explain(r, p, None)))
        if takes_rows:
            out["explain, given rows"].append(_timed(lambda r=runs, p=resolved, d=rows: explain(r, p, d)))
        out["facts digest"].append(_timed(lambda f=facts: facts_hash(f)))
        out["calculate (whole)"].append(_timed(lambda f=facts: calculate(f, as_of=as_of, region=REGION)))
    return out


def _timed(fn: Any) -> tuple[float, float]:
    """Wall and CPU ms: on a loaded machine the CPU time is what the code costs, the wall time
    what a caller waited."""
    wall, cpu = time.perf_counter(), time.thread_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def _figures(ms: list[float]) -> str:
    ordered = sorted(ms)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"median {statistics.median(ms):6.2f} ms   p99 {p99:6.2f} ms"


def _child(src: Path, docs: int) -> dict[str, list[list[float]]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--child", "--docs", str(docs)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    found: dict[str, list[list[float]]] = json.loads(done.stdout.splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--anchor", help=f"git revision of the anchor (default: the one that wrote {GOLDEN})")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.docs)))
        return
    git = ["git", "-C", str(ROOT)]
    anchor = args.anchor or json.loads((ROOT / GOLDEN).read_text())["revision"]
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    subject = subprocess.check_output([*git, "log", "-1", "--format=%s", anchor], text=True)
    print(f"anchor: {anchor[:12]} ({subject[:70].strip()})")
    figures: dict[str, dict[str, list[list[float]]]] = {"anchor": {}, "current": {}}
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run([*git, "archive", anchor, "src"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        for _ in range(args.rounds):  # alternate, so that both see the same load
            for label, src in (("anchor", Path(tmp) / "src"), ("current", ROOT / "src")):
                for key, ms in _child(src, args.docs).items():
                    figures[label].setdefault(key, []).extend(ms)
    print(f"explanation of one document, all measures, warm ({args.docs} documents × {args.rounds} rounds):")
    for label, found in figures.items():
        for key, times in found.items():
            if times:
                wall, cpu = ([t[i] for t in times] for i in (0, 1))
                print(f"  {label:8s} {key:20s} wall {_figures(wall)}   cpu {_figures(cpu)}")
    for i, kind in enumerate(("wall", "cpu")):
        before, now = (statistics.median(t[i] for t in figures[x]["explain"]) for x in ("anchor", "current"))
        print(f"  ratio anchor/current (explain, median {kind}): {before / now:.1f}×")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
