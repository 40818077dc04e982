"""What is wrong in a registry file, by file, line and column, in Chinese, personal data masked.

>>> p = RowProblem("人员.csv", 3, "身份证号", "校验码不正确", "4501**********1234", "id_number")
>>> str(p)
"人员.csv 第3行 “身份证号”：校验码不正确（收到 '4501**********1234'）"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jiuye.errors import JiuyeError

__all__ = ["RegistryError", "RowProblem", "problems_report"]


@dataclass(frozen=True)
class RowProblem:
    """One bad cell, row or header.

    ``line`` is the line a user sees in the file: the header is line 1 of a CSV or Excel
    sheet, so the first record is line 2; in Parquet the first record is line 1 and 0 means
    the column names. ``value`` is already masked when it is an ID or phone number.
    """

    file: str
    line: int
    column: str
    message: str
    value: str | None = None
    field: str | None = None

    @property
    def where(self) -> str:
        """第N行, or nothing for a problem of the whole file or its Parquet column names (line 0)."""
        return f"第{self.line}行 " if self.line else ""

    def __str__(self) -> str:
        shown = f"（收到 {self.value!r}）" if self.value is not None else ""
        return f"{self.file} {self.where}“{self.column}”：{self.message}{shown}"


def problems_report(problems: Iterable[RowProblem]) -> str:
    """Problems grouped by file, in line order: the text a caseworker fixes the files from."""
    by_file: dict[str, list[RowProblem]] = {}
    for p in problems:  # files in the order given, lines in order within a file
        by_file.setdefault(p.file, []).append(p)
    lines: list[str] = []
    for file, found in by_file.items():
        found.sort(key=lambda p: p.line)
        rows = len({p.line for p in found if p.line})
        lines.append(f"{file}：{rows} 行有误" if rows else f"{file}：")
        for p in found:
            shown = f"（收到 {p.value!r}）" if p.value is not None else ""
            lines.append(f"  {p.where}“{p.column}”：{p.message}{shown}")
    return "\n".join(lines)


class RegistryError(JiuyeError):
    """A registry cannot be read as it is: the message lists every bad header and row."""

    code = "REGISTRY_INVALID"

    def __init__(self, problems: list[RowProblem], *, hint: str = "") -> None:
        self.problems = problems
        files = len({p.file for p in problems})
        rows = len({(p.file, p.line) for p in problems if p.line})
        count = f"共 {rows} 行有误（{len(problems)} 处）" if rows else f"有误（{len(problems)} 处）"
        head = f"台账数据有误：{files} 个文件{count}，未导入任何数据。"
        tail = f"\n提示：{hint}" if hint else ""
        super().__init__(f"{head}\n{problems_report(self.problems)}{tail}")
