"""``jiuye policies diff`` as users run it: text for people, JSON for programs."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jiuye.cli.app import app

runner = CliRunner()
ACCEPTANCE = ["policies", "diff", "--from", "2025-01-01", "--to", "2026-01-01", "--region", "450103"]


def test_the_acceptance_diff_in_text_lists_expiries_and_the_raised_refund_ratios() -> None:
    result = runner.invoke(app, ACCEPTANCE)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "政策变化对照：2025年1月1日 → 2026年1月1日" in text
    refund = text.split("【gx.ui.refund】", 1)[1].split("【", 1)[0]
    assert "期满结束：2025年12月31日" in refund
    assert "政策执行期限至2025年12月底" in refund  # gxys（十四） and gx38（二） both say so
    assert "gx.ui.refund.ratio_related_sme" in refund and "→ 90%" in refund
    assert "90% → 90%" not in refund  # a value published in the window shows what was known before
    assert "提至90%" in refund and "广西人社厅行动方案（2025）（十四）" in refund
    assert "具名假设" in refund  # the national conditions are assumptions


def test_the_acceptance_diff_in_json_is_a_stable_contract() -> None:
    result = runner.invoke(app, [*ACCEPTANCE, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"], data["to"], data["region"]) == ("2025-01-01", "2026-01-01", "450103")
    measures = {m["measure"]: m for m in data["measures"]}
    assert data["counts"]["measures"] == len(measures)
    ended = [m for m in measures.values() if any(e["kind"] == "ended" for e in m["events"])]
    assert data["counts"]["ended"] == len(ended) and len(ended) >= 10
    change = next(c for c in measures["gx.ui.refund"]["changes"] if c["name"] == "gx.ui.refund.ratio_related_large")
    assert change["new"] == "50%" and change["source"]["document"] in ("gxys", "gx38") and change["source"]["title"]


def test_bad_dates_and_regions_are_refused_in_chinese() -> None:
    bad = runner.invoke(app, ["policies", "diff", "--from", "2025/01/01", "--to", "2026-01-01"])
    assert bad.exit_code == 2 and "--from 日期格式不正确" in bad.output
    reversed_ = runner.invoke(app, ["policies", "diff", "--from", "2026-01-01", "--to", "2025-01-01"])
    assert reversed_.exit_code == 2 and "早于起始日" in reversed_.output
    region = runner.invoke(app, ["policies", "diff", "--from", "2025-01-01", "--to", "2026-01-01", "--region", "45"])
    assert region.exit_code == 2 and "格式不正确" in region.output
