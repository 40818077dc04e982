"""``jiuye match`` writes a provenance record: engine, rule hashes, and the registry files' hash."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from jiuye.cli.app import app
from jiuye.engine.provenance import ENGINE_VERSION
from jiuye.registry.sources import registry_files_hash

runner = CliRunner()


def test_match_records_the_registry_hash_and_the_rule_hash_of_every_decision(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    made = runner.invoke(app, ["synth", "--persons", "300", "--seed", "7", "--out", str(registry)])
    assert made.exit_code == 0, made.output
    runs = []
    for name in ("first", "second"):
        out = tmp_path / name
        args = ["match", str(registry), "--as-of", "2025-12-31", "--region", "450000", "--out", str(out)]
        args += ["--excel-rows", "0"] if name == "second" else []  # the Excel lists leave provenance alone
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        shown = result.stdout.replace("\n", "")  # the console wraps long lines
        assert "provenance.json" in shown and "用时" in shown and "写出" in shown
        runs.append(json.loads((out / "provenance.json").read_text("utf-8")))
    first, second = runs
    assert first == second  # same registry, same parameters: same record
    assert first["registry_hash"] == registry_files_hash(registry)
    assert first["engine_version"] == ENGINE_VERSION
    decisions = pl.read_parquet(tmp_path / "first" / "decisions.parquet")
    assert decisions.height > 0
    assert decisions["rule_hash"].is_not_null().all()
    summary = json.loads((tmp_path / "first" / "summary.json").read_text("utf-8"))
    assert summary["provenance"]["registry_hash"] == first["registry_hash"]
    assert summary["excel_lists"]["written"] == summary["eligible_decisions"] > 0  # under the cap: all of it
    assert set(summary["timings"]) >= {"read_validate", "evaluate", "decide", "write", "total"}
    second = json.loads((tmp_path / "second" / "summary.json").read_text("utf-8"))
    assert second["excel_lists"]["written"] == 0 and not (tmp_path / "second" / "eligible").exists()
    # Another registry (one more byte in a file) gives another hash.
    (registry / "manifest.json").unlink()  # not a table file: not part of the hash
    assert registry_files_hash(registry) == first["registry_hash"]
    table = sorted(registry.glob("*.parquet"))[0]
    table.write_bytes(table.read_bytes() + b"\0")
    assert registry_files_hash(registry) != first["registry_hash"]
