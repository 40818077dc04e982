"""Posting intake: Excel, GBK CSV, JSON and JSON Lines files → postings; bad rows reported by file and line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from stdnum.cn import uscc as stdnum_uscc

from jiuye.jobs.intake import (
    ChannelNameError,
    IntakeResult,
    PostingImportError,
    field_of,
    import_postings,
    postings_from_records,
)
from jiuye.jobs.parsing import EducationLevel

REFERENCE = dt.date(2025, 3, 31)


def stub(title: str) -> str | None:
    """A stand-in classifier: tests of intake need not load the 大典 index."""
    return {"会计": "2-06-01-00", "焊工": "6-18-02-04", "护士": "2-05-08-01"}.get(title)


def _import(paths: Path | list[Path], channel: str = "staff", **kwargs: object) -> IntakeResult:
    return import_postings(paths, channel, reference=REFERENCE, classify_title=stub, **kwargs)  # type: ignore[arg-type]


def _uscc(body: str) -> str:
    return body + stdnum_uscc.calc_check_digit(body)


# --- Excel ----------------------------------------------------------------------------------------------


def _staff_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2025年3月南宁市招聘信息汇总"])  # a title row above the header, as staff sheets have
    sheet.append(["岗位名称", "单位名称", "统一社会信用代码", "单位性质", "月薪", "工作地点", "学历要求", "招聘人数",
                  "发布日期", "截止日期", "岗位职责", "任职要求", "备注"])  # fmt: skip
    uscc = _uscc("91450100MA5K00001")
    opens, closes = dt.datetime(2025, 3, 1), dt.datetime(2025, 4, 30)
    sheet.append(["会计", "广西某某科技有限公司", uscc, "民营企业", "4000-6000", "南宁市青秀区", "大专", 2,
                  opens, closes, "负责全盘账务", "有初级会计证，熟练使用Excel", ""])  # fmt: skip
    sheet.append(["焊工", "南宁某某机械厂", None, "国有企业", "6-8千/月", "南宁-江南区", "不限", "招5人",
                  "2025-03-10", None, "氩弧焊", None, "包住"])  # fmt: skip
    sheet.append([None] * 13)  # a blank row is no record
    sheet.append(
        ["护士", "某医院", None, "事业单位", "好多钱", "南宁", "本科", 1, "2025-03-12", "2025-02-01", None, None, None]
    )
    book.save(path)
    return path


def test_excel_rows_become_postings(tmp_path: Path) -> None:
    result = _import(_staff_workbook(tmp_path / "南宁3月.xlsx"))
    assert result.rows == 3
    assert result.imported == 2
    accountant, welder = result.postings
    assert accountant.title == "会计"
    assert accountant.employer == "广西某某科技有限公司"
    assert accountant.employer_uscc is not None and accountant.employer_uscc.startswith("91450100MA5K")
    assert accountant.region == "450103"
    assert accountant.place == "南宁市青秀区"
    assert accountant.salary is not None and (accountant.salary.monthly_low, accountant.salary.monthly_high) == (
        4000,
        6000,
    )
    assert accountant.education is not None and accountant.education.level is EducationLevel.ASSOCIATE
    assert accountant.headcount is not None and accountant.headcount.count == 2
    assert accountant.open_on == dt.date(2025, 3, 1)  # an Excel date cell, read as "2025-03-01 00:00:00"
    assert accountant.close_on == dt.date(2025, 4, 30)
    assert accountant.description == "负责全盘账务\n有初级会计证，熟练使用Excel"  # 岗位职责 + 任职要求
    assert accountant.skills == ("全盘账务", "初级会计职称", "Excel")  # found in the description
    assert accountant.occupation_code == "2-06-01-00"
    assert "direction_6" in accountant.directions  # 民营企业: 二(六)
    assert accountant.channel == "staff" and accountant.id.startswith("staff#")
    assert welder.region == "450105"
    assert "direction_7" in welder.directions  # 国有企业: 二(七)
    assert welder.skills == ("氩弧焊",)
    assert welder.is_open(dt.date(2026, 1, 1))  # no close date: open until withdrawn


def test_bad_row_named_by_file_line_and_field(tmp_path: Path) -> None:
    result = _import(_staff_workbook(tmp_path / "南宁3月.xlsx"))
    assert result.rejected == 1
    lines = {(p.file, p.line, p.column) for p in result.problems}
    # Row 6 of the sheet (row 1 is the title, row 2 the header, row 5 blank): bad pay, close before open.
    assert lines == {("南宁3月.xlsx", 6, "月薪"), ("南宁3月.xlsx", 6, "截止日期")}
    assert result.rejected_by_reason() == {"薪资": 1, "截止日期": 1}
    text = result.summary()
    assert "南宁3月.xlsx" in text and "第6行 “月薪”：薪资“好多钱”无法识别" in text
    assert "截止日期 2025-02-01 早于发布日期 2025-03-12" in text
    ignored = [n.message for n in result.notes if n.column == "表头"]
    assert ignored == ["以下列不属于招聘信息字段，未使用：备注"]


def test_strict_mode_refuses_and_lists_every_problem(tmp_path: Path) -> None:
    path = _staff_workbook(tmp_path / "南宁3月.xlsx")
    with pytest.raises(PostingImportError) as caught:
        _import(path, strict=True)
    message = str(caught.value)
    assert message.startswith("招聘信息有误：1 个文件共 1 行有误（2 处），未导入任何数据。")
    assert "第6行 “月薪”" in message and "第6行 “截止日期”" in message
    assert len(caught.value.problems) == 2


# --- CSV ------------------------------------------------------------------------------------------------


def test_gbk_csv_with_51job_columns(tmp_path: Path) -> None:
    rows = [
        "job_name,company_name,companytype_text,providesalary_text,workarea_text,jobwelf,updatedate,attribute_text",
        "会计,南宁某某商贸有限公司,民营公司,6-8千/月,南宁-西乡塘区,五险一金,03-14,"
        "\"['南宁-西乡塘区', '1年经验', '大专', '招2人']\"",
        "焊工,柳州某某机械有限公司,国企,1-1.5万/月·13薪,柳州,,03-20,\"['柳州', '3-4年经验', '招若干人']\"",
        "护士,某某医院,事业单位,,异地招聘,,12-30,\"['异地招聘', '在校生/应届生', '本科', '招3人']\"",
    ]
    path = tmp_path / "51job.csv"
    path.write_bytes("\r\n".join(rows).encode("gbk"))
    result = _import(path, "51job")
    assert result.problems == ()
    accountant, welder, nurse = result.postings
    assert accountant.region == "450107"
    assert accountant.experience is not None and (accountant.experience.min_years, accountant.experience.max_years) == (
        1,
        1,
    )
    assert accountant.headcount is not None and accountant.headcount.count == 2
    assert accountant.open_on == dt.date(2025, 3, 14)
    assert welder.salary is not None and welder.salary.months_per_year == 13
    assert welder.headcount is not None and welder.headcount.unspecified
    assert welder.education is None  # not in the list: not stated
    assert nurse.region is None and nurse.place == "异地招聘"
    assert nurse.experience is not None and nurse.experience.for_fresh_graduates
    assert nurse.open_on == dt.date(2024, 12, 30)  # no year: the latest 12-30 not after the reference


def test_misaligned_requirement_columns_are_sorted_by_form(tmp_path: Path) -> None:
    """Scrapers that fill 工作经验/学历/人数 by position shift values left (51job 2019 pages)."""
    path = tmp_path / "scrape.csv"
    path.write_text(
        "职位,公司,地区,工作经验,学历,人数\n"
        "会计,某公司,['上海-浦东新区'],['本科'],['英语熟练'],['若干人']\n"
        "焊工,某厂,['上海'],['3-4年工作经验'],['大专'],['2人']\n",
        encoding="utf-8",
    )
    result = _import(path)
    assert result.problems == ()
    moved, normal = result.postings
    assert moved.education is not None and moved.education.level is EducationLevel.BACHELOR
    assert moved.experience is None
    assert moved.headcount is not None and moved.headcount.unspecified
    assert "英语" in moved.skills  # the language requirement is kept as a skill
    assert any("错位" in n.message and n.line == 2 for n in result.notes)
    assert normal.experience is not None and normal.experience.min_years == 3


def test_csv_problems_every_field_by_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "职位,公司,统一社会信用代码,薪资,工作地点,经验,学历,人数,发布日期\n"
        "会计,甲公司,91450100MA5K000010,6-8千/月,南宁,3-5年,本科,2,2025-03-01\n"
        ",乙公司,,8000-6000,鼓楼,很多年,小学毕业生,招好多人,2025-02-30\n"
        "焊工,,,,,,,,\n",
        encoding="utf-8",
    )
    result = _import(path)
    assert result.imported == 0
    by_line: dict[int, set[str]] = {}
    for p in result.problems:
        by_line.setdefault(p.line, set()).add(p.column)
    assert by_line == {
        2: {"统一社会信用代码"},
        3: {"职位", "薪资", "工作地点", "经验", "学历", "人数", "发布日期"},
        4: {"公司"},
    }
    messages = {p.column: p.message for p in result.problems if p.line == 3}
    assert "有歧义" in messages["工作地点"] and "鼓楼" in messages["工作地点"]
    assert messages["职位"].startswith("职位名称为空")
    assert "下限不应高于上限" in messages["薪资"]
    assert result.rejected == 3


def test_missing_columns_and_unreadable_files_are_reported(tmp_path: Path) -> None:
    no_employer = tmp_path / "a.csv"
    no_employer.write_text("职位,薪资\n会计,5000\n", encoding="utf-8")
    no_header = tmp_path / "b.csv"
    no_header.write_text("甲,乙\n1,2\n", encoding="utf-8")
    twice = tmp_path / "c.csv"
    twice.write_text("职位,岗位名称,公司\n会计,出纳,甲\n", encoding="utf-8")
    other = tmp_path / "d.docx"
    other.write_bytes(b"PK")
    result = _import([no_employer, no_header, twice, other, tmp_path / "missing.csv"])
    assert result.imported == 0
    assert set(result.files_failed) == {"a.csv", "b.csv", "c.csv", "d.docx", "missing.csv"}
    text = {p.file: p.message for p in result.problems}
    assert text["a.csv"].startswith("缺少用人单位列")
    assert "找不到列名行" in text["b.csv"]
    assert "都是职位名称" in text["c.csv"]
    assert "不支持的文件类型 .docx" in text["d.docx"]
    assert "不存在" in text["missing.csv"]


def test_repeated_rows_are_skipped_and_conflicting_ids_reported(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(
        "职位编号,职位,公司,薪资\n"
        "J1,会计,甲公司,5000\n"
        "J1,会计,甲公司,5000\n"
        "J1,出纳,甲公司,5000\n"
        ",焊工,乙厂,6000\n"
        ",焊工,乙厂,6000\n",
        encoding="utf-8",
    )
    result = _import(path, "ledger")
    assert result.postings[0].id == "ledger:J1"
    assert result.postings[1].id.startswith("ledger#")
    assert [(d.line, d.message) for d in result.duplicates] == [
        (3, "与 ids.csv 第2行相同，已跳过"),
        (6, "与 ids.csv 第5行相同，已跳过"),
    ]
    assert [(p.line, p.column) for p in result.problems] == [(4, "职位编号")]
    assert "但内容不同" in result.problems[0].message


def test_content_hash_id_is_stable_and_channel_specific(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("职位,公司,薪资\n会计,甲公司,5000\n", encoding="utf-8")
    first = _import(path, "a").postings[0].id
    assert _import(path, "a").postings[0].id == first
    assert _import(path, "b").postings[0].id != first.replace("a#", "b#")
    with pytest.raises(ChannelNameError, match="渠道名称"):
        _import(path, "bad channel")


# --- JSON -----------------------------------------------------------------------------------------------


def test_json_array_with_lagou_keys_lines_per_object(tmp_path: Path) -> None:
    records = [
        {"positionId": 123, "positionName": "数据分析师", "salary": "15k-30k", "workYear": "3-5年", "education": "本科",
         "city": "北京", "district": "海淀区", "companyFullName": "北京某某科技有限公司",
         "skillLables": ["数据分析", "SQL", "Python"], "createTime": "2025-03-20 10:00:00"},
        {"positionId": 124, "positionName": "数据分析师", "salary": "面议", "workYear": "很久", "education": "本科",
         "city": "北京", "companyFullName": "北京某某科技有限公司"},
    ]  # fmt: skip
    path = tmp_path / "lagou.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    result = _import(path, "lagou")
    (posting,) = result.postings
    assert posting.id == "lagou:123"
    assert posting.region == "110108" and posting.place == "北京-海淀区"
    assert posting.salary is not None and posting.salary.low == Decimal(15000)
    assert posting.skills == ("数据分析", "SQL", "Python")
    assert posting.open_on == dt.date(2025, 3, 20)
    (problem,) = result.problems
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[problem.line - 1].strip() == "{"  # the line where the second object starts
    assert problem.line == 18 and problem.column == "workYear"


def test_json_lines_and_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"职位": "会计", "公司": "甲公司", "薪资": 5000, "招聘人数": 3}\n'
        "\n"
        '{"职位": "出纳", "公司": "乙公司",\n'
        '["not", "an", "object"]\n',
        encoding="utf-8",
    )
    result = _import(path)
    assert result.imported == 1
    assert result.postings[0].headcount is not None and result.postings[0].headcount.count == 3
    assert [p.line for p in result.problems] == [3, 4]
    assert result.rows == 3


def test_records_from_memory() -> None:
    result = postings_from_records(
        [{"岗位": "焊工", "单位": "某厂", "工作地点": "柳州市柳南区", "技能": "焊工证、二保焊"}],
        "零工市场",
        reference=REFERENCE,
        classify_title=stub,
    )
    (posting,) = result.postings
    assert posting.region == "450204"
    assert posting.skills == ("焊工证", "二氧化碳保护焊")
    assert posting.occupation_code == "6-18-02-04"


def test_region_code_column() -> None:
    result = postings_from_records(
        [
            {"职位": "会计", "公司": "甲", "行政区划代码": "450103"},
            {"职位": "会计", "公司": "乙", "行政区划代码": "459999"},
        ],
        "staff",
        classify_title=stub,
    )
    assert result.postings[0].region == "450103"
    assert result.postings[0].place == "广西壮族自治区南宁市青秀区"
    assert result.problems[0].line == 2 and "行政区划表" in result.problems[0].message


def test_header_names_as_boards_and_staff_write_them() -> None:
    assert field_of("positionName") == field_of("岗位名称") == field_of("JOB_NAME") == "title"
    assert field_of("providesalary_text") == field_of("月薪") == "salary"
    assert field_of("workarea_text") == field_of("工作地点") == "place"
    assert field_of("companyFullName") == field_of("单位名称") == "employer"
    assert field_of("skillLables") == "skills"
    assert field_of("updatedate") == field_of("时间") == "open_on"
    assert field_of("jobwelf") is None


def test_default_classifier_codes_titles() -> None:
    result = postings_from_records([{"职位": "Java开发工程师", "公司": "甲"}], "staff")
    assert result.postings[0].occupation_code == "2-02-10-03"
    assert "direction_1" in result.postings[0].directions  # 2-02-10 信息和通信工程技术人员: 二(一)


# --- the real scraped files (../shared/jobdata; skipped when absent) -------------------------------------


@pytest.fixture(scope="module")
def jobdata(shared: Path) -> Path:
    path = shared / "jobdata"
    if not path.is_dir():
        pytest.skip("../shared/jobdata/ 不存在：跳过真实招聘数据的导入核对")
    return path


@pytest.mark.parametrize(
    ("file", "reference"),
    [
        ("scraped-51job-11yui22/job.csv", dt.date(2021, 10, 31)),
        ("scraped-51job-cugwhzenith/51job.csv", dt.date(2019, 9, 30)),
        ("scraped-lagou-jlk1993/lagou.csv", dt.date(2019, 7, 31)),
    ],
)
def test_real_scraped_files_import(jobdata: Path, file: str, reference: dt.date) -> None:
    result = import_postings(jobdata / file, "board", reference=reference, classify_title=lambda t: None)
    assert result.files_failed == ()
    assert result.rows > 1000
    assert (result.imported + len(result.duplicates)) / result.rows >= 0.98


def test_progress_is_reported_per_file_and_every_few_hundred_rows_without_changing_the_result(
    tmp_path: Path,
) -> None:
    from jiuye.jobs.intake.postings import PROGRESS_EVERY

    rows = PROGRESS_EVERY * 2 + 7
    path = tmp_path / "many.csv"
    path.write_text("职位编号,职位,公司,薪资\n" + "".join(f"J{i},会计,甲公司,5000\n" for i in range(rows)), "utf-8")
    seen: list[tuple[int, int, str]] = []
    result = _import(path, "many", progress=lambda done, total, message: seen.append((done, total, message)))
    assert result == _import(path, "many"), "进度回调不改变导入结果"
    assert seen[0] == (0, rows, f"已读取文件 many.csv（{rows} 行），正在逐行解析并编码职业")
    assert [done for done, _, _ in seen[1:]] == [PROGRESS_EVERY, PROGRESS_EVERY * 2]
    assert all(total == rows for _, total, _ in seen) and f"第 {PROGRESS_EVERY}/{rows} 行" in seen[1][2]
