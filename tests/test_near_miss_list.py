"""The caseworker's 差一点 list: written by ``jiuye match``, cut again by ``jiuye near-misses``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from jiuye.cli.app import app
from jiuye.engine.near_miss import near_miss_candidates
from jiuye.facts import facts_from_data
from jiuye.facts.tables import registry_from_facts
from jiuye.matching import match_registry
from jiuye.matching.near_misses import near_miss_list
from jiuye.matching.output import write_match
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures

AS_OF = dt.date(2025, 12, 31)
runner = CliRunner()


def _employer(i: int, months: int, *, contract: bool = True) -> dict[str, list[dict[str, object]]]:
    """An enterprise that hired one graduate of the year, paid ``months`` of contributions."""
    return {
        "employers": [{"id": f"E{i}", "name": f"企业{i}", "kind": "enterprise", "region": "450103"}],
        "persons": [
            {
                "id": f"45010320030501{i:03d}X",
                "name": f"职工{i}",
                "birth_date": "2003-05-01",
                "college_graduate": True,
                "graduation_date": "2025-06-30",
                "employed_since_graduation": False,
            }
        ],
        "employments": [
            {
                "person": f"45010320030501{i:03d}X",
                "employer": f"E{i}",
                "hire_date": "2025-10-01",
                "labour_contract": contract,
                "contract_months": 12,
                "months_paid_ui": months,
                "months_paid_injury": months,
                "months_paid_pension": months,
            }
        ],
    }


def _registry() -> dict[str, pl.LazyFrame]:
    docs = [_employer(1, 1), _employer(2, 2), _employer(3, 3), _employer(4, 0), _employer(5, 2, contract=False)]
    merged: dict[str, list[dict[str, object]]] = {}
    for doc in docs:
        for key, rows in doc.items():
            merged.setdefault(key, []).extend(rows)
    return registry_from_facts(facts_from_data(merged))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jiuye.params import load_parameters

    registry = _registry()
    out = tmp_path_factory.mktemp("match") / "out"
    write_match(match_registry(registry, as_of=AS_OF, region="450000", params=load_parameters()), registry, out)
    return out


def test_match_writes_the_near_misses_closest_first(written: Path) -> None:
    near = pl.read_csv(written / "near_misses.csv").filter(pl.col("政策编号") == "gx.expansion")
    # E3 qualifies; E5 misses twice (no contract, short of contributions): neither is listed
    assert near["对象编号"].to_list() == ["E2", "E1", "E4"]
    assert near["差距"].to_list() == ["缴费差1个月", "缴费差2个月", "缴费差3个月"]
    assert set(near["未满足条件编号"]) == {"contributions"}
    assert near["未满足的条件"][0].startswith("足额缴纳失业保险费")
    decisions = pl.read_parquet(written / "decisions.parquet").filter(pl.col("measure") == "gx.expansion")
    by_subject = {r["subject_id"]: r for r in decisions.iter_rows(named=True)}
    assert by_subject["E3"]["status"] == "eligible" and by_subject["E3"]["near_miss"] is None
    assert by_subject["E2"]["near_miss_gap"] == 1 and by_subject["E2"]["status"] == "ineligible"
    assert "E5" not in by_subject
    assert (
        pl.read_excel(written / "near_misses.xlsx", sheet_name="差一点名单").height
        == pl.read_csv(written / "near_misses.csv").height
    )


def test_id_numbers_in_the_list_are_masked() -> None:
    decisions = pl.DataFrame(
        {
            "measure": ["gx.ui.benefit"],
            "title": ["失业保险金等失业保险待遇"],
            "subject_kind": ["person"],
            "subject_id": ["450103200305011236"],
            "subject_name": ["张三"],
            "region": ["450103"],
            "near_miss": ["contribution"],
            "near_miss_condition": ["参加失业保险累计缴费满12个月"],
            "near_miss_gap": [2],
            "near_miss_text": ["失业保险缴费差2个月"],
        }
    )
    listed = near_miss_list(decisions)
    assert listed["subject_id"].item() == "4501**********1236"


def test_jiuye_near_misses_cuts_the_list_and_writes_it(written: Path, tmp_path: Path) -> None:
    target = tmp_path / "差一点.csv"
    done = runner.invoke(
        app, ["near-misses", str(written), "--measure", "gx.expansion", "--region", "450100", "--out", str(target)]
    )
    assert done.exit_code == 0, done.output
    assert "差一点名单" in done.output and "缴费差1个月" in done.output
    listed = pl.read_csv(target)
    assert listed["对象编号"].to_list() == ["E2", "E1", "E4"]
    elsewhere = runner.invoke(app, ["near-misses", str(written), "--region", "450200"])
    assert elsewhere.exit_code == 0 and "共 0 项" in elsewhere.output


def test_jiuye_near_misses_says_what_to_do_without_a_match(tmp_path: Path) -> None:
    done = runner.invoke(app, ["near-misses", str(tmp_path)])
    assert done.exit_code == 2
    assert "jiuye match" in done.output


def test_jiuye_match_reports_the_near_misses(tmp_path: Path) -> None:
    registry = tmp_path / "台账"
    for name, frame in _registry().items():
        registry.mkdir(exist_ok=True)
        frame.collect().write_parquet(registry / f"{name}.parquet")
    done = runner.invoke(
        app, ["match", str(registry), "--as-of", "2025-12-31", "--region", "450000", "--out", str(tmp_path / "o")]
    )
    assert done.exit_code == 0, done.output
    assert "差一点" in done.output and (tmp_path / "o" / "near_misses.csv").is_file()


def test_every_gap_reads_only_what_its_measure_reads(params: ParameterSet) -> None:
    """A registry scan reads the columns of conditions and variables (``columns_used``): a gap
    must not need another; and its words hold one place for the number."""
    p = params.at(AS_OF)
    gapped = 0
    for measure in all_measures():
        variables = {v.name for v in measure.variables}
        for c in measure.conditions:
            if c.gap is None:
                continue
            gapped += 1
            tested = set(c.test(p).meta.root_names()) | variables
            assert set(c.gap.amount(p).meta.root_names()) <= tested, (measure.id, c.key)
            assert c.gap.text.count("{}") == 1, (measure.id, c.key)
            assert c.gap.text_negative.count("{}") == (1 if c.gap.text_negative else 0), (measure.id, c.key)
            assert c in near_miss_candidates(measure.conditions), (measure.id, c.key)
    assert gapped >= 34, "数量条件（月数、年龄、比率、人数）都应声明差距"


def test_gap_words_hold_no_number() -> None:
    """The number comes from the data and the parameters, never from the words."""
    for measure in all_measures():
        for c in measure.conditions:
            if c.gap is not None:
                assert not any(ch.isdigit() for ch in c.gap.text + c.gap.text_negative), (measure.id, c.key)


def test_with_all_decisions_the_near_misses_are_among_them(params: ParameterSet) -> None:
    registry = _registry()
    result = match_registry(registry, as_of=AS_OF, region="450000", params=params, keep_ineligible=True)
    assert result.near_misses is not None and result.near_misses.is_empty()
    expansion = result.decisions.filter(pl.col("measure") == "gx.expansion").sort("subject_id")
    assert expansion["near_miss"].to_list() == ["contributions", "contributions", None, "contributions", None]
    assert expansion["status"].to_list() == ["ineligible", "ineligible", "eligible", "ineligible", "ineligible"]
