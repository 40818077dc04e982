"""Benchmark: one facts document, warm, every decision with its full explanation (issue 13, item 2),
and the cold start of ``jiuye eval`` (item 4).

Run: .venv/bin/python benchmarks/single_case.py [--docs 200] [--cold 5]   (--docs 0: cold start only)

Per document, interleaved in one run: ``calculate`` as it is (plans cached per parameters and
date, :mod:`jiuye.engine.plans`) and the anchor, the uncached path it replaced (every measure
built again and collected with the default optimisations, then the same explanation); also the
unit tables alone, which both pay. Two measures (the expansion subsidy and the unemployment-
insurance refund) and all measures; median and p99 in ms. Then ``jiuye eval`` on an example as a
new process (wall and CPU seconds, median of ``--cold``) beside ``python -c "import polars"``,
``jiuye --help``, and the part of ``jiuye eval`` before evaluating (imports, parameters, measures).
The machine is shared: compare within a run; the load average is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from jiuye.calculator import Report, _resolve_exclusions, calculate, prior_grants_frame, with_overrides
from jiuye.engine.decision import Decision
from jiuye.engine.evaluate import collect_runs, run_measure
from jiuye.engine.explain import decisions_of
from jiuye.engine.measure import Measure
from jiuye.engine.provenance import RuleProvenance, facts_hash, provenance_of, run_provenance
from jiuye.engine.variants import with_variants
from jiuye.facts import facts_from_data
from jiuye.facts.model import Facts
from jiuye.facts.tables import UNITS, build_tables
from jiuye.params import ParameterSet, load_parameters
from jiuye.policies.registry import all_measures, get_measure
from random_facts import random_facts

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 12, 31)
REGION = "450103"
TWO = ("gx.expansion", "gx.ui.refund")


def uncached(facts: Facts, params: ParameterSet, chosen: list[Measure]) -> Report:
    """The single case before plans: each measure built and collected anew (the anchor)."""
    if facts.parameters:
        params = with_overrides(params, facts.parameters, "事实文件中的参数设定")
    measures = with_variants(chosen)
    built = build_tables(facts, {m.unit for m in measures})
    tables = {unit: t.with_row_index("row_id") for unit, t in built.items() if not t.is_empty()}
    prior = prior_grants_frame(facts)
    runs = collect_runs(
        [
            run_measure(
                m,
                tables[m.unit],
                params=params,
                as_of=AS_OF,
                default_region=REGION,
                location=UNITS[m.unit].location,
                key_date=UNITS[m.unit].key_date,
                prior=prior,
            )
            for m in measures
            if m.unit in tables
        ]
    )
    resolved = params.at(AS_OF)
    decisions: list[Decision] = []
    for run in runs:
        decisions += decisions_of(run, resolved)
    _resolve_exclusions(decisions, {m.id: i for i, m in enumerate(chosen)})
    rules: dict[str, RuleProvenance] = {}
    for run in runs:
        rules.setdefault(run.measure.id, run_provenance(run))
    digest = facts_hash(facts)
    provenance = provenance_of(rules.values(), input_kind="facts", input_hash=digest, as_of=AS_OF, region=REGION)
    return Report(AS_OF, REGION, decisions, provenance)


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _figures(ms: list[float]) -> str:
    ordered = sorted(ms)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"median {statistics.median(ms):7.2f} ms   p99 {p99:7.2f} ms"


def warm(docs: list[Facts], params: ParameterSet, chosen: list[Measure], label: str) -> None:
    for facts in docs[:5]:  # warm: plans built, caches filled
        calculate(facts, as_of=AS_OF, region=REGION, params=params, measures=chosen)
        uncached(facts, params, chosen)
    now: list[float] = []
    before: list[float] = []
    tables: list[float] = []
    units = {m.unit for m in with_variants(chosen)}
    for facts in docs:
        now.append(_timed(lambda f=facts: calculate(f, as_of=AS_OF, region=REGION, params=params, measures=chosen)))
        before.append(_timed(lambda f=facts: uncached(f, params, chosen)))
        tables.append(_timed(lambda f=facts: build_tables(f, units)))
    m_now, m_before, m_tables = (statistics.median(x) for x in (now, before, tables))
    ratio = m_before / m_now
    rest = (m_before - m_tables) / (m_now - m_tables)
    print(f"{label} ({len(chosen)} measures, {len(docs)} documents)")
    print(f"  calculate (cached plans):   {_figures(now)}")
    print(f"  anchor (uncached path):     {_figures(before)}")
    print(f"  unit tables alone:          {_figures(tables)}")
    print(f"  ratio anchor/cached: {ratio:.2f}× overall, {rest:.2f}× beyond the unit tables")


def _cold(command: Iterable[str], repeat: int, env: dict[str, str]) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        before = os.times()
        started = time.perf_counter()
        subprocess.run(list(command), check=True, capture_output=True, cwd=ROOT, env=env)
        walls.append(time.perf_counter() - started)
        after = os.times()
        cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
    return statistics.median(walls), statistics.median(cpus)


#: What ``jiuye eval`` does before evaluating: its imports, the document, the parameters and every
#: measure's declaration (issue 13's budget for this part: 0.3 s of the 0.5 s cold start).
_BEFORE_EVALUATION = """
import sys
from pathlib import Path
import jiuye.cli.app, jiuye.cli.evaluate
from jiuye.cli.output import loading
with loading():
    import jiuye.calculator, jiuye.report_json
    from jiuye.facts import load_facts
    from jiuye.params import load_parameters
    from jiuye.policies.registry import all_measures
    load_facts(Path(sys.argv[1])); load_parameters(); all_measures()
