"""Valid identifiers, vectorised: 公民身份号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

Each is built as an ``(n, 18)`` array of ASCII codes, its check character computed with the
standard's weights over all rows at once, then read as strings. :mod:`jiuye.identifiers` (python-stdnum)
accepts every one (a test checks a sample).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from jiuye.registry.synthetic.draws import Ints, Labels

__all__ = ["USCC_ALPHABET", "IdSequences", "id_numbers", "uscc_codes"]

_ID_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)  # GB 11714 organisation code
_ASCII = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)
_USCC_VALUE = np.full(128, -1, dtype=np.int64)
_USCC_VALUE[_ASCII] = np.arange(len(USCC_ALPHABET))
_ORG_VALUE = np.full(128, -1, dtype=np.int64)  # GB 11714: digits 0-9, letters A=10 … Z=35
_ORG_VALUE[48:58] = np.arange(10)
_ORG_VALUE[65:91] = np.arange(10, 36)
_SCRAMBLE = 7_368_787  # coprime with 31⁶ and 10⁸: distinct numbers give distinct codes
_OFFSET = 40_591_223


def _digits(values: Ints, width: int) -> npt.NDArray[np.uint8]:
    """Decimal digits of each value as ASCII, most significant first, zero padded."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers[None, :]) % 10 + 48).astype(np.uint8)


def _strings(codes: npt.NDArray[np.uint8], name: str) -> pl.Series:
    width = codes.shape[1]
    raw = np.ascontiguousarray(codes).view(f"S{width}").ravel()
    return pl.Series(name, raw).cast(pl.String)


def id_numbers(name: str, region: Ints, birth: Ints, sequence: Ints) -> pl.Series:
    """18-digit citizen ID numbers.

    ``region``: 6-digit address code; ``birth``: day numbers; ``sequence``: 0–999, odd for men and
    even for women (the 17th digit), as GB 11643 prescribes.
    """
    day = birth.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    year = month.astype("datetime64[Y]").astype(np.int64) + 1970
    month_of_year = month.astype(np.int64) % 12 + 1
    day_of_month = (day - month.astype("datetime64[D]")).astype(np.int64) + 1
    body = region * 10**11 + (year * 10_000 + month_of_year * 100 + day_of_month) * 1_000 + sequence
    digits = _digits(body, 17)
    check = _ID_CHECK[((digits.astype(np.int64) - 48) @ _ID_WEIGHTS) % 11]
    return _strings(np.column_stack([digits, check]), name)


class IdSequences:
    """Hands out the 3-digit sequence of ID numbers so that no two persons share one.

    Two people born the same day in the same county of the same sex need different
    sequences: a running count per (county, birth day, sex) across all chunks, scrambled so
    that the numbers do not look sequential, kept odd for men and even for women.
    """

    _FIRST_DAY = -7305  # 1950-01-01
    _DAYS = 36_525  # to 2049
    _PER_SEX = 500

    def __init__(self, counties: int) -> None:
        self._count = np.zeros(counties * self._DAYS * 2, dtype=np.int16)

    def draw(self, county: Ints, birth: Ints, male: npt.NDArray[np.bool_]) -> Ints:
        key = (county * self._DAYS + (birth - self._FIRST_DAY)) * 2 + male.astype(np.int64)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        first = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        run_start = np.maximum.accumulate(np.where(first, np.arange(len(key)), 0))
        rank = np.empty(len(key), dtype=np.int64)
        rank[order] = np.arange(len(key)) - run_start
        taken = self._count[key].astype(np.int64) + rank
        if len(taken) and taken.max() >= self._PER_SEX:
            msg = "同一县、同一出生日、同一性别的人数超过身份号码顺序码的容量（500）"
            raise ValueError(msg)
        np.add.at(self._count, key, 1)
        return np.asarray(((taken * 277 + key) % self._PER_SEX) * 2 + male, dtype=np.int64)


def _base31(values: Ints, width: int) -> npt.NDArray[np.uint8]:
    powers = 31 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return np.asarray(_ASCII[(values[:, None] // powers[None, :]) % 31], dtype=np.uint8)


def _organisation_codes(serial: Ints, modern: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint8]:
    """9-character organisation codes, unique per serial number.

    Codes issued since 2015 read ``MA`` + 6 characters; older ones are 8 digits (GB 11714). The
    9th character is the GB 11714 check: 11 − Σ(value × weight) mod 11, where 10 is X and 11 is 0.
    """
    n = len(serial)
    new_style = np.column_stack(
        [
            np.full(n, ord("M"), np.uint8),
            np.full(n, ord("A"), np.uint8),
            _base31((serial * _SCRAMBLE + _OFFSET) % 31**6, 6),
        ]
    )
    old_style = _digits((serial * _SCRAMBLE + _OFFSET) % 10**8, 8)
    body = np.where(modern[:, None], new_style, old_style)
    check = 11 - (_ORG_VALUE[body] @ _ORG_WEIGHTS) % 11
    check_char = np.where(check == 10, ord("X"), np.where(check == 11, ord("0"), check + 48)).astype(np.uint8)
    return np.column_stack([body, check_char])


def uscc_codes(name: str, department: Labels, region: Ints, serial: Ints, modern: npt.NDArray[np.bool_]) -> pl.Series:
    """18-character unified social credit codes.

    ``department``: the two leading characters (登记管理部门 + 机构类别), e.g. ``91`` 工商·企业,
    ``92`` 个体工商户, ``52`` 民政·民办非企业单位, ``12`` 编办·事业单位, ``11`` 机关;
    ``serial``: a distinct number per entity (distinct codes follow); ``modern``: ``MA`` style.
    """
    heads = np.frombuffer("".join(department.names).encode(), dtype=np.uint8).reshape(-1, 2)
    head = heads[department.codes]
    body = np.column_stack([head, _digits(region, 6), _organisation_codes(serial, modern)])
    check = (31 - (_USCC_VALUE[body] @ _USCC_WEIGHTS) % 31) % 31
    return _strings(np.column_stack([body, _ASCII[check]]), name)
