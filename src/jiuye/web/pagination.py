"""Every list is paged: which page, how many a page, how many in all, and the links between.

>>> page = Paging.of(page=3, per_page=20, total=95)
>>> page.offset, page.pages, page.has_next, page.first_row, page.last_row
(40, 5, True, 41, 60)
>>> Paging.of(page=99, per_page=20, total=95).page  # past the end: the last page
5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query

__all__ = ["PageNo", "Paging", "PerPage"]

PageNo = Annotated[int, Query(ge=1, le=1_000_000, description="第几页")]
PerPage = Annotated[int, Query(ge=5, le=200, description="每页条数")]


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, *, page: int, per_page: int, total: int) -> Paging:
        pages = max(1, -(-total // per_page))
        return cls(min(max(page, 1), pages), per_page, total)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else self.offset + 1

    @property
    def last_row(self) -> int:
        return min(self.offset + self.per_page, self.total)

    def link(self, path: str, page: int, **filters: object) -> str:
        """The link to another page of the same list, keeping the filters."""
        kept = {k: v for k, v in filters.items() if v not in (None, "")}
        return f"{path}?{urlencode({**kept, 'page': page, 'per_page': self.per_page})}"
