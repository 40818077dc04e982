"""The measure registry: every measure lives in the module its id names, so one measure asked for
by id imports that module alone (``jiuye policies show``, ``jiuye eval --measure``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jiuye.errors import UnknownMeasureError
from jiuye.policies import registry
from jiuye.policies.registry import all_measures, conventional_module, get_measure, module_of

ROOT = Path(__file__).resolve().parents[1]


def test_every_measure_lives_in_the_module_its_id_names() -> None:
    measures = all_measures()
    assert len(measures) >= 37
    for measure in measures:
        assert conventional_module(measure.id) == registry._MODULES[measure.id]
        assert module_of(measure.id) == registry._MODULES[measure.id]
        assert get_measure(measure.id) is measure


@pytest.mark.parametrize("measure_id", ["gx.nothing", "zz.expansion", "gx.", "gx", "", "gx.a b", "gx..", "gx.ａ"])
def test_an_id_that_names_no_measure_is_reported(measure_id: str) -> None:
    with pytest.raises(UnknownMeasureError):
        get_measure(measure_id)
    assert module_of(measure_id) is None


def test_a_module_that_declares_another_id_is_not_taken() -> None:
    # gx/startup_loan_enterprise.py is the enterprise side of gx.startup.loan: no measure of its own
    with pytest.raises(UnknownMeasureError):
        get_measure("gx.startup.loan.enterprise")


def test_one_measure_by_id_imports_its_module_only() -> None:
    child = (
        "import json, sys\n"
        "from jiuye.policies.registry import get_measure, module_of\n"
        "get_measure('gx.ui.refund'); module_of('gx.ui.refund')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.count('.') == 3 and m.startswith('jiuye.policies.'))))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, check=True, cwd=ROOT, env=env, timeout=300
    )
    loaded = json.loads(done.stdout)
    assert "jiuye.policies.gx.ui_refund" in loaded
    assert [m for m in loaded if m.startswith(("jiuye.policies.gx.", "jiuye.policies.xxq.", "jiuye.policies.cn."))] == [
        "jiuye.policies.gx.ui_refund"
    ]
