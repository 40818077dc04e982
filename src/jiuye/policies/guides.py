"""Plain-language guides: what an applicant prepares and how to apply (``guides.yaml``).

The documents rarely list materials, so each item either cites the clause whose words require
what the material proves, or is a named assumption (a bureau edits the YAML, not code).

>>> guide = guide_of("gx.expansion")
>>> guide.materials[2].citation.startswith("桂人社发〔2025〕38号"), guide.materials[0].assumption != ""
(True, True)
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass
from typing import Any

import yaml

from jiuye.policies.documents import citation_text

__all__ = ["Guide", "GuideItem", "guide_of", "guides"]


@dataclass(frozen=True)
class GuideItem:
    text: str
    document: str = ""  # a documents.yaml id, when the documents require it
    clause: str = ""
    quote: str = ""  # the document's own words (as written; the national one is traditional)
    assumption: str = ""  # our reading where the documents are silent

    @property
    def citation(self) -> str:
        return citation_text(self.document, self.clause) if self.document else ""


@dataclass(frozen=True)
class Guide:
    measure_id: str
    materials: tuple[GuideItem, ...]
    apply: tuple[GuideItem, ...]


def _item(raw: dict[str, Any]) -> GuideItem:
    cite = raw.get("cite") or {}
    return GuideItem(
        text=str(raw["text"]),
        document=str(cite.get("document", "")),
        clause=str(cite.get("clause", "")),
        quote=str(cite.get("quote", "")),
        assumption=str(raw.get("assumption", "")),
    )


@functools.cache
def guides() -> dict[str, Guide]:
    text = importlib.resources.files("jiuye.policies").joinpath("guides.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)["guides"]
    return {
        measure_id: Guide(
            measure_id,
            tuple(_item(i) for i in entry.get("materials", [])),
            tuple(_item(i) for i in entry.get("apply", [])),
        )
        for measure_id, entry in raw.items()
    }


def guide_of(measure_id: str) -> Guide | None:
    return guides().get(measure_id)
