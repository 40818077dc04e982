"""One registry column, parsed and checked as a whole: text as staff type it → the canonical type.

Every check is a Polars expression (no Python loop over rows), in stages so that each
intermediate is computed once: the cell as trimmed text (column ``TEXT + field``), the typed
value (column ``field``), then checks: a boolean per check, true where the cell fails, with its
Chinese message (worded only for the rows that fail).
The constraints (non-negative, at most 1, decimal places, required) are read from the facts
model, so the registry and a facts document accept the same values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import annotated_types
import polars as pl
from pydantic import BaseModel

from jiuye.facts.enums import LABELS
from jiuye.facts.tables import registry_schema
from jiuye.registry.codes import ID_BIRTH, Checks, id_number_checks, industry_checks, region_checks, uscc_checks

__all__ = ["BOOLEAN_WORDS", "ENUM_WORDS", "TEXT", "Parsed", "Rules", "field_rules", "parse_column"]

#: Prefix of the stage-one column holding a cell as trimmed text (null when blank).
TEXT = "!text:"

#: How staff write yes and no (also accepted in UPPER case or Capitalised).
BOOLEAN_WORDS: dict[str, bool] = {
    "是": True,
    "否": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
}

#: Words for enum values besides the value itself and its label in :data:`jiuye.facts.enums.LABELS`.
ENUM_WORDS: dict[str, str] = {
    "大专": "associate",
    "硕士": "master",
    "博士": "doctorate",
    "大型": "large",
    "中型": "medium",
    "小型": "small",
    "微型": "micro",
    "固定期限": "fixed_term",
    "无固定期限": "open_ended",
    "以完成一定工作任务为期限": "task_based",
    "完成一定工作任务": "task_based",
    "未签订": "none",
    "未签": "none",
}

_DATE = r"^\d{4}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|年\d{1,2}月\d{1,2}日|\d{4})(?: 00:00:00)?$"
_DATE_FORMS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d")
_WIDE = pl.Decimal(38, 18)  # room to see every decimal place a user typed
_INTEGER = r"^[+-]?\d+(?:\.0*)?$"
_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$"
_HINT_DATE = "日期格式不正确；提示：应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日，如 2025-03-01"


@dataclass(frozen=True)
class Parsed:
    """The stages of one column; each reads the columns the stage before wrote."""

    text: pl.Expr | None  # source column → trimmed text, or None when the source is already typed
    value: pl.Expr  # → the canonical type of ``registry_schema``; null when missing or bad
    checks: Checks  # → (failed, Chinese message), reading the text and value columns


@dataclass(frozen=True)
class Rules:
    """What the facts model allows in a field: bounds, decimal digits, an enum of values."""

    ge: Any = None
    le: Any = None
    max_digits: int | None = None
    decimal_places: int | None = None
    enum: type[Enum] | None = None


def field_rules(annotation: Any, found: Rules | None = None) -> Rules:
    """Constraints declared on a field (``Count``, ``Money``, ``Ratio``...), however nested."""
    rules = found or Rules()
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        for extra in extras:
            for item in [extra, *getattr(extra, "metadata", [])]:
                if isinstance(item, annotated_types.Ge):
                    rules = dataclasses.replace(rules, ge=item.ge)
                elif isinstance(item, annotated_types.Le):
                    rules = dataclasses.replace(rules, le=item.le)
                elif getattr(item, "max_digits", None) is not None:
                    digits = {"max_digits": item.max_digits, "decimal_places": item.decimal_places}
                    rules = dataclasses.replace(rules, **digits)
        return field_rules(base, rules)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            rules = field_rules(arg, rules)
        return rules
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return dataclasses.replace(rules, enum=annotation)
    return rules


def _text(column: pl.Expr, source: pl.DataType, *, trim: bool) -> pl.Expr:
    """Any source column as text, null when empty; whole floats lose their ``.0``. Cells typed by
    people (CSV, Excel) are trimmed; Parquet text is machine-written and read as stored."""
    if source.is_float():
        whole = column.cast(pl.Int64, strict=False).cast(pl.String)
        text = pl.when((column == column.floor()) & whole.is_not_null()).then(whole).otherwise(column.cast(pl.String))
    elif source == pl.String:
        text = column
    else:
        text = column.cast(pl.String)
    return (text.str.strip_chars() if trim else text).replace("", None)


def _words(rules: Rules) -> dict[str, str]:
    assert rules.enum is not None
    values = [member.value for member in rules.enum]
    words = {v.lower(): v for v in values}
    for value in values:
        label = LABELS.get(value)
        if label:
            words[label.lower()] = value
            if "（" in label:  # 初级工（五级）: either half is enough
                first, second = label.removesuffix("）").split("（")
                words.setdefault(first, value)
                words.setdefault(second, value)
    words.update({w: v for w, v in ENUM_WORDS.items() if v in values})
    return words


def _date(text: pl.Expr, value: pl.Expr) -> tuple[pl.Expr, Checks]:
    """2025-03-01, 2025/3/1, 2025年3月1日 or 20250301 (an all-zero time of day is ignored)."""
    day = text.str.strip_suffix(" 00:00:00")
    parsed: pl.Expr = pl.when(text.str.contains(_DATE)).then(
        pl.coalesce([day.str.to_date(form, strict=False) for form in _DATE_FORMS])
    )
    return parsed, [
        (~text.str.contains(_DATE), _HINT_DATE),
        (text.is_not_null() & value.is_null(), "日期不存在；提示：请核对月份和日"),
    ]


def _lookup(text: pl.Expr, table: Mapping[str, Any], dtype: pl.DataType) -> pl.Expr:
    """``table[text]``, null for a word not in the table (a categorical lookup: no hashing of
    every row's string against a dict, about twice as fast as ``replace_strict``)."""
    index = text.cast(pl.Enum(list(table)), strict=False).to_physical()
    return pl.lit(pl.Series(list(table.values()), dtype=dtype)).gather(index)


def _spellings(words: Mapping[str, Any]) -> dict[str, Any]:
    """Each word as typed in lower case, UPPER case or Capitalised (Chinese words are unchanged)."""
    return {spelling: value for word, value in words.items() for spelling in (word, word.upper(), word.capitalize())}


def _boolean(text: pl.Expr, value: pl.Expr) -> tuple[pl.Expr, Checks]:
    parsed = _lookup(text, _spellings(BOOLEAN_WORDS), pl.Boolean())
    return parsed, [(text.is_not_null() & value.is_null(), "应为 是 或 否（也可写 1/0、Y/N、true/false）")]


def _integer(text: pl.Expr, value: pl.Expr) -> tuple[pl.Expr, Checks]:
    """Whole numbers; thousands separators and a trailing .0 (Excel) are accepted."""
    plain = text.str.replace_all(",", "", literal=True)
    well_formed = plain.str.contains(_INTEGER)
    whole = pl.coalesce(
        plain.str.to_integer(strict=False), plain.cast(pl.Decimal(38, 0), strict=False).cast(pl.Int64, strict=False)
    )
    parsed: pl.Expr = pl.when(well_formed).then(whole)
    return parsed, [(~well_formed, "应为整数"), (text.is_not_null() & value.is_null(), "数值过大")]


def _decimal(text: pl.Expr, value: pl.Expr, target: pl.Decimal, *, percent: bool) -> tuple[pl.Expr, Checks]:
    """Exact decimals: never through a float; more places than the scale is an error, not rounding.

    Ratios may be written as percentages (3.1% = 0.031).
    """
    plain = text.str.replace_all(",", "", literal=True)
    is_percent = plain.str.ends_with("%") & pl.lit(percent)
    number = pl.when(is_percent).then(plain.str.strip_suffix("%")).otherwise(plain)
    wide = number.cast(_WIDE, strict=False)
    wide = pl.when(is_percent).then(wide * pl.lit(Decimal("0.01"))).otherwise(wide)
    narrow = wide.cast(target, strict=False)
    too_precise = narrow.cast(_WIDE) != wide
    well_formed = number.str.contains(_NUMBER)
    parsed: pl.Expr = pl.when(well_formed & ~too_precise).then(narrow)
    return parsed, [
        (~well_formed, "应为数字（金额以元为单位，不带单位和符号）"),
        (too_precise, f"小数位数过多（最多{target.scale}位）"),
        (text.is_not_null() & value.is_null(), "数值过大"),
    ]


def _code(
    text: pl.Expr, value: pl.Expr, field: str, rules: Rules, today: dt.date, *, fold: bool
) -> tuple[pl.Expr, Checks]:
    """Text fields: enums by value or Chinese word, identifiers by their standard (in upper case
    when ``fold``: typed by people)."""
    if rules.enum is not None:
        parsed = _lookup(text, _spellings(_words(rules)), pl.String())
        allowed = " / ".join(f"{m.value} {LABELS.get(m.value, '')}".strip() for m in rules.enum)
        return parsed, [(text.is_not_null() & value.is_null(), f"取值不在允许范围内（可选：{allowed}）")]
    checks: dict[str, Callable[[pl.Expr], Checks]] = {
        "id_number": lambda number: id_number_checks(number, today=today, birth=pl.col(ID_BIRTH)),
        "uscc": uscc_checks,
        "region": region_checks,
        "industry": industry_checks,
    }
    if field in checks:
        return (text.str.to_uppercase() if fold and field != "region" else text), checks[field](value)
    return text, []


def _limits(value: pl.Expr, rules: Rules) -> Checks:
    out: Checks = []
    if rules.ge is not None:
        out.append((value < _literal(rules.ge), "不能为负数" if rules.ge == 0 else f"应不小于 {rules.ge}"))
    if rules.le is not None:
        out.append((value > _literal(rules.le), f"应不大于 {rules.le}"))
    if rules.max_digits is not None and rules.decimal_places is not None:
        digits = rules.max_digits - rules.decimal_places
        out.append((value.abs() >= pl.lit(Decimal(10) ** digits), f"数值过大（整数部分最多{digits}位）"))
    return out


def _literal(limit: Any) -> pl.Expr:
    return pl.lit(Decimal(str(limit))) if isinstance(limit, Decimal | float) else pl.lit(limit)


def parse_column(
    model: type[BaseModel],
    field: str,
    source: pl.DataType,
    *,
    required: bool = False,
    trim: bool = True,
    today: dt.date | None = None,
) -> Parsed:
    """The column ``field`` (of dtype ``source``) as its canonical type, with its checks.

    A column already stored in the canonical type (Parquet from ``jiuye synth``) passes through
    unparsed; only its constraints are checked.
    """
    info = model.model_fields[field]
    target = registry_schema(model)[field]
    rules = field_rules(info.annotation)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    column, text, value = pl.col(field), pl.col(TEXT + field), pl.col(field)
    staged: pl.Expr | None = None
    checks: Checks = []
    if source == target and target != pl.String:
        parsed = column
    elif target == pl.Date and isinstance(source, pl.Datetime):
        parsed = column.dt.date()
    else:
        staged = _text(column, source, trim=trim)
        if target == pl.Date:
            parsed, checks = _date(text, value)
        elif target == pl.Boolean:
            parsed, checks = _boolean(text, value)
        elif target == pl.Int64:
            parsed, checks = _integer(text, value)
        elif isinstance(target, pl.Decimal):
            parsed, checks = _decimal(text, value, target, percent=extra.get("unit") == "比例")
        else:
            parsed, checks = _code(text, value, field, rules, today or dt.date.today(), fold=trim)
    checks = checks + _limits(value, rules)
    if required:
        checks.append((value.is_null(), "缺少必填项"))
    return Parsed(staged, parsed, checks)
