"""Load ``*.params.yaml`` files: ``namespace`` + ``parameters`` with ``values`` keyed by date."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from jiuye.errors import ParameterError
from jiuye.params.cache import cached
from jiuye.params.model import Parameter, ParameterSet, Reference, ValueEntry
from jiuye.yaml_text import SAFE_LOADER

__all__ = ["load_parameters", "merge_files", "parameter_files", "parse_bundled", "parse_file"]

_UNITS = frozenset(
    [
        "CNY",
        "ratio",
        "date",
        "months",
        "years",
        "persons",
        "days",
        "age",
        "count",
        "text",
        "list",
        "bool",
        "region",
    ]
)


def _value(raw: Any, unit: str, where: str) -> Any:
    if raw is None:
        return None
    if unit in {"CNY", "ratio"}:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            msg = f"{where}：数值 {raw!r} 不是数字"
            raise ParameterError(msg)
        return Decimal(str(raw))
    if unit == "date" and not isinstance(raw, dt.date):
        msg = f"{where}：{raw!r} 不是日期（YYYY-MM-DD）"
        raise ParameterError(msg)
    return raw


def _entry(since: Any, raw: Any, unit: str, where: str) -> ValueEntry:
    if not isinstance(since, dt.date):
        msg = f"{where}：生效日期 {since!r} 应写作 YYYY-MM-DD"
        raise ParameterError(msg)
    if not isinstance(raw, dict) or "value" not in raw:
        msg = f"{where}@{since}：每个取值须写成 {{value: ..., reference: ...}}"
        raise ParameterError(msg)
    ref = raw.get("reference")
    reference = None
    if ref is not None:
        missing = [k for k in ("document", "clause") if not ref.get(k)]
        if missing:
            msg = f"{where}@{since}：出处缺少 {'、'.join(missing)}"
            raise ParameterError(msg)
        reference = Reference(str(ref["document"]), str(ref["clause"]), str(ref.get("quote", "")))
    assumption = raw.get("assumption")
    if reference is None and not assumption:
        msg = f"{where}@{since}：取值既无出处（reference）也无具名假设（assumption）"
        raise ParameterError(msg)
    published = raw.get("published")
    if published is not None and not isinstance(published, dt.date):
        msg = f"{where}@{since}：发布日期 {published!r} 应写作 YYYY-MM-DD"
        raise ParameterError(msg)
    if published is None and reference is not None:
        # Known from the date of the document that states it; a document this project does not
        # list (a bureau's own notice) is taken as known from the first day it governs.
        published = _document_date(reference.document) or since
    note = raw.get("since_note")
    own = bool(raw.get("own_reading", False))
    if own and not assumption:
        msg = f"{where}@{since}：自有读法（own_reading）须附具名假设（assumption）"
        raise ParameterError(msg)
    return ValueEntry(since, _value(raw["value"], unit, where), reference, assumption, published, note, own)


def _document_date(short_id: str) -> dt.date | None:
    """A value is known from the date of the document that states it."""
    from jiuye.policies.documents import document  # policies imports params: resolve late

    found = document(short_id)
    return found.date if found else None


def parse_file(text: str, origin: str) -> dict[str, Parameter]:
    data = yaml.load(text, Loader=SAFE_LOADER) or {}
    namespace = data.get("namespace")
    if not namespace:
        msg = f"{origin}：缺少 namespace"
        raise ParameterError(msg)
    out: dict[str, Parameter] = {}
    for key, spec in (data.get("parameters") or {}).items():
        name = f"{namespace}.{key}"
        unit = spec.get("unit", "")
        if unit not in _UNITS:
            msg = f"{origin}：参数 {name} 的单位 {unit!r} 不在允许范围 {sorted(_UNITS)}"
            raise ParameterError(msg)
        if not spec.get("description"):
            msg = f"{origin}：参数 {name} 缺少 description"
            raise ParameterError(msg)
        values = spec.get("values") or {}
        if not values:
            msg = f"{origin}：参数 {name} 没有任何取值"
            raise ParameterError(msg)
        # Several values may govern from one date, each known from its own document: a base
        # from an earlier basis and the later documents restating (or changing) it (docs/time.md).
        entries = sorted(
            (
                _entry(since, one, unit, f"{origin}:{name}")
                for since, raw in values.items()
                for one in (raw if isinstance(raw, list) else [raw])
            ),
            key=lambda e: (e.since, e.published or dt.date.min),
        )
        out[name] = Parameter(name, spec["description"], unit, tuple(entries), origin)
    return out


def parameter_files() -> list[tuple[str, str]]:
    """(origin, text) of every bundled parameter file."""
    root = importlib.resources.files("jiuye.policies")
    found: list[tuple[str, str]] = []

    def walk(node: Any, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".params.yaml"):
                found.append((f"{prefix}{child.name}", child.read_text("utf-8")))

    walk(root, "policies/")
    return found


@functools.cache
def _bundled() -> ParameterSet:
    files = parameter_files()
    return cached(files, lambda: parse_bundled(files))


def parse_bundled(files: list[tuple[str, str]]) -> ParameterSet:
    params: dict[str, Parameter] = {}
    for origin, text in files:
        for name, param in parse_file(text, origin).items():
            if name in params:
                msg = f"{origin}：参数 {name} 重复定义"
                raise ParameterError(msg)
            params[name] = param
    return ParameterSet(params)


def load_parameters(extra: list[Path] | None = None) -> ParameterSet:
    """The bundled parameters, plus local files (a bureau's own settings) that add dated values."""
    return merge_files(_bundled(), [(str(path), path.read_text("utf-8")) for path in extra or ()])


def merge_files(base: ParameterSet, files: list[tuple[str, str]]) -> ParameterSet:
    """``base`` plus the dated values of local files, given as (origin, text), in order: a later
    file's value from the same date replaces an earlier one."""
    params = dict(base.params)
    for origin, text in files:
        for name, param in parse_file(text, origin).items():
            current = params.get(name)
            if current is None:
                params[name] = param
                continue
            for entry in param.entries:
                current = current.with_entry(entry)
            params[name] = current
    return ParameterSet(params)
