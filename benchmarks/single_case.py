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
Also all measures on dict rows (``engine="rows"``, :mod:`jiuye.engine.row_case`) beside the
Polars path, and the row path's cost apart from running its row programs (``--rows-only``: that
comparison alone).
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
from typing import ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import polars as pl

from jiuye.calculator import Report, _resolve_exclusions, calculate, evaluate, prior_grants_frame, with_overrides
from jiuye.engine import plans, row_case, row_programs
from jiuye.engine.decision import Decision
from jiuye.engine.evaluate import collect_runs, run_measure
from jiuye.engine.explain import decisions_of
from jiuye.engine.measure import Measure
from jiuye.engine.provenance import RuleProvenance, facts_hash, provenance_of, run_provenance
from jiuye.engine.rowexpr.program import RowProgram, Stages
from jiuye.engine.variants import with_variants
from jiuye.facts import facts_from_data, row_tables
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
        calculate(facts, as_of=AS_OF, region=REGION, params=params, measures=chosen, engine="polars")
        uncached(facts, params, chosen)
    now: list[float] = []
    before: list[float] = []
    tables: list[float] = []
    units = {m.unit for m in with_variants(chosen)}
    for facts in docs:
        now.append(
            _timed(
                lambda f=facts: calculate(
                    f, as_of=AS_OF, region=REGION, params=params, measures=chosen, engine="polars"
                )
            )
        )
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


class _Timed:
    """A row program that adds the time it runs to a shared total (what the compiler owns)."""

    spent: ClassVar[list[float]] = [0.0]

    def __init__(self, program: RowProgram) -> None:
        self.program, self.schema = program, program.schema

    def __call__(self, rows: list[dict[str, object]]) -> None:
        started = time.perf_counter()
        self.program(rows)
        self.spent[0] += time.perf_counter() - started


def _timed_programs() -> None:
    """Every row program from now on timed (the caches of compiled programs are emptied)."""

    def compile_timed(stages: Stages, schema: dict[str, pl.DataType]) -> _Timed:
        return _Timed(row_programs.compile_stages(stages, schema))

    row_case.compile_stages = compile_timed  # type: ignore[assignment]
    row_tables.compile_stages = compile_timed  # type: ignore[assignment]
    row_tables._derived.cache_clear()
    plans._plans.clear()


def rows_vs_polars(docs: list[Facts], params: ParameterSet, chosen: list[Measure], label: str) -> None:
    """``calculate`` on dict rows (engine="rows") beside the Polars path, same documents, same run;
    and the row path's own cost: everything but the row programs (tables, settle, glue)."""
    for facts in docs[:5]:
        for engine in ("rows", "polars"):
            calculate(facts, as_of=AS_OF, region=REGION, params=params, measures=chosen, engine=engine)
    first = [
        _timed(lambda f=facts: calculate(f, as_of=AS_OF, region=REGION, params=params, measures=chosen))
        for facts in docs
    ]
    rows: list[float] = []
    polars: list[float] = []
    evaluated: list[float] = []
    programs: list[float] = []
    tables: list[float] = []
    units = {m.unit for m in with_variants(chosen)}
    for facts in docs:
        rows.append(_timed(lambda f=facts: calculate(f, as_of=AS_OF, region=REGION, params=params, measures=chosen)))
        polars.append(
            _timed(
                lambda f=facts: calculate(
                    f, as_of=AS_OF, region=REGION, params=params, measures=chosen, engine="polars"
                )
            )
        )
        before = _Timed.spent[0]
        evaluated.append(
            _timed(lambda f=facts: evaluate(f, as_of=AS_OF, region=REGION, params=params, measures=chosen))
        )
        programs.append((_Timed.spent[0] - before) * 1000)
        before = _Timed.spent[0]
        spent = _timed(lambda f=facts: row_tables.row_tables(f, units))
        tables.append(spent - (_Timed.spent[0] - before) * 1000)
    own = [e - p for e, p in zip(evaluated, programs, strict=True)]
    explained = [r - e for r, e in zip(rows, evaluated, strict=True)]
    print(
        f"{label} ({len(chosen)} measures, {len(docs)} documents), compiler: {row_programs.compile_stages.__module__}"
    )
    print(f"  calculate, rows, 1st pass:  {_figures(first)}  (each new plan or epoch: its programs compiled)")
    print(f"  calculate, rows:            {_figures(rows)}  (2nd pass: every plan seen; max {max(rows):.1f} ms)")
    print(f"  calculate, polars:          {_figures(polars)}")
    print(f"  ratio polars/rows: {statistics.median(polars) / statistics.median(rows):.2f}×")
    print(f"  rows: evaluate (no explain) {_figures(evaluated)}")
    print(f"    row programs' own run     {_figures(programs)}")
    print(f"    the rest (tables, settle) {_figures(own)}")
    print(f"    of which unit rows        {_figures(tables)}  (their derived columns' programs apart)")
    print(f"  rows: explanation etc.      {_figures(explained)}")


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
    ``PYTHONPYCACHEPREFIX``, the tree stays clean), the parameter cache and the plan store filled
    (in a scratch ``JIUYE_CACHE_DIR``) by one run first; then without either."""
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
        "  the same, no cache at all": (evaluation, {**env, "JIUYE_CACHE_DIR": ""}),
    }
    subprocess.run(evaluation, check=True, capture_output=True, cwd=ROOT, env=env)  # fills the caches
    print(f"cold start, new process each time (median of {repeat}; bytecode, parameters and plans cached):")
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
    parser.add_argument("--rows-only", action="store_true", help="only the row path beside the Polars path")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.docs:  # --docs 0: the cold start alone
        params = load_parameters()
        docs = [facts_from_data(random_facts(seed, tag=f"D{seed}-")) for seed in range(args.docs)]
        if not args.rows_only:
            warm(docs, params, [get_measure(m) for m in TWO], "two measures")
            warm(docs, params, all_measures(), "all measures")
        store = os.environ.get("JIUYE_CACHE_DIR")
        os.environ["JIUYE_CACHE_DIR"] = ""  # no plan store here: every program compiled, hence timed
        _timed_programs()
        rows_vs_polars(docs, params, all_measures(), "all measures, rows beside polars")
        if store is None:
            del os.environ["JIUYE_CACHE_DIR"]
        else:
            os.environ["JIUYE_CACHE_DIR"] = store
    if args.cold:
        cold(args.cold)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
