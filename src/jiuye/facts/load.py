"""Read a facts document (JSON or YAML) and turn validation errors into Chinese, by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from jiuye.errors import FactsError
from jiuye.facts.model import Facts, dangling_references
from jiuye.identifiers import mask_id, mask_phone, redact
from jiuye.yaml_text import SAFE_LOADER

__all__ = ["error_text", "facts_from_data", "load_facts"]

_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不是可识别的字段；提示：运行 jiuye facts schema 查看全部字段",
    "date_from_datetime_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_type": "日期格式不正确，应为 YYYY-MM-DD",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "整数过大",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_places": "小数位数过多",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象（键值对）",
    "model_type": "应为对象（键值对）",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
}


def _label(model: type[BaseModel] | None, field: str) -> str:
    if model is None:
        return ""
    info = model.model_fields.get(field)
    return info.title or "" if info else ""


def _describe(error: Any) -> str:
    loc = error["loc"]
    path = ""
    model: type[BaseModel] | None = Facts
    label = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            continue
        label = _label(model, str(part))
        path += f".{part}" if path else str(part)
        info = model.model_fields.get(str(part)) if model else None
        model = _inner_model(info.annotation) if info else None
    where = f"{path}（{label}）" if label else (path or "文件")
    return f"{where}：{error_text(error)}"


def error_text(error: Any) -> str:
    """What is wrong with one value, in Chinese, without its path (a form shows it beside the field)."""
    loc = error["loc"]
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        text = "不能为负数" if ctx.get("ge") == 0 else f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        text = f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    elif kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
    elif kind == "enum":
        text = f"取值不在允许范围内（可选：{ctx.get('expected', '')}）"
    else:
        text = _MESSAGES.get(kind, "不正确")  # pydantic's own text is English
    shown = _shown(error.get("input"), str(loc[-1]) if loc else "", kind)
    return f"{text}{shown}"


def _shown(value: Any, field: str, kind: str) -> str:
    """Echo the bad value, masked where it is personal data (个人信息保护法)."""
    if kind in ("missing", "extra_forbidden") or isinstance(value, dict | list):
        return ""
    if field in ("id_number", "uscc") and isinstance(value, str):
        value = mask_id(value)  # a USCC field may hold someone's ID number by mistake
    elif field == "phone" and isinstance(value, str):
        value = mask_phone(value)
    return redact(f"（收到 {value!r}）")


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    return None


class _StringDates(SAFE_LOADER):  # type: ignore[valid-type,misc]  # a SafeLoader, maybe libyaml-backed
    """YAML without implicit timestamps: dates stay text so validation can name a bad one
    (libyaml's parser when PyYAML has it: ~10× faster on a document)."""


_StringDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in SAFE_LOADER.yaml_implicit_resolvers.items()
}


def facts_from_data(data: Any) -> Facts:
    if not isinstance(data, dict):
        raise FactsError(["文件内容应为对象（键值对），如 {employers: [...], persons: [...]}"])
    try:
        facts = Facts.model_validate(data)
    except ValidationError as exc:
        raise FactsError([_describe(e) for e in exc.errors()]) from None
    problems = dangling_references(facts)
    if problems:
        raise FactsError(problems)
    return facts


def load_facts(path: Path) -> Facts:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise FactsError([f"找不到事实文件：{path}"]) from None
    except UnicodeDecodeError:
        raise FactsError([f"{path}：文件不是 UTF-8 编码；提示：请另存为 UTF-8"]) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, Loader=_StringDates)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FactsError([f"{path}：无法解析为 JSON/YAML（{exc}）"]) from None
    return facts_from_data(data)