"""


def cold(repeat: int) -> None:
    """New processes as an installed package runs them: bytecode compiled (into a scratch
    ``PYTHONPYCACHEPREFIX``, the tree stays clean) and the parameter cache filled (in a scratch
    ``JIUYE_CACHE_DIR``) by one run first; then without the parameter cache."""
    example = str(ROOT / "examples" / "gx.expansion.yaml")
    scratch = Path(tempfile.mkdtemp(prefix="jiuye-cold-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "PYTHONPYCACHEPREFIX": str(scratch / "bytecode"),
        "JIUYE_CACHE_DIR": str(scratch / "cache"),
    }
    cli = [sys.executable, "-m", "jiuye.cli.app"]
    evaluation = [*cli, "eval", example, "--format", "json"]
    runs = {
        'python -c "import polars"': ([sys.executable, "-c", "import polars"], env),
        "jiuye --help": ([*cli, "--help"], env),
        "jiuye eval, up to evaluating": ([sys.executable, "-c", _BEFORE_EVALUATION, example], env),
        "jiuye eval (example, json)": (evaluation, env),
        "  the same, no parameter cache": (evaluation, {**env, "JIUYE_CACHE_DIR": ""}),
    }
    subprocess.run(evaluation, check=True, capture_output=True, cwd=ROOT, env=env)  # fills both caches
    print(f"cold start, new process each time (median of {repeat}; bytecode and parameters cached):")
    anchor: tuple[float, float] | None = None
    for label, (command, run_env) in runs.items():
        wall, cpu = _cold(command, repeat, run_env)
        anchor = anchor or (wall, cpu)
        ratios = f"{wall / anchor[0]:4.1f}× / {cpu / anchor[1]:4.1f}×"
        print(f"  {label:32s} wall {wall:5.2f} s   cpu {cpu:5.2f} s   {ratios} import polars (wall / cpu)")
    shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--cold", type=int, default=5)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.docs:  # --docs 0: the cold start alone
        params = load_parameters()
        docs = [facts_from_data(random_facts(seed, tag=f"D{seed}-")) for seed in range(args.docs)]
        warm(docs, params, [get_measure(m) for m in TWO], "two measures")
        warm(docs, params, all_measures(), "all measures")
    if args.cold:
        cold(args.cold)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
