"""What the engine commands share: output formats, JSON on stdout, errors in Chinese, dates, and
the consoles. A console is built on first use: ``jiuye eval --format json`` never imports rich."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NoReturn, cast

import typer

from jiuye.errors import JiuyeError

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["Format", "SchemaFormat", "err", "fail", "loading", "out", "parse_date", "print_json"]


class Format(StrEnum):
    table = "table"
    json = "json"


class SchemaFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class _LazyConsole:
    """A rich ``Console`` made when first used; ``wide`` is the width when stdout is not a terminal."""

    def __init__(self, *, wide: int | None = None, **options: Any) -> None:
        self._wide = wide
        self._options = options
        self._console: Console | None = None

    def _made(self) -> Console:
        if self._console is None:
            from rich.console import Console

            width = None if self._wide is None or sys.stdout.isatty() else self._wide
            self._console = Console(width=width, **self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._made(), name)

    def __enter__(self) -> Console:  # rich's progress bars hold their console open
        return self._made().__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._made().__exit__(*exc)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("_wide", "_options", "_console"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._made(), name, value)


out = cast("Console", _LazyConsole(soft_wrap=False, wide=150))
err = cast("Console", _LazyConsole(stderr=True, soft_wrap=True))  # one line per problem: the terminal wraps


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def fail(exc: Exception) -> NoReturn:
    err.print(f"[red]错误[/red]：{exc}", markup=True, highlight=False)
    raise typer.Exit(2)


def parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(JiuyeError(f"{option} 日期格式不正确：{text!r}；提示：应为 YYYY-MM-DD，如 2025-12-31"))


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """Loading the engine, the document, the parameters and the measures, without the cyclic
    garbage collector: what loads then lives as long as the command, so its passes over it are
    wasted (~10% of a cold ``jiuye eval``). Afterwards it is frozen out of later passes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
