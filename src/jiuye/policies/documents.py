"""The source documents and how a citation is shown (文号 + clause)."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
from dataclasses import dataclass

import yaml

from jiuye.yaml_text import SAFE_LOADER

__all__ = ["Document", "citation_text", "document", "documents"]


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    number: str
    issuer: str
    date: dt.date
    level: str
    file: str | None
    external: bool
    # The one reading of an open start date: events from then on are governed (docs/time.md).
    governs_from: dt.date | None = None
    governs_from_note: str = ""
    # How far the text of an external rule was checked against a public original (issue 11):
    # True = every quote citing it was seen verbatim at ``source_url``; False = some quotes are
    # summaries (要旨) or unchecked, ``searched`` says what was looked for; None = not applicable.
    text_checked: bool | None = None
    source_url: tuple[str, ...] = ()
    checked: dt.date | None = None
    searched: tuple[str, ...] = ()


def _strings(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, list | tuple):
        return tuple(str(x) for x in raw)
    return (str(raw),)


@functools.cache
def documents() -> dict[str, Document]:
    text = importlib.resources.files("jiuye.policies").joinpath("documents.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=SAFE_LOADER)["documents"]
    return {
        key: Document(
            key,
            d["title"],
            d["number"],
            d["issuer"],
            d["date"],
            d["level"],
            d.get("file"),
            bool(d.get("external", False)),
            d.get("governs_from"),
            d.get("governs_from_note", ""),
            d.get("text_checked"),
            _strings(d.get("source_url")),
            d.get("checked"),
            _strings(d.get("searched")),
        )
        for key, d in raw.items()
    }


def document(key: str) -> Document | None:
    return documents().get(key)


def citation_text(doc: str, clause: str) -> str:
    """``gx38`` + ``（六）`` → ``桂人社发〔2025〕38号（六）``; unknown ids are shown as given."""
    found = document(doc)
    name = found.number if found else doc
    return f"{name}{clause}"
