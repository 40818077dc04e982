"""Shared test fixtures: the bundled parameters and where ../shared lives (tests skip without it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jiuye.params import ParameterSet, load_parameters

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def params() -> ParameterSet:
    return load_parameters()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("JIUYE_REQUIRE_SHARED"):
            pytest.fail("CI 要求 ../shared/ 存在，以运行参考数据交叉核对")
        pytest.skip("../shared/ 不存在：跳过与参考数据的交叉核对")
    return SHARED
