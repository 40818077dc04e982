"""Chinese identifiers checked a whole column at a time: the vectorised twins of :mod:`jiuye.identifiers`
and :func:`jiuye.regions.validate_region` (a test holds them to the same answers).

Each function takes a cleaned text column (trimmed, upper case, null when empty) and returns
its checks: boolean expressions that are true where the value fails, each with the Chinese
message for it. :func:`any_failed` is all a scan needs; :func:`first_problem` words it, and is
computed only for the bad rows.

>>> ids = pl.DataFrame({"id": ["11010519491231002X", "110105194912310021", None]})
>>> ids.select(first_problem(id_number_checks(pl.col("id"), today=dt.date(2025, 1, 1)))).to_series().to_list()
[None, '校验码不正确（GB 11643-1999），请核对号码是否抄错；提示：Excel 中请把该列设为文本，以免末位丢失', None]
"""

from __future__ import annotations

import datetime as dt
import functools

import polars as pl

from jiuye.regions import NATIONAL
from jiuye.regions import _table as _region_table  # the bundled GB/T 2260 list (no public accessor)

__all__ = [
    "ID_BIRTH",
    "Checks",
    "any_failed",
    "first_problem",
    "id_birth_date",
    "id_male",
    "id_number_checks",
    "id_sex",
    "industry_checks",
    "region_checks",
    "uscc_checks",
]

#: The column a registry scan keeps the birth date of each ID number in (parsed once).
ID_BIRTH = "!id:birth"

#: A column's checks: (failed, Chinese message) pairs, in the order a user should fix them.
Checks = list[tuple[pl.Expr, str]]

# GB 11643-1999: the weight of position i (1-based) is 2^(18-i) mod 11 and the check code is
# (12 - Σ mod 11) mod 11, 10 written X. Read the 17 digits as a base-13 number v: since
# 13 ≡ 2 (mod 11), Σ ≡ 2·v, so the check code is (1 - 2·v) mod 11 (python-stdnum's shortcut,
# one integer parse instead of 17 digit operations). A number is valid when (2·v + check) ≡ 1.
# GB 32100-2015: 31 characters (no I O S V Z), weights 3^(i) mod 31, check (31 - Σ mod 31) mod 31.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def id_birth_date(number: pl.Expr) -> pl.Expr:
    """Date of birth written in an 18-digit ID number (null if it is not a date)."""
    return number.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def id_male(number: pl.Expr) -> pl.Expr:
    """True for a man: the 17th digit is odd (null when there is no such digit)."""
    return number.str.slice(16, 1).str.to_integer(strict=False) % 2 == 1


def id_sex(number: pl.Expr) -> pl.Expr:
    """male / female from the 17th digit."""
    male = id_male(number)
    return pl.when(male).then(pl.lit("male")).when(male.is_not_null()).then(pl.lit("female"))


def first_problem(checks: Checks) -> pl.Expr:
    """The message of the first failed check, or null: what a row is told."""
    if not checks:
        return pl.lit(None, pl.String)
    return pl.coalesce([pl.when(failed).then(pl.lit(message)) for failed, message in checks])


def any_failed(checks: Checks) -> pl.Expr:
    """True when any check failed (a check on a missing value counts as passed)."""
    if not checks:
        return pl.lit(False)
    return pl.any_horizontal([failed for failed, _ in checks]).fill_null(False)


