"""Normalising board text before parsing: full-width to half-width, no spaces, one kind of dash.

>>> normalize("１－１．５万／月 ")
'1-1.5万/月'
>>> normalize("15K～30K")
'15k-30k'
>>> normalize("  ") is None
True
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CHINESE_DIGITS", "normalize", "small_int"]

# NFKC already maps full-width forms (－ ～ ／ ０-９ Ｋ) to ASCII; these are the other range marks boards use.
_DASHES = re.compile(r"[~〜‐‑‒–—―−至到]")
_SPACE = re.compile(r"\s+")

#: Chinese numerals staff write for small counts of years or people (一年以上, 招两人).
CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def normalize(raw: str | None, *, ranges: bool = True) -> str | None:
    """NFKC, lower case, no whitespace and (with ``ranges``) every range mark as ``-``; ``None`` for blank text."""
    if raw is None:
        return None
    text = _SPACE.sub("", unicodedata.normalize("NFKC", raw)).lower()
    if ranges:
        text = _DASHES.sub("-", text)
    return text or None


def small_int(token: str) -> int:
    """Arabic digits or a Chinese numeral up to 99 (三, 十, 十二, 二十)."""
    if token.isdigit():
        return int(token)
    if token in CHINESE_DIGITS:
        return CHINESE_DIGITS[token]
    tens, _, ones = token.partition("十")
    if "十" in token and tens in ("", *CHINESE_DIGITS) and ones in ("", *CHINESE_DIGITS):
        return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)
    raise ValueError(token)
