"""GB/T 2260 codes: nesting, validation, and our Guangxi list against the reference file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jiuye.errors import RegionError
from jiuye.regions import NATIONAL, _table, contains, region_name, validate_region


def test_nesting() -> None:
    assert contains("450000", "450103")
    assert contains("450100", "450103")
    assert not contains("450100", "451002")
    assert contains(NATIONAL, "440300")
    assert not contains("450000", "440300")


@pytest.mark.parametrize("bad", ["45010", "4501034", "abcdef"])
def test_malformed_codes(bad: str) -> None:
    with pytest.raises(RegionError, match="格式不正确"):
        validate_region(bad)


def test_unknown_province_and_revoked_guangxi_code() -> None:
    with pytest.raises(RegionError, match="省级部分"):
        validate_region("990000")
    with pytest.raises(RegionError, match="现行"):
        validate_region("450127")  # 横县, now 450181 横州市


def test_names() -> None:
    assert region_name("450181") == "广西壮族自治区南宁市横州市"
    assert region_name("440300").startswith("广东省")


def test_guangxi_list_matches_reference(shared: Path) -> None:
    with (shared / "refdata" / "gbt2260" / "gbt2260_2024.csv").open(encoding="utf-8") as f:
        ref = {
            r["code"]: r["name"] for r in csv.DictReader(f) if r["code"].startswith("45") or r["level"] == "province"
        }
    ours = {code: entry["name"] for code, entry in _table().items()}
    assert ours == ref
    assert sum(1 for c in ours if c.startswith("45") and not c.endswith("00")) == 111
