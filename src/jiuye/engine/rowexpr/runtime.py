"""What compiled row programs call where Polars' semantics are not Python's own.

Each function takes plain values (``None`` for null) and returns what Polars returns for one
row: Kleene logic, division by zero as null, integers wrapping at their width, calendar offsets
clamped to the month's end, Rust regex replacements.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

__all__ = [
    "EPOCH",
    "all_",
    "and_",
    "any_",
    "clip",
    "date_of_days",
    "floordiv",
    "mod",
    "offset",
    "offset_spec",
    "or_",
    "regex_replacement",
    "slice_chars",
    "text",
    "to_int",
    "wrap",
]

EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()
_WIDTHS = {
    "Int8": (8, True),
    "Int16": (16, True),
    "Int32": (32, True),
    "Int64": (64, True),
    "UInt8": (8, False),
    "UInt16": (16, False),
    "UInt32": (32, False),
    "UInt64": (64, False),
}


def date_of_days(days: int) -> dt.date:
    return dt.date.fromordinal(_EPOCH_ORDINAL + days)


def and_(a: Any, b: Any) -> Any:
    """``&`` of two booleans, Kleene: false wins over null."""
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def or_(a: Any, b: Any) -> Any:
    """``|`` of two booleans, Kleene: true wins over null."""
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def any_(*values: Any) -> Any:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def all_(*values: Any) -> Any:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def floordiv(a: Any, b: Any) -> Any:
    """Integer floor division; by zero, null (Polars), not an exception."""
    if a is None or b is None:
        return None
    if b == 0:
        return None if isinstance(a, int) and isinstance(b, int) else _float_div_by_zero(a, floor=True)
    return a // b


def mod(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if b == 0:
        return None if isinstance(a, int) and isinstance(b, int) else float("nan")
    return a % b


def truediv(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if b == 0:
        return _float_div_by_zero(a, floor=False)
    return a / b


def _float_div_by_zero(a: Any, *, floor: bool) -> float:
    if a == 0 or a != a:
        return float("nan")
    return float("inf") if a > 0 else float("-inf")


def wrap(value: Any, dtype: str) -> Any:
    """An integer result kept to its dtype's width, as Polars' arithmetic wraps."""
    if value is None or not isinstance(value, int) or isinstance(value, bool):
        return value
    bits, signed = _WIDTHS[dtype]
    value &= (1 << bits) - 1
    if signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


def to_int(value: Any, dtype: str, *, strict: bool) -> Any:
    """A cast to an integer dtype: out of range is an error (strict) or null."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        value = value.toordinal() - _EPOCH_ORDINAL
    elif isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            if strict:
                raise ValueError(f"strict cast of {value!r} to {dtype}") from None
            return None
    elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        if strict:
            raise ValueError(f"strict cast of {value!r} to {dtype}")
        return None
    value = int(value)
    bits, signed = _WIDTHS[dtype]
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if low <= value <= high:
        return value
    if strict:
        raise ValueError(f"strict cast of {value!r} to {dtype}")
    return None


def text(value: Any) -> Any:
    """A value as Polars casts it to String (booleans lower case, dates ISO)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | dt.date):
        return str(value)
    raise TypeError(f"no text form for {type(value).__name__}")


def clip(value: Any, low: Any, high: Any) -> Any:
    """``clip``: a null bound is no bound."""
    if value is None:
        return None
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return value


def slice_chars(value: Any, offset: Any, length: Any) -> Any:
    if value is None or offset is None:
        return None
    start = offset if offset >= 0 else max(len(value) + offset, 0)
    return value[start:] if length is None else value[start : start + length]


_SPEC = re.compile(r"(-?)((?:\d+(?:y|mo|q|w|d))+)")
_PART = re.compile(r"(\d+)(y|mo|q|w|d)")


def offset_spec(spec: str) -> tuple[int, int] | None:
    """``"1y6mo"``, ``"-1d"`` → (months, days); None for what a date offset cannot be."""
    whole = _SPEC.fullmatch(spec)
    if whole is None:
        return None
    months = days = 0
    for number, unit in _PART.findall(whole.group(2)):
        n = int(number)
        months += {"y": 12 * n, "q": 3 * n, "mo": n}.get(unit, 0)
        days += {"w": 7 * n, "d": n}.get(unit, 0)
    sign = -1 if whole.group(1) else 1
    return sign * months, sign * days


def offset(value: Any, months: int, days: int) -> Any:
    """``dt.offset_by`` on a date: calendar months first (clamped to the month's end), then days."""
    if value is None:
        return None
    if months:
        total = value.year * 12 + value.month - 1 + months
        year, month = divmod(total, 12)
        month += 1
        value = dt.date(year, month, min(value.day, calendar.monthrange(year, month)[1]))
    return value + dt.timedelta(days=days) if days else value


def offset_by(value: Any, spec: Any) -> Any:
    """``dt.offset_by`` with the offset read per row."""
    if value is None or spec is None:
        return None
    parsed = offset_spec(spec)
    if parsed is None:
        raise ValueError(f"offset {spec!r}")
    return offset(value, *parsed)


_GROUP = re.compile(r"\$(\d+)|\$\{(\w+)\}")


def regex_replacement(replacement: str) -> str:
    """A Rust regex replacement (``$1``, ``${name}``) in Python's ``re`` form."""
    escaped = replacement.replace("\\", "\\\\")
    return _GROUP.sub(lambda m: f"\\g<{m.group(1) or m.group(2)}>", escaped.replace("$$", "\0")).replace("\0", "$")


def python_regex(pattern: str) -> re.Pattern[str]:
    """A Rust regex in Python's ``re``: the same for what the rules use, but for ``$``, which in
    Python also matches before a final newline (``\\Z`` does not)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + "\\Z"
    return re.compile(pattern)


class Searcher:
    """``str.contains`` of a regex."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex

    def __call__(self, value: Any) -> Any:
        return None if value is None else self.regex.search(value) is not None


class Replacer:
    """``str.replace`` of a fixed pattern (regex in Rust's syntax, or literal), picklable."""

    def __init__(self, pattern: str, replacement: str, count: int, *, literal: bool) -> None:
        self.pattern, self.replacement, self.count, self.literal = pattern, replacement, count, literal
        self.regex = None if literal else python_regex(pattern)
        self.python = replacement if literal else regex_replacement(replacement)

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        if self.regex is None:
            return value.replace(self.pattern, self.replacement, self.count if self.count > 0 else -1)
        return self.regex.sub(self.python, value, count=max(self.count, 0))


class Extractor:
    """``str.extract``: a regex group of the first match, or null."""

    def __init__(self, regex: re.Pattern[str], group: int) -> None:
        self.regex, self.group = regex, group

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        found = self.regex.search(value)
        return None if found is None else found.group(self.group)
