"""The curl walkthrough in docs runs against the README's first command as written (`jiuye serve --demo`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

WALKTHROUGH = ROOT / "docs" / "service-walkthrough.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"服务启动失败：{process.stdout.read().decode() if process.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail("服务 60 秒内未就绪")


def test_the_walkthrough_takes_a_claim_to_a_reconciled_payment_on_a_fresh_demo(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.fail("演示脚本需要 curl（apt-get install curl）")
    port = _free_port()
    env = {**os.environ, "JIUYE_DATA_DIR": str(tmp_path / ".jiuye")}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", "from jiuye.cli.app import main; main()", "serve", "--demo", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait(f"http://127.0.0.1:{port}/openapi.json", server)
        run = subprocess.run(
            ["bash", str(WALKTHROUGH)],
            env={**env, "B": f"http://127.0.0.1:{port}"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode(errors="replace")
    assert run.returncode == 0, run.stdout + run.stderr + output
    assert "已发放" in run.stdout, run.stdout  # the claim ends paid after the bank's return is imported
    assert "审计链完整" in run.stdout, run.stdout
