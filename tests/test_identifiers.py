"""ID numbers and credit codes: check characters, historical codes accepted, masking."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from stdnum.cn import ric

from jiuye.identifiers import check_id_number, check_uscc, mask_id, mask_phone, redact


def _with_check(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def test_gb11643_sample_from_the_standard() -> None:
    parsed = check_id_number("11010519491231002X")
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "female"  # 17th digit 2 is even


def test_wrong_check_digit_is_rejected_with_masked_number() -> None:
    with pytest.raises(ValueError, match=r"校验码不正确") as info:
        check_id_number("110105194912310021")
    assert "194912310021" not in str(info.value)


@pytest.mark.parametrize("county", ["450127", "450122", "450107", "450181"])
def test_county_codes_that_changed_after_birth_are_accepted(county: str) -> None:
    # 450127 横县 became 450181 横州市 in 2021; python-stdnum's validate() rejects such real IDs.
    number = _with_check(f"{county}19900101123")
    assert check_id_number(number).region_prefix == county


def test_stdnum_validate_would_reject_a_real_id_we_accept() -> None:
    number = _with_check("45010219700101123")
    assert check_id_number(number)
    assert not ric.is_valid(number)  # the known bug we work around (STANDARDS.md §2)


def test_impossible_or_future_birth_dates_are_rejected() -> None:
    with pytest.raises(ValueError, match="出生日期不存在"):
        check_id_number(_with_check("45010319900230123"))
    with pytest.raises(ValueError, match="晚于今天"):
        check_id_number(_with_check("45010320990101123"), today=dt.date(2026, 1, 1))


def test_malformed_id_names_the_expected_format() -> None:
    with pytest.raises(ValueError, match="18位"):
        check_id_number("45010319900101")


def test_unknown_province_prefix_is_only_a_warning() -> None:
    parsed = check_id_number(_with_check("99010319900101123"))
    assert parsed.warnings == ()  # 9x: foreigners' permanent residence IDs
    assert check_id_number(_with_check("00010319900101123")).warnings


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "Y1450100MJ0000000Q", "N2450100MF00000019"],
)
def test_uscc_check_character(code: str) -> None:
    from stdnum.cn import uscc

    fixed = code[:17] + uscc.calc_check_digit(code[:17])
    assert check_uscc(fixed) == fixed
    wrong = fixed[:17] + ("0" if fixed[17] != "0" else "1")
    with pytest.raises(ValueError, match="校验码"):
        check_uscc(wrong)


def test_uscc_rejects_forbidden_letters() -> None:
    with pytest.raises(ValueError, match="I、O、S、V、Z"):
        check_uscc("91350100M000100I43")


def test_masking_keeps_only_what_recognises() -> None:
    assert mask_id("450103199001011234") == "4501**********1234"
    assert mask_phone("13812345678") == "138****5678"


def test_every_guangxi_code_in_history_builds_a_valid_id(shared: Path) -> None:
    path = shared / "refdata" / "gbt2260" / "areacodes_history_1981_2024.csv"
    with path.open(encoding="utf-8-sig") as f:
        codes = [row["代码"] for row in csv.DictReader(f) if row["代码"].startswith("45")]
    assert len(codes) > 100
    for code in codes:
        assert check_id_number(_with_check(f"{code}19800101123")).warnings == ()


def test_a_person_id_number_in_a_uscc_field_is_masked_in_the_message() -> None:
    person = "450103200305011236"[:17] + ric.calc_check_digit("450103200305011236"[:17] + "0")
    for value in (person, person[:17]):  # a check-character error, and a format error
        with pytest.raises(ValueError) as info:
            check_uscc(value)
        assert person[:17] not in str(info.value) and mask_id(value) in str(info.value)
    code = "91450103MA5KD00019"  # a credit code (letters in it) is not a person's number
    assert redact(f"号码 {person}，代码 {code}") == f"号码 {mask_id(person)}，代码 {code}"
