"""Registries as bureaus keep them: GBK CSV, Excel and Parquet, Chinese headers, every bad row by line."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from stdnum.cn import ric, uscc
from typer.testing import CliRunner

from jiuye.batch import decide_batch, evaluate_batch
from jiuye.calculator import calculate, prior_grants_frame, with_overrides
from jiuye.cli.app import app
from jiuye.errors import JiuyeError, RegionError
from jiuye.facts import facts_from_data, load_facts
from jiuye.facts import model as m
from jiuye.facts.model import Facts
from jiuye.facts.tables import registry_from_facts, registry_schema, tables_from_registry
from jiuye.identifiers import check_id_number, check_uscc, mask_id
from jiuye.params import ParameterSet
from jiuye.policies.registry import all_measures
from jiuye.regions import _table as region_table
from jiuye.regions import validate_region
from jiuye.registry.codes import first_problem, id_number_checks, industry_checks, region_checks, uscc_checks
from jiuye.registry.doc import registry_format_markdown
from jiuye.registry.headers import TABLES, resolve_headers
from jiuye.registry.io import Registry, RegistryError, read_registry
from jiuye.registry.sources import _scratch
from jiuye.registry.validate import COVERED_VALIDATORS
from random_facts import random_facts

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 1, 1)
runner = CliRunner()


def valid_id(body: str) -> str:
    """An ID number with the right check code (GB 11643) for a 17-digit body."""
    return body + ric.calc_check_digit(body + "0")


def wrong_id(body: str) -> str:
    right = ric.calc_check_digit(body + "0")
    return body + ("1" if right != "1" else "2")


ID_P1 = valid_id("45010320010101123")  # male, born 2001-01-01
ID_P2_BAD = wrong_id("45010219990315002")
ID_P4 = valid_id("45012320000229004")  # female, born 2000-02-29


def write_gbk(path: Path, rows: list[str]) -> None:
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))


@pytest.fixture
def gbk_registry(tmp_path: Path) -> Path:
    """The acceptance case: GBK CSV files, Chinese headers, a few bad rows."""
    write_gbk(
        tmp_path / "人员.csv",
        [
            "人员编号,姓名,身份证号,出生日期,是否高校毕业生,累计缴纳失业保险月数",
            f"P1,李青,{ID_P1},2001/1/1,否,24",  # line 2: good (date as YYYY/M/D)
            f"P2,黄韵,{ID_P2_BAD},,是,3",  # line 3: wrong check digit
            "P3,赵某,,2001年2月30日,否,",  # line 4: no such date
            f"P4,覃某,{ID_P4},,是,-1",  # line 5: negative count
            "P5,韦某,,2000年2月29日,Y,12",  # line 6: good
        ],
    )
    write_gbk(
        tmp_path / "用人单位.csv",
        [
            "单位编号,单位名称,统一社会信用代码,参保人数,上年度营业收入（万元）,企业规模",
            "E1,南宁某某机械制造有限公司,91450100MA5KX1234X,80,3000,小型企业",  # good
            "E2,某某商贸有限公司,,12,1.5,小型",  # good
        ],
    )
    write_gbk(
        tmp_path / "招用记录.csv",
        [
            "人员编号,单位编号,入职日期,签订劳动合同,劳动合同期限",
            "P1,E1,2025-03-01,是,36",  # line 2: good
            "P9,E1,2025-03-01,是,12",  # line 3: no such person
            "P5,E2,2025年6月1日,是,24",  # line 4: good
            "P2,E1,2025-04-01,是,12",  # line 5: points at a bad person (skipped with it)
        ],
    )
    return tmp_path


def test_gbk_registry_with_bad_rows_fails_listing_every_bad_row_by_file_and_line(gbk_registry: Path) -> None:
    before = set(_scratch().iterdir())
    with pytest.raises(RegistryError) as caught:
        read_registry(gbk_registry, today=TODAY)
    assert set(_scratch().iterdir()) == before, "读取失败时不留下任何中间文件"
    where = {(p.file, p.line, p.field) for p in caught.value.problems}
    assert where == {
        ("人员.csv", 3, "id_number"),
        ("人员.csv", 4, "birth_date"),
        ("人员.csv", 5, "ui_contribution_months"),
        ("招用记录.csv", 3, "person"),
        ("招用记录.csv", 5, "person"),
    }
    text = str(caught.value)
    assert "未导入任何数据" in text
    for line in ("人员.csv：3 行有误", "第3行 “身份证号”：校验码不正确", "第4行 “出生日期”：日期不存在"):
        assert line in text
    assert "第5行 “累计缴纳失业保险月数”：不能为负数" in text
    assert "招用记录.csv：2 行有误" in text and "没有编号为 'P9' 的人员" in text
    assert isinstance(caught.value, JiuyeError)


def test_gbk_registry_with_skip_bad_imports_the_good_rows_only(gbk_registry: Path) -> None:
    registry = read_registry(gbk_registry, skip_bad=True, today=TODAY)
    persons = registry.tables["persons"].collect()
    assert persons["id"].to_list() == ["P1", "P5"]
    assert persons.schema == pl.Schema(registry_schema(m.Person))
    p1 = persons.row(0, named=True)
    assert (p1["birth_date"], p1["sex"], p1["college_graduate"]) == (dt.date(2001, 1, 1), "male", False)
    assert persons.row(1, named=True)["birth_date"] == dt.date(2000, 2, 29)
    employers = registry.tables["employers"].collect()
    assert employers["size"].to_list() == ["small", "small"]
    assert employers["revenue"].to_list() == [Decimal("3000.0000"), Decimal("1.5000")]
    hires = registry.tables["employments"].collect()
    assert hires.select("person", "employer", "hire_date").rows() == [
        ("P1", "E1", dt.date(2025, 3, 1)),
        ("P5", "E2", dt.date(2025, 6, 1)),
    ]
    assert [(p.file, p.line) for p in registry.problems] == [
        ("人员.csv", 3),
        ("人员.csv", 4),
        ("人员.csv", 5),
        ("招用记录.csv", 3),
        ("招用记录.csv", 5),
    ]
    assert registry.files == {"persons": "人员.csv", "employers": "用人单位.csv", "employments": "招用记录.csv"}


def test_every_message_shows_id_numbers_masked_and_never_whole(gbk_registry: Path) -> None:
    with pytest.raises(RegistryError) as caught:
        read_registry(gbk_registry, today=TODAY)
    text = str(caught.value)
    assert mask_id(ID_P2_BAD) in text
    for number in (ID_P1, ID_P2_BAD, ID_P4):
        assert number not in text
    shown = [p for p in caught.value.problems if p.field == "id_number"]
    assert shown and all(p.value == mask_id(ID_P2_BAD) for p in shown)
    assert all(ID_P2_BAD not in str(p) for p in caught.value.problems)


def test_registry_check_command_reports_bad_rows_and_exits_2_unless_skipping(gbk_registry: Path) -> None:
    failed = runner.invoke(app, ["registry", "check", str(gbk_registry)])
    assert failed.exit_code == 2
    assert "人员.csv" in failed.output and "第3行" in failed.output and ID_P2_BAD not in failed.output
    skipped = runner.invoke(app, ["registry", "check", str(gbk_registry), "--skip-bad"])
    assert skipped.exit_code == 0, skipped.output
    assert "已跳过 5 行有误数据" in skipped.output and "招用记录.csv" in skipped.output


def test_utf8_with_bom_and_tab_separated_csv_are_read(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text("id\tname\tregion\nP1\t张三\t450103\n", "utf-8-sig")
    persons = read_registry(tmp_path).tables["persons"].collect()
    assert persons.select("id", "name", "region").row(0) == ("P1", "张三", "450103")


def test_gb18030_characters_outside_gbk_are_read(tmp_path: Path) -> None:
    (tmp_path / "人员.csv").write_bytes("人员编号,姓名\nP1,王𠮷\n".encode("gb18030"))
    assert read_registry(tmp_path).tables["persons"].collect()["name"].to_list() == ["王𠮷"]


def test_a_folder_of_parquet_parts_is_one_table_with_text_columns_parsed(tmp_path: Path) -> None:
    folder = tmp_path / "employments"
    folder.mkdir()
    schema = {"person": pl.String, "employer": pl.String, "hire_date": pl.String, "months_paid_ui": pl.Int32}
    pl.DataFrame(
        {"person": ["P1"], "employer": ["E1"], "hire_date": ["2025/3/1"], "months_paid_ui": [6]}, schema=schema
    ).write_parquet(folder / "part-0.parquet")
    pl.DataFrame(
        {"person": ["P2"], "employer": ["E1"], "hire_date": ["2025-13-01"], "months_paid_ui": [-1]}, schema=schema
    ).write_parquet(folder / "part-1.parquet")
    (tmp_path / "persons.csv").write_text("id\nP1\nP2\n", "utf-8")
    (tmp_path / "employers.csv").write_text("id\nE1\n", "utf-8")
    registry = read_registry(tmp_path, skip_bad=True)
    assert [(p.file, p.line, p.field) for p in registry.problems] == [
        ("employments", 2, "hire_date"),
        ("employments", 2, "months_paid_ui"),
    ]
    hires = registry.tables["employments"].collect()
    assert hires.select("person", "hire_date", "months_paid_ui").rows() == [("P1", dt.date(2025, 3, 1), 6)]
    assert hires.schema == pl.Schema(registry_schema(m.Employment))


def test_a_file_that_is_neither_utf8_nor_gb18030_is_reported(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_bytes(b"id\nP\xff\xff1\n")
    with pytest.raises(RegistryError, match="编码无法识别"):
        read_registry(tmp_path)


def test_a_row_with_more_cells_than_headers_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text("id,name\nP1,张三\nP2,李四,多余\n", "utf-8")
    with pytest.raises(RegistryError, match=r"persons.csv：\n  “文件”：文件无法解析"):
        read_registry(tmp_path)


def excel(path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_excel_with_chinese_headers_reads_dates_numbers_and_text(tmp_path: Path) -> None:
    excel(
        tmp_path / "人员.xlsx",
        [
            ["*人员编号", "姓名", "公民身份号码", "累计缴纳失业保险月数", "是否高校毕业生", "毕业（离校）日期"],
            ["P1", "李青", ID_P1, 24, "否", None],
            [None, None, None, None, None, None],  # an empty row: skipped, still counted
            ["P4", "覃某", ID_P4, 6.0, True, dt.datetime(2025, 6, 30)],
            ["P6", "莫某", None, 2.5, "也许", "2025/6/31"],
        ],
    )
    excel(
        tmp_path / "招用记录.xlsx",
        [["人员编号", "单位编号", "招用日期"], ["P1", "E1", dt.date(2025, 3, 1)]],
    )
    excel(tmp_path / "单位.xlsx", [["单位编号", "参保人数"], ["E1", 80]])
    with pytest.raises(RegistryError) as caught:
        read_registry(tmp_path, today=TODAY)
    assert {(p.file, p.line, p.column) for p in caught.value.problems} == {
        ("人员.xlsx", 5, "累计缴纳失业保险月数"),
        ("人员.xlsx", 5, "是否高校毕业生"),
        ("人员.xlsx", 5, "毕业（离校）日期"),
    }
    registry = read_registry(tmp_path, skip_bad=True, today=TODAY)
    persons = registry.tables["persons"].collect()
    assert persons.select("id", "ui_contribution_months", "college_graduate", "graduation_date").rows() == [
        ("P1", 24, False, None),
        ("P4", 6, True, dt.date(2025, 6, 30)),
    ]
    assert registry.tables["employments"].collect()["hire_date"].to_list() == [dt.date(2025, 3, 1)]


def test_header_aliases_and_spellings_map_to_fields() -> None:
    headers = ["身份证号", "＊姓名", " 人员 编号 ", "手机号", "常住地行政区划代码", "College_Graduate"]
    assert resolve_headers("persons", headers, "p.csv") == [
        "id_number",
        "name",
        "id",
        "phone",
        "region",
        "college_graduate",
    ]
    employer = ["单位编号", "信用代码", "企业名称", "参保人数", "上年度营业收入(万元)", "行业代码"]
    assert resolve_headers("employers", employer, "e.csv") == [
        "id",
        "uscc",
        "name",
        "insured_staff",
        "revenue",
        "industry",
    ]
    hires = ["人员编号", "单位编号", "入职日期"]
    assert resolve_headers("employments", hires, "h.csv")[2] == "hire_date"
    assert resolve_headers("employments", ["人员编号", "单位编号", "招用日期"], "h.csv")[2] == "hire_date"


def test_unknown_repeated_and_missing_headers_fail_even_when_skipping(tmp_path: Path) -> None:
    (tmp_path / "招用记录.csv").write_text("人员编号,入职日期,招用日期,工资\nP1,2025-01-01,2025-01-01,3000\n", "utf-8")
    with pytest.raises(RegistryError) as caught:
        read_registry(tmp_path, skip_bad=True)
    text = str(caught.value)
    assert "招用记录.csv：1 行有误\n" in text and "第1行 “工资”：不是招用记录表可识别的列名" in text
    assert "“招用日期”：与列“入职日期”指同一字段 hire_date" in text
    assert "“单位编号”：缺少必填列（employer）" in text
    assert "不能用 --skip-bad 跳过" in text


def test_file_names_must_name_one_table_each(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text("id\nP1\n", "utf-8")
    (tmp_path / "人员.csv").write_text("id\nP2\n", "utf-8")
    (tmp_path / "工资.csv").write_text("id\nP2\n", "utf-8")
    (tmp_path / "说明.txt").write_text("not a table", "utf-8")
    (tmp_path / "~$人员.xlsx").write_bytes(b"lock")
    with pytest.raises(RegistryError) as caught:
        read_registry(tmp_path)
    found = {p.file: p.message for p in caught.value.problems}
    assert found.keys() == {"工资.csv", "人员.csv"}
    assert found["工资.csv"].startswith("文件名不是可识别的表名；提示：可用的表名为 persons/人员/人员信息")
    assert found["人员.csv"].startswith("与 persons.csv 是同一张表（persons）")


def test_an_empty_or_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="目录中没有台账文件"):
        read_registry(tmp_path)
    with pytest.raises(RegistryError, match="不存在或不是目录"):
        read_registry(tmp_path / "nowhere")


def test_values_are_read_the_way_staff_write_them(tmp_path: Path) -> None:
    (tmp_path / "用人单位.csv").write_text(
        "单位编号,单位类型,企业规模,上年度实际缴纳失业保险费（单位及职工）,见习期满留用率,生产经营确有困难,行业代码\n"
        'E1,企业,小型,"1,200,000.5",50%,是,c39\n'
        "E2,ENTERPRISE,微型企业,0.10,0.031,N,3911\n"
        "E3,机关,SMALL,12.345,1.5,maybe,C3\n",
        "utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        read_registry(tmp_path)
    bad = {(p.line, p.field): p.message for p in caught.value.problems}
    assert bad == {
        (4, "ui_contributions_last_year"): "小数位数过多（最多2位）",
        (4, "internship_retention_rate"): "应不大于 1",
        (4, "genuine_difficulty"): "应为 是 或 否（也可写 1/0、Y/N、true/false）",
        (4, "industry"): bad[(4, "industry")],
    }
    assert bad[(4, "industry")].startswith("行业代码格式不正确")
    employers = read_registry(tmp_path, skip_bad=True).tables["employers"].collect()
    cols = ["kind", "size", "ui_contributions_last_year", "internship_retention_rate", "genuine_difficulty", "industry"]
    assert employers.select(cols).rows() == [
        ("enterprise", "small", Decimal("1200000.50"), Decimal("0.500000"), True, "C39"),
        ("enterprise", "micro", Decimal("0.10"), Decimal("0.031000"), False, "3911"),
    ]


def test_birth_date_and_sex_must_agree_with_the_id_number(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text(
        f"id,id_number,birth_date,sex\nP1,{ID_P1},2001-01-02,男\nP2,{ID_P4},,男\nP3,{ID_P1},20010101,\n", "utf-8"
    )
    with pytest.raises(RegistryError) as caught:
        read_registry(tmp_path, today=TODAY)
    assert [(p.line, p.field, p.message) for p in caught.value.problems] == [
        (2, "birth_date", "出生日期与公民身份号码中的出生日期不一致"),
        (3, "sex", "性别与公民身份号码第17位（奇数为男、偶数为女）不一致"),
    ]


def test_a_blank_birth_date_or_sex_is_read_from_the_id_number_when_the_columns_exist(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text(
        f"id,id_number,birth_date,sex\nP1,{ID_P1},2001-01-01,\nP2,{ID_P1},,男\nP3,,,\n", "utf-8"
    )
    persons = read_registry(tmp_path, today=TODAY).tables["persons"].collect()
    assert persons.select("birth_date", "sex").rows() == [
        (dt.date(2001, 1, 1), "male"),
        (dt.date(2001, 1, 1), "male"),
        (None, None),
    ]
    (tmp_path / "persons.csv").write_text(f"id,id_number,birth_date,sex\nP1,{ID_P1},2001-01-01,男\n", "utf-8")
    persons = read_registry(tmp_path, today=TODAY).tables["persons"].collect()
    assert persons.select("birth_date", "sex").rows() == [(dt.date(2001, 1, 1), "male")]


def test_duplicate_ids_are_reported_on_every_line_and_their_references_too(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text("id,name\nP1,甲\nP2,乙\nP1,丙\n", "utf-8")
    (tmp_path / "employments.csv").write_text(
        "person,employer,hire_date\nP1,E1,2025-01-01\nP2,E1,2025-01-01\n", "utf-8"
    )
    with pytest.raises(RegistryError) as caught:
        read_registry(tmp_path)
    assert [(p.file, p.line) for p in caught.value.problems] == [
        ("persons.csv", 2),
        ("persons.csv", 4),
        ("employments.csv", 2),
        ("employments.csv", 2),
        ("employments.csv", 3),
    ]
    assert "人员编号 'P1' 重复（第2、4行）" in caught.value.problems[0].message
    assert "编号为 'P1' 的人员有误或重复" in caught.value.problems[2].message
    assert "台账目录（没有用人单位表）中没有编号为 'E1' 的用人单位" in caught.value.problems[3].message


def test_the_vectorised_id_check_agrees_with_the_single_value_check() -> None:
    r = random.Random(7)
    numbers = []
    for _ in range(3000):
        body = f"{r.choice(['45', '11', '99', '00'])}{r.randint(0, 9999):04d}"
        body += f"{r.randint(1900, 2030)}{r.randint(0, 13):02d}{r.randint(0, 32):02d}{r.randint(0, 999):03d}"
        numbers.append(body + r.choice("0123456789X"))
    numbers += [valid_id("45010319491231002"), "4501031949123100", "45010319491231002x".upper()]
    frame = pl.DataFrame({"n": numbers})
    vector = frame.select(first_problem(id_number_checks(pl.col("n"), today=TODAY))).to_series().to_list()
    for number, problem in zip(numbers, vector, strict=True):
        try:
            check_id_number(number, today=TODAY)
            ok = True
        except ValueError:
            ok = False
        assert ok == (problem is None), (number, problem)
    assert vector.count(None) > 100


def test_the_vectorised_uscc_region_and_industry_checks_agree_with_the_model() -> None:
    r = random.Random(11)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = []
    for _ in range(2000):
        body = "".join(r.choice(alphabet) for _ in range(17))
        codes.append(body + r.choice([uscc.calc_check_digit(body), r.choice(alphabet)]))
    codes += ["91450100MA5KX1234X", "91450100MA5KX1234I", "9145"]
    vector = pl.DataFrame({"c": codes}).select(first_problem(uscc_checks(pl.col("c")))).to_series().to_list()
    for code, problem in zip(codes, vector, strict=True):
        try:
            check_uscc(code)
            ok = True
        except ValueError:
            ok = False
        assert ok == (problem is None), code
    regions = [*region_table(), "450199", "459900", "440399", "990000", "45010", "4501033", "000000", "a50103"]
    regions += [f"{r.randint(0, 999999):06d}" for _ in range(500)]
    vector = pl.DataFrame({"c": regions}).select(first_problem(region_checks(pl.col("c")))).to_series().to_list()
    for code, problem in zip(regions, vector, strict=True):
        try:
            validate_region(code)
            ok = True
        except RegionError:
            ok = False
        assert ok == (problem is None), code
    industries = ["C", "C3", "C39", "C391", "C3911", "C39111", "39", "3", "3911", "CC39", "C3X", "c39"]
    vector = pl.DataFrame({"c": [i.upper() for i in industries]}).select(first_problem(industry_checks(pl.col("c"))))
    for code, problem in zip(industries, vector.to_series().to_list(), strict=True):
        try:
            m.Employer(id="E", industry=code)
            ok = True
        except ValueError:
            ok = False
        assert ok == (problem is None), code


def test_every_validator_of_the_facts_model_has_a_registry_check() -> None:
    declared = {}
    for model in TABLES.values():
        decorators = model.__pydantic_decorators__
        names = set(decorators.field_validators) | set(decorators.model_validators)
        if names:
            declared[model.__name__] = names
    assert declared == COVERED_VALIDATORS, "新增的模型校验须在 jiuye/registry 中有对应的向量化检查"


def write_registry(tables: dict[str, pl.LazyFrame], folder: Path, fmt: str) -> None:
    folder.mkdir()
    for name, frame in tables.items():
        data = frame.collect()
        if fmt == "parquet":
            data.write_parquet(folder / f"{name}.parquet")
        else:  # CSV with the Chinese labels as headers, as staff would export it
            model = TABLES[name]
            labels = {f: model.model_fields[f].title or f for f in data.columns}
            data.rename(labels).write_csv(folder / f"{name}.csv")


def with_prior(facts: Facts) -> dict[str, pl.LazyFrame]:
    tables = registry_from_facts(facts)
    tables["prior_grants"] = prior_grants_frame(facts).lazy()
    return tables


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_registry_written_from_facts_reads_back_unchanged(tmp_path: Path, fmt: str) -> None:
    docs: dict[str, list[dict[str, object]]] = {}
    for seed in range(30):
        for key, rows in random_facts(seed, tag=f"R{seed}-").items():
            docs.setdefault(key, []).extend(rows)
    facts = facts_from_data(docs)
    original = with_prior(facts)
    write_registry(original, tmp_path / "registry", fmt)
    registry = read_registry(tmp_path / "registry")
    assert registry.problems == []
    for name, frame in original.items():
        expected = frame.collect()
        if expected.is_empty():
            continue
        assert_frame_equal(registry.tables[name].collect(), expected)


def batch_decisions(registry: Registry, *, as_of: dt.date, region: str, params: ParameterSet) -> dict[object, object]:
    rows = evaluate_batch(
        tables_from_registry(registry.tables), as_of=as_of, region=region, params=params, prior=registry.prior()
    )
    decided = decide_batch(rows, all_measures())
    return {
        (r["measure"], r["subject_id"]): (r["status"], r["amount_fen"], r["selected"])
        for r in decided.iter_rows(named=True)
    }


def single_decisions(facts: Facts, *, as_of: dt.date, region: str, params: ParameterSet) -> dict[object, object]:
    report = calculate(facts, as_of=as_of, region=region, params=params)
    return {(d.measure, d.subject_id): (d.status, d.amount_fen, d.selected) for d in report.decisions}


EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def test_every_example_written_as_csv_with_chinese_headers_reads_back_unchanged(tmp_path: Path) -> None:
    for example in EXAMPLES:
        original = with_prior(load_facts(example))
        write_registry(original, tmp_path / example.stem, "csv")
        registry = read_registry(tmp_path / example.stem)
        for name, frame in original.items():
            expected = frame.collect()
            if not expected.is_empty():
                assert_frame_equal(registry.tables[name].collect(), expected)


@pytest.mark.parametrize("stem", ["gx.expansion", "gx.intern", "gx.si.absorb", "gx.startup.subsidy", "xxq.tax.hire"])
def test_reading_an_example_as_a_registry_evaluates_like_the_calculator(
    tmp_path: Path, stem: str, params: ParameterSet
) -> None:
    facts = load_facts(ROOT / "examples" / f"{stem}.yaml")
    as_of = facts.as_of or dt.date(2025, 12, 31)
    region = facts.region or "450103"
    if facts.parameters:
        params = with_overrides(params, facts.parameters, "事实文件中的参数设定")
    write_registry(with_prior(facts), tmp_path / "registry", "csv")
    registry = read_registry(tmp_path / "registry")
    batch = batch_decisions(registry, as_of=as_of, region=region, params=params)
    assert batch == single_decisions(facts, as_of=as_of, region=region, params=params)


def test_a_random_registry_evaluates_like_the_calculator(tmp_path: Path, params: ParameterSet) -> None:
    docs: dict[str, list[dict[str, object]]] = {}
    for seed in range(40):
        for key, rows in random_facts(seed, tag=f"S{seed}-").items():
            docs.setdefault(key, []).extend(rows)
    facts = facts_from_data(docs)
    write_registry(with_prior(facts), tmp_path / "registry", "parquet")
    registry = read_registry(tmp_path / "registry")
    as_of = dt.date(2025, 12, 31)
    batch = batch_decisions(registry, as_of=as_of, region="450103", params=params)
    single = single_decisions(facts, as_of=as_of, region="450103", params=params)
    assert batch == single
    assert {v[0] for v in single.values()} >= {"eligible", "ineligible", "needs_facts"}  # type: ignore[index]


def test_the_registry_format_document_matches_the_code() -> None:
    document = (ROOT / "docs" / "registry-format.md").read_text("utf-8")
    assert document == registry_format_markdown(), (
        "运行 .venv/bin/python -m jiuye.registry.doc > docs/registry-format.md 重新生成"
    )
