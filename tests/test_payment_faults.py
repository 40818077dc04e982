"""Fault injection: a payment run killed (SIGKILL, a real process) between any two of its steps
resumes without paying anyone twice and without losing anyone, on SQLite and PostgreSQL.

Each kill point gets two fresh grants. The run (``payment_run.py``) is killed there, then run
again to the end; the bank's own ledger must show each grant paid under exactly one key, and the
database must show each grant paid exactly once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claims_world import PAYER, World, built_world, id_number
from jiuye.service import disbursement as pay
from jiuye.service.models import Application, Payment

CHILD = Path(__file__).with_name("payment_run.py")
#: Every boundary of one run: three transactions (prepare, export, import) and the bank between.
KILL_POINTS = ["before:1", "after:1", "before:2", "after:2", "bank:1", "before:3", "after:3"]


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with built_world(database_url, accounts=True) as built:
        yield built


def _run(world: World, tmp_path: Path, kill: str | None) -> int:
    spec = {
        "url": world.db.url.render_as_string(hide_password=False),
        "keys": {name: key.hex() for name, key in world.keys.items()},
        "finance": asdict(world.callers["finance"]),
        "pay_date": "2025-12-15",
        "payer": PAYER,
        "bank_ledger": str(tmp_path / "bank.json"),
        "kill": kill,
    }
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec))
    done = subprocess.run([sys.executable, str(CHILD), str(spec_file)], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, -signal.SIGKILL), done.stderr
    return done.returncode


def test_a_payment_run_killed_at_any_step_resumes_without_paying_twice_or_losing_a_grant(
    world: World, tmp_path: Path
) -> None:
    granted: list[int] = []
    for n, kill in enumerate(KILL_POINTS):
        mine = [world.grant("E1", id_number(f"45010320030601{2 * n:03d}")),
                world.grant("E2", id_number(f"45010320030601{2 * n + 1:03d}"))]  # fmt: skip
        granted += mine
        assert _run(world, tmp_path, kill) == -signal.SIGKILL, f"进程未在 {kill} 处被终止"
        assert _run(world, tmp_path, None) == 0, f"{kill} 之后的重跑应当完成"
        with world.sessions() as session:
            for app_id in mine:
                statuses = list(session.scalars(select(Payment.status).where(Payment.application_id == app_id)))
                assert statuses == ["paid"], f"终止于 {kill}：申请 {app_id} 的付款 {statuses}"
                assert session.get(Application, app_id).state == "paid"
            assert not pay.open_batches(session, world.callers["finance"])
    bank: list[list[Any]] = json.loads((tmp_path / "bank.json").read_text())
    keys_by_grant: dict[int, set[str]] = {}
    for key, app_id in bank:
        keys_by_grant.setdefault(app_id, set()).add(key)
    assert sorted(keys_by_grant) == sorted(granted), "银行对每项补贴都有付款：没有遗漏"
    assert all(len(keys) == 1 for keys in keys_by_grant.values()), "银行对每项补贴只付一次：没有重复"
