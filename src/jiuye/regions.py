"""GB/T 2260 region codes and how jurisdictions nest (national → province → prefecture → county).

>>> contains("450000", "450103")
True
>>> contains("450100", "451002")
False
>>> region_name("450103")
'广西壮族自治区南宁市青秀区'
"""

from __future__ import annotations

import functools
import importlib.resources
import re

import polars as pl
import yaml

from jiuye.errors import RegionError
from jiuye.yaml_text import SAFE_LOADER

__all__ = ["NATIONAL", "contains", "listed_regions", "prefix_of", "region_in", "region_name", "validate_region"]

#: The whole country; every valid code nests under it.
NATIONAL = "000000"
_CODE_RE = re.compile(r"^\d{6}$")


@functools.cache
def _table() -> dict[str, dict[str, str]]:
    text = importlib.resources.files("jiuye.data").joinpath("regions.yaml").read_text("utf-8")
    data: dict[str, dict[str, str]] = yaml.load(text, Loader=SAFE_LOADER)["regions"]
    return data


def prefix_of(code: str) -> str:
    """The code prefix shared by every region nested in ``code``."""
    if code == NATIONAL:
        return ""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def contains(parent: str, child: str) -> bool:
    return child.startswith(prefix_of(parent))


def region_in(column: pl.Expr, parent: str) -> pl.Expr:
    """Vectorised :func:`contains` (null region stays null: unknown)."""
    prefix = prefix_of(parent)
    if not prefix:
        return pl.when(column.is_null()).then(None).otherwise(pl.lit(True))  # unknown stays unknown
    return column.str.starts_with(prefix)


def validate_region(code: str) -> str:
    """Return a valid 6-digit code or raise :class:`RegionError` in Chinese."""
    code = str(code).strip()
    if code == NATIONAL:
        return code
    if not _CODE_RE.match(code):
        msg = f"行政区划代码 {code!r} 格式不正确；提示：应为6位数字（GB/T 2260），如 450103"
        raise RegionError(msg)
    table = _table()
    if code[:2] + "0000" not in table:
        msg = f"行政区划代码 {code} 的省级部分 {code[:2]} 不存在；提示：广西为 45，南宁市为 450100"
        raise RegionError(msg)
    if code.startswith("45") and code not in table:
        msg = (
            f"行政区划代码 {code} 不是广西现行的行政区划代码（截至2024年12月31日）；"
            "提示：如为已撤销的旧代码，请改用现行代码"
        )
        raise RegionError(msg)
    return code


def region_name(code: str) -> str:
    """Full Chinese name, province first; codes outside Guangxi show the province only."""
    if code == NATIONAL:
        return "全国"
    table = _table()
    parts = []
    for key in (code[:2] + "0000", code[:4] + "00", code):
        entry = table.get(key)
        if entry and entry["name"] not in parts:
            parts.append(entry["name"])
    if code not in table and not code.endswith("0000"):
        parts.append(f"（{code}）")
    return "".join(parts)


def listed_regions(parent: str = "450000") -> list[tuple[str, str]]:
    """Every listed region within ``parent`` (Guangxi by default), by code, with its full name (a form's choices).

    >>> listed_regions("450100")[:2]
    [('450100', '广西壮族自治区南宁市'), ('450102', '广西壮族自治区南宁市兴宁区')]
    """
    return [(code, region_name(code)) for code in sorted(_table()) if contains(parent, code)]
