"""The synthetic registry (jiuye synth): exact schemas, valid identifiers, reproducible bytes,
consistent references, and enough of every situation for every measure of the catalog."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import typing
from pathlib import Path

import polars as pl
import pytest
from pydantic import BaseModel
from stdnum.cn import uscc as stdnum_uscc
from typer.testing import CliRunner

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.cli.app import app
from jiuye.errors import JiuyeError
from jiuye.facts import model as m
from jiuye.facts.tables import registry_schema, tables_from_registry
from jiuye.identifiers import check_id_number, check_uscc
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures
from jiuye.registry import synth
from jiuye.registry.synth import MANIFEST, TABLES, synthesize
from jiuye.registry.synthetic import draws
from jiuye.registry.synthetic.geography import guangxi

AS_OF = dt.date(2025, 12, 31)
#: The two measures whose amount is a local standard the catalog leaves unset (see test below).
LOCAL_AMOUNTS = {"xxq.temp.living.ui_benefit_monthly": 1629, "xxq.training.living.min_wage_monthly": 1810}


def _model(table: str) -> type[BaseModel]:
    (item,) = typing.get_args(m.Facts.model_fields[table].annotation)
    model: type[BaseModel] = item
    return model


def _read(directory: Path) -> dict[str, pl.DataFrame]:
    return {name: pl.read_parquet(directory / f"{name}.parquet") for name in TABLES}


def _digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 persons in chunks of 1,000: every table is assembled from several parts."""
    out = tmp_path_factory.mktemp("small")
    synthesize(out, persons=3000, seed=7, as_of=AS_OF, chunk_size=1000)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    synthesize(out, persons=20_000, seed=0, as_of=AS_OF)
    return out


def test_every_table_is_one_parquet_file_with_exactly_the_registry_schema(small: Path) -> None:
    for name in TABLES:
        schema = pl.read_parquet_schema(small / f"{name}.parquet")
        assert list(schema.items()) == list(registry_schema(_model(name)).items()), name


