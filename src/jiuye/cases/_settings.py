"""Read the workflow's local settings: a YAML file bundled in this package, or a bureau's own copy."""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any

import yaml

from jiuye.errors import ParameterError

__all__ = ["read_settings"]


def read_settings(name: str, path: Path | None = None) -> tuple[dict[str, Any], str]:
    """(the mapping in the YAML file, where it came from): ``path`` if given, else the bundled ``name``."""
    if path is None:
        origin = f"jiuye/cases/{name}"
        text = importlib.resources.files("jiuye.cases").joinpath(name).read_text("utf-8")
    else:
        origin = str(path)
        text = path.read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        msg = f"{origin}：内容应为键值映射（YAML mapping）；提示：参照 jiuye/cases/{name} 的格式"
        raise ParameterError(msg)
    return data, origin
