"""``jiuye ledger`` from the command line: a caseworker logs in, enters a graduate, records
services, lists what is owed and exports the ledger; wrong input is refused in Chinese."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from claims_world import id_number
from cli_world import run

GRADUATE = id_number("45010320030301123")


def _run(data_dir: Path, *args: str) -> tuple[int, str]:
    return run(data_dir, "ledger", *args)


def test_a_graduate_is_entered_served_listed_and_exported(data_dir: Path, tmp_path: Path) -> None:
    code, output = _run(data_dir, "register", "--id-number", GRADUATE, "--name", "李同学", "--region", "450103",
                        "--graduated-on", "2025-06-30", "--hardship", "low_income_family",
                        "--today", "2025-10-01")  # fmt: skip
    assert code == 0 and "编号 1" in output, output
    code, output = _run(data_dir, "service", "1", "--kind", "policy_briefing", "--channel", "电话",
                        "--evidence", "电话宣介就业补贴政策", "--on", "2025-10-03")  # fmt: skip
    assert code == 0 and "政策宣介" in output, output
    code, output = _run(data_dir, "list", "--today", "2025-10-20")
    assert code == 0 and "李同学" in output and "帮扶中" in output and "针对性岗位推送" in output, output
    assert GRADUATE not in output and "共 1 人，其中逾期 1 人" in output
    target = tmp_path / "台账.xlsx"
    code, output = _run(data_dir, "export", str(target), "--today", "2025-10-20")
    assert code == 0 and target.is_file()
    cells = [str(c.value) for row in openpyxl.load_workbook(target).active.iter_rows() for c in row if c.value]
    assert "李同学" in cells and GRADUATE not in "".join(cells)


def test_wrong_input_is_refused_in_chinese_and_changes_nothing(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = _run(data_dir, "register", "--id-number", GRADUATE[:-1] + "0", "--name", "李同学", "--region",
                        "450103", "--graduated-on", "2025-06-30", "--today", "2025-10-01")  # fmt: skip
    assert code == 1 and "校验" in output, output
    code, output = _run(data_dir, "status", "1", "--to", "employed", "--reason", "已就业了")
    assert code == 1 and "不存在" in output
    code, output = _run(data_dir, "list", "--today", "2025-13-01")
    assert code == 2 and "YYYY-MM-DD" in output
    monkeypatch.setenv("JIUYE_PASSWORD", "wrong")
    code, output = _run(data_dir, "list")
    assert code == 1 and "用户名或口令不正确" in output
