"""Every report of 200 random documents, at two dates, with and without near misses, is byte for
byte what it was when ``tests/data/report_digests.json`` was written (see tests/report_digests.py):
the explanation is derived once per epoch now, and must say exactly what it said."""

from __future__ import annotations

import json

from report_digests import GOLDEN, digests


def test_reports_are_byte_for_byte_what_they_were() -> None:
    golden = json.loads(GOLDEN.read_text())["digests"]
    found = digests()
    assert found.keys() == golden.keys()
    differ = sorted(k for k in golden if found[k] != golden[k])
    assert not differ, f"{len(differ)} of {len(golden)} reports changed, e.g. {differ[:5]}"