def id_number_checks(number: pl.Expr, *, today: dt.date, birth: pl.Expr | None = None) -> Checks:
    """公民身份号码: format, check code, date of birth. Unknown address codes are not errors.

    ``birth``: :func:`id_birth_date` of the number when the caller has it already (a registry
    scan keeps it as a column, read again by the record rules).
    """
    base13 = number.str.slice(0, 17).str.to_integer(base=13, strict=False)
    check = number.str.slice(17, 1).str.to_integer(strict=False).fill_null(10)  # X = 10
    birth = id_birth_date(number) if birth is None else birth
    return [
        (~number.str.contains(r"^[0-9]{17}[0-9X]$"), "格式不正确；提示：应为18位，前17位为数字，末位为数字或X"),
        (
            (2 * (base13 % 11) + check) % 11 != 1,  # check ≡ 1 - 2v (mod 11), in integers: no strings built
            "校验码不正确（GB 11643-1999），请核对号码是否抄错；提示：Excel 中请把该列设为文本，以免末位丢失",
        ),
        (number.is_not_null() & birth.is_null(), "号码中的出生日期不存在"),
        (birth > today, "号码中的出生日期晚于今天"),
    ]


@functools.cache
def _uscc_tables() -> tuple[pl.Series, pl.Series]:
    """Byte → its value in the GB 32100 alphabet (0 for any other byte), and value → byte."""
    values = [0] * 256
    for i, char in enumerate(_USCC_ALPHABET):
        values[ord(char)] = i
    return pl.Series(values, dtype=pl.Int64), pl.Series([ord(c) for c in _USCC_ALPHABET], dtype=pl.UInt8)


def uscc_checks(code: pl.Expr) -> Checks:
    """统一社会信用代码: 18 characters of the GB 32100 alphabet and the right check character.

    The check character is computed on the code's 18 bytes (a well-formed code is ASCII), each
    looked up by position in a 256-entry table: ~6× faster than a string slice and a dictionary
    lookup per character. A code of any other length has no bytes (null) and is ill-formed.
    """
    values, chars = _uscc_tables()
    raw = code.cast(pl.Binary).bin.reinterpret(dtype=pl.Array(pl.UInt8, 18))
    total = pl.sum_horizontal([pl.lit(values).gather(raw.arr.get(i)) * w for i, w in enumerate(_USCC_WEIGHTS)])
    expected = pl.lit(chars).gather((31 - total % 31) % 31)
    well_formed = code.str.contains(rf"^[{_USCC_ALPHABET}]{{18}}$")
    return [
        (~well_formed, "格式不正确；提示：应为18位，由数字和除 I、O、S、V、Z 以外的大写字母组成"),
        (well_formed & (expected != raw.arr.get(17)), "校验码不正确（GB 32100-2015），请核对代码是否抄错"),
    ]


@functools.cache
def _regions() -> tuple[list[str], str]:
    """Valid codes inside Guangxi (listed), and a pattern for every other province's codes."""
    table = _region_table()
    guangxi = [NATIONAL, *(code for code in table if code.startswith("45"))]
    others = "|".join(code[:2] for code in table if code.endswith("0000") and not code.startswith("45"))
    return guangxi, rf"^(?:{others})\d{{4}}$"


def region_checks(code: pl.Expr) -> Checks:
    """GB/T 2260: six digits, a known province; inside Guangxi, a code that exists today."""
    guangxi, elsewhere = _regions()
    unknown = ~code.is_in(guangxi) & ~code.str.contains(elsewhere)
    return [
        (unknown & ~code.str.contains(r"^\d{6}$"), "格式不正确；提示：应为6位数字（GB/T 2260），如 450103"),
        (unknown & ~code.str.starts_with("45"), "省级部分不存在；提示：广西为 45，南宁市为 450100"),
        (
            unknown,
            "不是广西现行的行政区划代码（截至2024年12月31日）；提示：如为已撤销的旧代码，请改用现行代码",
        ),
    ]


def industry_checks(code: pl.Expr) -> Checks:
    """GB/T 4754-2017: a section letter, optionally followed by 2-4 digits, or 2-4 digits."""
    return [
        (
            ~code.str.contains(r"^(?:[A-Z]|[A-Z]?\d{2,4})$"),
            "行业代码格式不正确；提示：如 C39、39 或 3911（GB/T 4754-2017，门类字母+大类2位、中类3位、小类4位）",
        )
    ]
