"""The ledger's local settings (deadlines): the bundled ``deadlines.yaml`` or a bureau's own copy."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path

import yaml

from jiuye.errors import ParameterError

__all__ = ["AssistanceSettings", "load_assistance_settings"]

_KEYS = ("first_contact_days", "plan_days", "targeted_days")


@dataclass(frozen=True)
class AssistanceSettings:
    first_contact_days: int
    plan_days: int
    targeted_days: int
    origin: str = "jiuye/assistance/deadlines.yaml"


def load_assistance_settings(path: Path | None = None) -> AssistanceSettings:
    """The deadlines; every one must be a named assumption with a positive number of days.

    >>> load_assistance_settings().plan_days
    60
    """
    origin = str(path) if path else "jiuye/assistance/deadlines.yaml"
    text = path.read_text("utf-8") if path else importlib.resources.files(__package__).joinpath(
        "deadlines.yaml").read_text("utf-8")  # fmt: skip
    data = yaml.safe_load(text)
    values = {}
    for key in _KEYS:
        entry = data.get(key) if isinstance(data, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), int) or entry["value"] <= 0:
            msg = f"{origin}：缺少 {key}，或其 value 不是正整数（天）；提示：参照 jiuye/assistance/deadlines.yaml"
            raise ParameterError(msg)
        if not str(entry.get("assumption", "")).strip():
            msg = f"{origin}：{key} 须写明 assumption（文件未规定时限，须说明本地依据）"
            raise ParameterError(msg)
        values[key] = entry["value"]
    return AssistanceSettings(**values, origin=origin)