def test_the_same_seed_gives_byte_identical_files_and_another_seed_does_not(small: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    synthesize(again, persons=3000, seed=7, as_of=AS_OF, chunk_size=1000)
    synthesize(other, persons=3000, seed=8, as_of=AS_OF, chunk_size=1000)
    assert _digests(again) == _digests(small)
    assert _digests(other)["persons.parquet"] != _digests(small)["persons.parquet"]


def test_manifest_records_seed_date_version_and_the_rows_of_every_table(small: Path) -> None:
    manifest = json.loads((small / MANIFEST).read_text("utf-8"))
    assert manifest["seed"] == 7
    assert manifest["as_of"] == "2025-12-31"
    assert manifest["version"] == synth.GENERATOR_VERSION
    tables = _read(small)
    assert {name: entry["rows"] for name, entry in manifest["tables"].items()} == {
        name: frame.height for name, frame in tables.items()
    }
    assert sorted(p.name for p in small.iterdir()) == sorted([MANIFEST, *(f"{t}.parquet" for t in TABLES)])


def test_id_numbers_are_valid_unique_and_carry_the_birth_date_and_sex(small: Path) -> None:
    persons = pl.read_parquet(small / "persons.parquet")
    assert persons.get_column("id_number").n_unique() == persons.height
    for number, birth, sex in persons.select("id_number", "birth_date", "sex").iter_rows():
        parsed = check_id_number(number)  # GB 11643 check character
        assert (parsed.birth_date, parsed.sex) == (birth, sex)


def test_credit_codes_are_valid_and_unique_for_employers_and_businesses(small: Path) -> None:
    codes = pl.concat(
        [pl.read_parquet(small / f"{t}.parquet").get_column("uscc").drop_nulls() for t in ("employers", "businesses")]
    )
    assert codes.n_unique() == len(codes)
    for code in codes:
        assert check_uscc(code) == code  # GB 32100 check character
        assert stdnum_uscc.is_valid(code)  # and the GB 11714 organisation-code check inside it


def test_every_reference_points_to_an_existing_row_of_the_right_kind(small: Path) -> None:
    t = _read(small)
    persons, employers = set(t["persons"]["id"]), set(t["employers"]["id"])
    agencies = set(t["employers"].filter(pl.col("hr_service_agency"))["id"])
    bases = set(t["employers"].filter(pl.col("internship_base"))["id"])
    for table, column, known in [
        ("employments", "person", persons),
        ("employments", "employer", employers),
        ("internships", "person", persons),
        ("internships", "employer", bases),
        ("businesses", "founder", persons),
        ("certificates", "person", persons),
        ("certificates", "employer", employers),
        ("apprenticeships", "person", persons),
        ("apprenticeships", "employer", employers),
        ("placements", "agency", agencies),
        ("placements", "person", persons),
        ("placements", "employer", employers),
        ("trainings", "person", persons),
        ("prior_grants", "person", persons),
        ("prior_grants", "employer", employers),
    ]:
        assert set(t[table][column].drop_nulls()) <= known, f"{table}.{column}"
    catalog = {measure.id for measure in all_measures()}
    assert set(t["prior_grants"]["measure"]) <= catalog


def test_nothing_happens_after_the_as_of_date_and_jobs_end_after_they_start(small: Path) -> None:
    t = _read(small)
    for table, column in [
        ("employments", "hire_date"),
        ("employments", "separation_date"),
        ("internships", "start_date"),
        ("internships", "end_date"),
        ("internships", "contract_signed_on"),
        ("businesses", "registered_on"),
        ("certificates", "issued_on"),
        ("apprenticeships", "start_date"),
        ("placements", "placed_on"),
        ("trainings", "start_date"),
        ("prior_grants", "granted_on"),
        ("persons", "unemployment_registered_on"),
        ("persons", "unemployment_registration_ended_on"),
        ("persons", "graduation_date"),
        ("employers", "postdoc_station_established_on"),
    ]:
        assert (t[table][column].drop_nulls() <= AS_OF).all(), f"{table}.{column}"
    spells = t["employments"].filter(pl.col("separation_date").is_not_null())
    assert (spells["separation_date"] >= spells["hire_date"]).all()


def test_money_is_exact_yuan_derived_from_a_contribution_base(small: Path) -> None:
    spells = pl.read_parquet(small / "employments.parquet").drop_nulls("employer_pension_monthly")
    assert spells["employer_pension_monthly"].dtype == pl.Decimal(18, 2)
    pension, ui = ((spells[c] * 100).cast(pl.Int64) for c in ("employer_pension_monthly", "employer_ui_monthly"))
    # both are the same base times 16% and 0.5%, each rounded to the fen: 16% ÷ 0.5% = 32
    assert ((pension - 32 * ui).abs() <= 16).all()


def test_every_county_appears_and_the_large_cities_hold_more_people(demo: Path) -> None:
    persons = pl.read_parquet(demo / "persons.parquet")
    counties = {str(code) for code in guangxi().codes}
    assert set(persons["region"]) == counties
    by_city = persons.group_by(pl.col("region").str.slice(0, 4)).len().sort("len", descending=True)
    assert by_city["region"][0] == "4501"  # 南宁
    assert {"4501", "4509", "4503", "4502"} <= set(by_city["region"][:5])  # 南宁、玉林、桂林、柳州


def test_tables_grow_in_proportion_to_persons(demo: Path) -> None:
    t = _read(demo)
    n = t["persons"].height
    assert t["employers"].height == n // 25
    assert 0.5 < t["employments"].height / n < 0.7
    for table in ("internships", "businesses", "certificates", "trainings", "placements", "apprenticeships"):
        assert 0 < t[table].height < t["employments"].height, table


def test_each_recent_cohort_of_graduates_is_about_three_percent(demo: Path) -> None:
    persons = pl.read_parquet(demo / "persons.parquet")
    for year in (2022, 2023, 2024, 2025):
        share = persons.filter(pl.col("graduation_date").dt.year() == year).height / persons.height
        assert 0.025 < share < 0.035, year


def test_enterprises_are_mostly_in_manufacturing_trade_building_catering_and_services(demo: Path) -> None:
    enterprises = pl.read_parquet(demo / "employers.parquet").filter(pl.col("kind") == "enterprise")
    main = enterprises.filter(pl.col("industry").str.slice(0, 1).is_in(["C", "F", "H", "E", "M", "L"])).height
    assert main / enterprises.height > 0.7


def _decisions(demo: Path, params: ParameterSet) -> pl.DataFrame:
    registry = {name: pl.scan_parquet(demo / f"{name}.parquet") for name in TABLES}
    rows = evaluate_batch(
        tables_from_registry(registry),
        as_of=AS_OF,
        region=None,
        params=params,
        prior=registry["prior_grants"].collect(),
    )
    return decide_batch(rows)


def test_every_measure_has_eligible_decisions_on_a_20000_person_registry(demo: Path, params: ParameterSet) -> None:
    local = params
    for name, value in LOCAL_AMOUNTS.items():
        local = local.overridden(name, value, note="当地标准（示例值，同 examples/）")
    decisions = _decisions(demo, local)
    eligible = set(decisions.filter(pl.col("status") == "eligible")["measure"])
    missing = sorted({measure.id for measure in all_measures()} - eligible)
    assert not missing, f"合成台账中没有符合条件的决定：{'、'.join(missing)}"


def test_without_their_local_amount_two_measures_can_only_ask_for_it(demo: Path, params: ParameterSet) -> None:
    decisions = _decisions(demo, params)
    for measure in ("xxq.temp.living", "xxq.training.living"):
        statuses = set(decisions.filter(pl.col("measure") == measure)["status"])
        assert "eligible" not in statuses
        assert "needs_facts" in statuses


def test_a_failed_run_leaves_no_partial_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> typing.NoReturn:
        raise OSError("磁盘已满")

    monkeypatch.setattr("jiuye.registry.synthetic.chunks.RegistryGenerator.chunk", broken)
    with pytest.raises(OSError, match="磁盘已满"):
        synthesize(tmp_path, persons=100, seed=1)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"persons": 0}, "人数须为正整数"),
        ({"persons": 10, "seed": -1}, "随机种子须为非负整数"),
        ({"persons": 10, "as_of": dt.date(2010, 1, 1)}, "超出可生成的范围"),
    ],
)
def test_impossible_options_are_refused_in_chinese(
    tmp_path: Path, options: dict[str, typing.Any], message: str
) -> None:
    with pytest.raises(JiuyeError, match=message):
        synthesize(tmp_path / "out", **options)
    assert not (tmp_path / "out").exists()


def test_systematic_draws_keep_each_countys_count_within_one_of_its_expectation() -> None:
    rng = draws.rng_for(0, 99)
    group = rng.integers(0, 7, 50_000)
    chosen = draws.systematic(rng, 0.013, group)
    for county in range(7):
        expected = 0.013 * (group == county).sum()
        assert abs(chosen[group == county].sum() - expected) < 1


runner = CliRunner()


def test_the_command_writes_the_registry_and_lists_what_it_wrote(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--persons", "500", "--seed", "3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "persons.parquet" in result.stdout
    assert "已写入" in result.stdout
    assert json.loads((tmp_path / MANIFEST).read_text("utf-8"))["persons"] == 500


def test_the_command_refuses_a_bad_date_in_chinese(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--persons", "5", "--as-of", "2025-02-30", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--as-of 日期格式不正确" in result.output
