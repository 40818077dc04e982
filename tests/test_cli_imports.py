"""The engine's commands start without the web and database stack: ``jiuye eval``,
``jiuye policies`` and ``jiuye match`` import neither SQLAlchemy nor FastAPI nor Jinja2.

Each command runs in a fresh interpreter (a module imported by an earlier test would hide an
eager import), and the child reports which of the heavy packages ended up in ``sys.modules``.
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
print(json.dumps({"code": code, "loaded": sorted(m for m in heavy if m in sys.modules)}))
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
