"""``jiuye deliveries`` from the command line: approved claims that send no money are listed,
exported for the receiving agency (numbers masked for a reviewer) and printed as notices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from claims_world import FIRMS, PASSWORD, World
from jiuye.cli.app import app
from jiuye.service.migrate import upgrade
from jiuye.service.settings import Settings
from test_deliveries import approve, si_defer, tax_hire


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    data = tmp_path / "service"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JIUYE_PASSWORD", PASSWORD)
    url = Settings.from_env(data).database_url
    upgrade(url)
    world = World(url)
    approve(world, "xxq.tax.hire", tax_hire("E1"))
    approve(world, "gx.si.defer", si_defer("E2"))
    world.db.dispose()
    return data


def _run(folder: Path, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(app, ["deliveries", *args, "--username", "reviewer1", "--data-dir", str(folder)])
    return done.exit_code, done.output


def test_documents_are_listed_exported_and_printed(folder: Path, tmp_path: Path) -> None:
    code, output = _run(folder, "list")
    assert code == 0 and "税收扣减" in output and "社会保险费减免或缓缴" in output and "共 2 份" in output, output
    code, output = _run(folder, "list", "--form", "tax_deduction")
    assert code == 0 and "7500.00" in output and "共 1 份" in output, output
    target = tmp_path / "减免税名单.xlsx"
    code, output = _run(folder, "export", str(target), "--form", "tax_deduction", "--today", "2025-12-11")
    assert code == 0 and target.is_file(), output
    rows = list(openpyxl.load_workbook(target)["明细"].iter_rows(values_only=True))
    assert rows[0][3] == "纳税人识别号/统一社会信用代码" and rows[1][7] == "7500.00"
    assert FIRMS["E1"] not in str(rows[1][3])  # a reviewer gets the mask
    code, output = _run(folder, "notice", "2")
    assert code == 0 and output.startswith("社会保险费缓缴（降费）决定通知书"), output


def test_an_unknown_form_or_document_is_refused_in_chinese(folder: Path) -> None:
    code, output = _run(folder, "list", "--form", "bank_payment")
    assert code != 0
    code, output = _run(folder, "notice", "99")
    assert code == 1 and "交付文书 99 不存在" in output, output
