"""Chinese identifiers: 公民身份号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

Check characters come from python-stdnum's ``calc_check_digit``; its ``validate`` is NOT used
because it rejects real IDs whose county code changed after birth and USCCs whose first
character is a letter (see ../shared/refdata/STANDARDS.md §2).

>>> check_id_number("11010519491231002X").birth_date
datetime.date(1949, 12, 31)
>>> mask_id("450103199001011234")
'4501**********1234'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["IdNumber", "check_id_number", "check_uscc", "mask_id", "mask_phone", "redact"]

# Province-level prefixes ever used by GB/T 2260 (incl. 46 海南 since 1988, 50 重庆 since 1997)
# and 9x used by the 2023 外国人永久居留身份证. An unknown prefix is only a warning.
_PROVINCES = frozenset(
    (
        "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46"
        " 50 51 52 53 54 61 62 63 64 65 71 81 82 91 92 93 94 95 96 97 98 99"
    ).split()
)
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_RE = re.compile(rf"^[{_USCC_ALPHABET}]{{18}}$")


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: dt.date
    sex: str  # "male" | "female"
    region_prefix: str
    warnings: tuple[str, ...] = ()


def check_id_number(value: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate an 18-character citizen ID number; raise ValueError with a Chinese message."""
    number = value.strip().upper()
    if not _ID_RE.match(number):
        msg = f"公民身份号码 {mask_id(number)} 格式不正确；提示：应为18位，前17位为数字，末位为数字或X"
        raise ValueError(msg)
    from stdnum.cn import ric  # imported when a number is checked: stdnum's import costs the CLI's start

    expected = ric.calc_check_digit(number)  # stdnum expects the full number
    if expected != number[17]:
        msg = f"公民身份号码 {mask_id(number)} 校验码不正确（GB 11643-1999），请核对号码是否抄错"
        raise ValueError(msg)
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        msg = f"公民身份号码 {mask_id(number)} 中的出生日期不存在"
        raise ValueError(msg) from None
    if birth > (today or dt.date.today()):
        msg = f"公民身份号码 {mask_id(number)} 中的出生日期晚于今天"
        raise ValueError(msg)
    warnings: tuple[str, ...] = ()
    if number[:2] not in _PROVINCES:
        warnings = (f"公民身份号码地址码前两位 {number[:2]} 不是已知的省级代码，请核实",)
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumber(number, birth, sex, number[:6], warnings)


def check_uscc(value: str) -> str:
    """Validate a unified social credit code; return it normalised (upper case)."""
    code = value.strip().upper()
    if not _USCC_RE.match(code):
        shown = mask_id(code)  # it may be a person's ID number entered in the wrong field
        msg = f"统一社会信用代码 {shown!r} 格式不正确；提示：应为18位，由数字和除 I、O、S、V、Z 以外的大写字母组成"
        raise ValueError(msg)
    from stdnum.cn import uscc

    if uscc.calc_check_digit(code[:17]) != code[17]:
        msg = f"统一社会信用代码 {mask_id(code)} 校验码不正确（GB 32100-2015），请核对代码是否抄错"
        raise ValueError(msg)
    return code


def mask_id(number: str) -> str:
    """Keep the first 4 and last 4 characters: enough to recognise, not enough to misuse."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


#: Anything shaped like a citizen ID number (18 characters, or the old 15 digits) inside a text.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """``text`` with every ID-number-shaped run masked: the last guard before a message leaves.

    >>> redact("号码 450103200305011236 有误")
    '号码 4501**********1236 有误'
    """
    return _ID_IN_TEXT.sub(lambda found: mask_id(found.group(0)), text)


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
