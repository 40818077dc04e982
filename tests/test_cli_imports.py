"""The engine's commands start without the web and database stack: ``jiuye eval``,
``jiuye policies`` and ``jiuye match`` import neither SQLAlchemy nor FastAPI nor Jinja2; and
``jiuye eval`` loads only what evaluating a document needs, ``--help`` builds no measure
(issue 13: ``jiuye eval`` cold ≤ 0.5 s; timings are benchmarks/single_case.py's).

Each command runs in a fresh interpreter (a module imported by an earlier test would hide an
eager import), and the child reports which of the heavy packages ended up in ``sys.modules``,
and which of the project's own modules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "jinja2", "psycopg", "uvicorn")

_CHILD = """
import contextlib, io, json, sys
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
from jiuye.cli.app import main
sys.argv = ["jiuye", *args]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
own = sorted(m for m in sys.modules if m == "jiuye" or m.startswith("jiuye."))
tops = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"code": code, "loaded": sorted(m for m in heavy if m in sys.modules), "own": own, "tops": tops}))
"""


def _run(*args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(list(args)), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("eval", "--help"),
        ("eval", "examples/gx.expansion.yaml", "--format", "json"),
        ("policies", "list", "--format", "json"),
        ("policies", "show", "gx.expansion", "--format", "json"),
        ("match", "--help"),
    ],
    ids=lambda a: " ".join(a),
)
def test_engine_commands_do_not_import_the_service_stack(args: tuple[str, ...]) -> None:
    report = _run(*args)
    assert report["code"] == 0
    assert report["loaded"] == []


def test_match_runs_without_the_service_stack(tmp_path: Path) -> None:
    registry, out = tmp_path / "registry", tmp_path / "out"
    assert _run("synth", "--persons", "200", "--out", str(registry))["code"] == 0
    report = _run("match", str(registry), "--as-of", "2025-12-31", "--region", "450000", "--out", str(out))
    assert report["code"] == 0
    assert report["loaded"] == []


def test_the_check_sees_an_eager_import(tmp_path: Path) -> None:
    """The child's report is real: a command that does touch the database stack shows it."""
    report = _run("users", "list", "--data-dir", str(tmp_path / "data"))
    assert "sqlalchemy" in report["loaded"]  # type: ignore[operator]


#: What evaluating a facts document may load of the project (top-level modules and packages).
EVAL_MAY_LOAD = {
    "jiuye",
    "jiuye.calculator",
    "jiuye.cli",
    "jiuye.data",
    "jiuye.dates",
    "jiuye.engine",
    "jiuye.errors",
    "jiuye.facts",
    "jiuye.identifiers",
    "jiuye.money",
    "jiuye.params",
    "jiuye.policies",
    "jiuye.regions",
    "jiuye.report_json",
    "jiuye.sizing",
    "jiuye.workdays",
    "jiuye.yaml_text",
}
#: Of the command-line modules, ``jiuye eval`` needs its own and what it is built on.
EVAL_CLI = ["jiuye.cli", "jiuye.cli.app", "jiuye.cli.evaluate", "jiuye.cli.lazy", "jiuye.cli.output"]
#: Libraries a JSON evaluation does without: rich draws tables, NumPy came with Polars' Decimals.
EVAL_SKIPS = ("rich", "numpy", "pyarrow", "pandas", "openpyxl", "xlsxwriter", "fastexcel", "bm25s", "rjieba")


def _measure_modules(own: list[str]) -> list[str]:
    return [m for m in own if m.startswith(("jiuye.policies.gx.", "jiuye.policies.xxq.", "jiuye.policies.cn."))]


def test_eval_loads_only_what_evaluating_needs() -> None:
    report = _run("eval", "examples/gx.expansion.yaml", "--format", "json")
    own: list[str] = report["own"]  # type: ignore[assignment]
    assert report["code"] == 0
    assert {".".join(m.split(".")[:2]) for m in own} <= EVAL_MAY_LOAD
    assert [m for m in own if m.startswith("jiuye.cli")] == EVAL_CLI
    assert len(_measure_modules(own)) >= 37  # every measure was evaluated


def test_eval_as_json_needs_neither_rich_nor_numpy() -> None:
    report = _run("eval", "examples/gx.expansion.yaml", "--format", "json")
    assert report["code"] == 0
    assert [m for m in EVAL_SKIPS if m in report["tops"]] == []  # type: ignore[operator]


@pytest.mark.parametrize("args", [("--help",), ("eval", "--help"), ("policies", "--help")], ids=" ".join)
def test_help_builds_no_measure(args: tuple[str, ...]) -> None:
    report = _run(*args)
    own: list[str] = report["own"]  # type: ignore[assignment]
    assert report["code"] == 0
    assert _measure_modules(own) == []
    assert not [m for m in own if m.startswith(("jiuye.calculator", "jiuye.engine", "jiuye.policies.registry"))]
    assert "polars" not in report["tops"]  # type: ignore[operator]


def test_showing_one_measure_builds_that_measure_only() -> None:
    report = _run("policies", "show", "gx.ui.refund", "--format", "json")
    assert report["code"] == 0
    assert _measure_modules(report["own"]) == ["jiuye.policies.gx.ui_refund"]  # type: ignore[arg-type]
